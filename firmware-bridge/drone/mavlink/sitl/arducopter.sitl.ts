/**
 * The MAVLink driver and the sortie pilot against ArduCopter SITL: the real flight code with a
 * simulated airframe and sprayer (`npm run test:sitl`, needs ARDUPILOT_SITL). The driver is given
 * nothing that says the autopilot is simulated. A second MAVLink port (SERIAL1, TCP 5762) watches
 * the pump output and the position, and stands in for a pilot's mode switch in the takeover case.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { common, minimal } from 'node-mavlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceM, localFrame, systemClock, type DroneCommand, type DroneMission } from '../../../../protocol/index.js';
import { waitFor } from '../../../../sim/scenario.js';
import { SortiePilot } from '../../sortie-pilot.js';
import { sendCommand } from '../commands.js';
import { MavEndpoint, message } from '../endpoint.js';
import { TcpLink } from '../link.js';
import { MavlinkDroneDriver } from '../mavlink-drone-driver.js';

const SPEEDUP = 10;
const home = { lat: -35.363261, lon: 149.165237 };
const frame = localFrame(home.lat, home.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);

/** Sprayer on SERVO9 (pump) and SERVO10 (spinner), the simulated sprayer on; GCS failsafe short for the link-loss case. */
const EXTRA_PARAMS = `SPRAY_ENABLE 1
SERVO9_FUNCTION 22
SERVO10_FUNCTION 23
SIM_SPR_ENABLE 1
SIM_SPR_PUMP 9
SIM_SPR_SPIN 10
SPRAY_PUMP_RATE 10
SPRAY_SPEED_MIN 100
`;

const mission: DroneMission = (() => {
  const wp = (x: number, y: number, altM: number, spray: boolean) => ({ ...at(x, y), altM, speedMps: 5, spray, flowLPerMin: spray ? 3 : 0 });
  return {
    headerId: 0,
    timestamp: new Date().toISOString(),
    droneId: 'sitl-1',
    missionId: 'sitl',
    pads: [home],
    transitAltM: 15,
    linkLossTimeoutS: 3,
    sorties: [{ index: 0, waypoints: [wp(0, 0, 0, false), wp(10, 10, 3, true), wp(80, 10, 3, false), wp(80, 17, 3, true), wp(10, 17, 3, false), wp(0, 0, 0, false)] }],
  };
})();

describe('ArduCopter SITL', () => {
  let sitl: ChildProcess;
  let driver: MavlinkDroneDriver;
  let watch: MavEndpoint;
  let watchLink: TcpLink;
  let pilot: SortiePilot;
  const track: Array<{ x: number; y: number; pumpPwm: number; speed: number }> = [];
  let pumpPwm = 0;
  let n = 0;
  const command = (c: Record<string, unknown>) => pilot.command({ headerId: n, timestamp: new Date().toISOString(), droneId: 'sitl-1', commandId: `c${n++}`, ...c } as DroneCommand);

  beforeAll(async () => {
    const binary = process.env.ARDUPILOT_SITL!;
    const defaults = process.env.ARDUPILOT_DEFAULTS ?? join(dirname(binary), '../../Tools/autotest/default_params/copter.parm');
    const dir = mkdtempSync(join(tmpdir(), 'isofleet-sitl-'));
    writeFileSync(join(dir, 'sprayer.parm'), EXTRA_PARAMS);
    sitl = spawn(binary, ['-w', '--model', '+', '--speedup', String(SPEEDUP), '-I0', '--home', `${home.lat},${home.lon},584,0`, '--defaults', `${defaults},${join(dir, 'sprayer.parm')}`], {
      cwd: dir,
      stdio: 'ignore',
    });
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', 5760, 500) }, 60_000);
    watchLink = new TcpLink('127.0.0.1', 5762, 500);
    await watchLink.connected();
    watch = new MavEndpoint(watchLink, 254, 190);
    const target = { sysid: 1, compid: 1 };
    for (const id of [common.GlobalPositionInt.MSG_ID, common.ServoOutputRaw.MSG_ID, common.VfrHud.MSG_ID]) {
      await sendCommand({ endpoint: watch, target, clock: systemClock }, common.MavCmd.SET_MESSAGE_INTERVAL, [id, 100_000]);
    }
    let speed = 0;
    watch.on(common.VfrHud, (m) => (speed = m.groundspeed));
    watch.on(common.ServoOutputRaw, (m) => (pumpPwm = m.servo9Raw));
    watch.on(common.GlobalPositionInt, (m) => track.push({ ...frame.toLocal(m.lat / 1e7, m.lon / 1e7), pumpPwm, speed }));
    pilot = new SortiePilot(driver, systemClock, () => {});
    pilot.setMission(mission);
  });
  afterAll(async () => {
    watch?.close();
    await watchLink?.close();
    await driver?.close();
    sitl?.kill('SIGTERM');
  });

  it('takes the geofence and keepouts (read back as polygons) and the failsafe parameters', async () => {
    const geofence = [at(-60, -60), at(150, -60), at(150, 120), at(-60, 120)];
    const keepouts = [[at(100, 40), at(130, 40), at(130, 70), at(100, 70)]];
    await driver.setFence({ geofence, keepouts, returnAltM: 15, linkLossTimeoutS: 3 });
    const fence = await driver.readBack(common.MavMissionType.FENCE);
    expect(fence.filter((i) => i.command === common.MavCmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION)).toHaveLength(4);
    expect(fence.filter((i) => i.command === common.MavCmd.NAV_FENCE_POLYGON_VERTEX_EXCLUSION)).toHaveLength(4);
  });

  it('flies a small sortie: arms once the EKF uses GPS, sprays on the spray legs only, lands on the pad', async () => {
    track.length = 0;
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed && !driver.status().armed, 240_000, 'sortie flown');
    const onPass = (y: number) => track.filter((p) => Math.abs(p.y - y) < 1 && p.x > 20 && p.x < 70 && p.speed > 2);
    expect(onPass(10).some((p) => p.pumpPwm > 1100)).toBe(true);
    expect(onPass(17).some((p) => p.pumpPwm > 1100)).toBe(true);
    // Ferry back to the pad: pump at its minimum.
    expect(track.filter((p) => p.x < 8 && p.y < 8 && p.speed > 2).every((p) => p.pumpPwm <= 1100)).toBe(true);
    expect(distanceM(driver.status(), home)).toBeLessThan(2);
  });

  it('pauses (BRAKE drifts) and resumes at the exact point, going back to it first', async () => {
    track.length = 0;
    await waitFor(() => driver.status().armed === false, 30_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.waypoint === 2 && pilot.mode === 'mission' && frame.toLocal(driver.status().lat, driver.status().lon).x > 40, 240_000, 'on the first pass');
    expect(await command({ command: 'pause' })).toBeUndefined();
    const cut = frame.toLocal(pilot.resume!.lat, pilot.resume!.lon);
    await waitFor(() => driver.status().groundSpeedMps < 0.2, 60_000, 'stopped');
    const mark = track.length;
    expect(await command({ command: 'resume' })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 240_000, 'sortie flown');
    const after = track.slice(mark);
    const back = after.findIndex((p) => Math.hypot(p.x - cut.x, p.y - cut.y) < 1.5);
    expect(back).toBeGreaterThanOrEqual(0);
    // No spraying between the drift point and the cut point.
    expect(after.slice(0, back).every((p) => p.pumpPwm <= 1100 || p.speed < 1)).toBe(true);
  });

  it('returns for a battery swap mid-sortie and restarts from the cut point, not from item 1', async () => {
    track.length = 0;
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.waypoint === 2 && pilot.mode === 'mission' && frame.toLocal(driver.status().lat, driver.status().lon).x > 40, 240_000, 'on the first pass');
    expect(await command({ command: 'returnHome' })).toBeUndefined();
    const cut = frame.toLocal(pilot.resume!.lat, pilot.resume!.lon);
    await waitFor(() => pilot.mode === 'landed' && !driver.status().armed, 240_000, 'landed');
    const mark = track.length;
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 240_000, 'sortie flown');
    const after = track.slice(mark);
    expect(after.some((p) => Math.hypot(p.x - cut.x, p.y - cut.y) < 1.5)).toBe(true);
    // The first pass before the cut is not flown again.
    expect(after.some((p) => Math.abs(p.y - 10) < 1 && p.x > 12 && p.x < cut.x - 5)).toBe(false);
  });

  it('link loss: with the bridge silent past FS_GCS_TIMEOUT the autopilot returns home on its own', async () => {
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission' && pilot.waypoint === 2, 240_000, 'on the first pass');
    await driver.close();
    const modes: number[] = [];
    watch.on(minimal.Heartbeat, (m) => m.autopilot !== minimal.MavAutopilot.INVALID && modes.push(m.customMode));
    await waitFor(() => modes.includes(6 /* RTL */), 60_000, 'RTL by the GCS failsafe');
    await waitFor(() => track.length > 0 && Math.hypot(track.at(-1)!.x, track.at(-1)!.y) < 2 && track.at(-1)!.speed < 0.2, 240_000, 'home');
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', 5760, 500) }, 60_000);
    pilot = new SortiePilot(driver, systemClock, () => {});
    pilot.setMission(mission);
    await waitFor(() => driver.status().landed, 120_000, 'landed');
  });

  it('pilot takeover: a mode the bridge did not command stops it until the operator hands control back', async () => {
    await waitFor(() => !driver.status().armed, 60_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission', 240_000, 'flying');
    // Another station (the pilot's) switches to LOITER.
    watch.send(
      message(common.CommandLong, {
        targetSystem: 1,
        targetComponent: 1,
        command: common.MavCmd.DO_SET_MODE,
        confirmation: 0,
        _param1: 1,
        _param2: 5,
        _param3: 0,
        _param4: 0,
        _param5: 0,
        _param6: 0,
        _param7: 0,
      }),
    );
    await waitFor(() => driver.status().externalControl?.mode === 'LOITER', 30_000, 'external control seen');
    expect(await command({ command: 'pause' })).toMatch(/external control/);
    expect(await command({ command: 'resumeControl' })).toBeUndefined();
    expect(await command({ command: 'returnHome' })).toBeUndefined();
    await waitFor(() => pilot.mode === 'landed', 240_000, 'home after the operator took control back');
  });
});
