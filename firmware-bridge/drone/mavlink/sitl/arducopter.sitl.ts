/**
 * The MAVLink driver and the sortie pilot against ArduCopter SITL: the real flight code with a
 * simulated airframe and sprayer (`npm run test:sitl`, needs ARDUPILOT_SITL). The driver is given
 * nothing that says the autopilot is simulated; its clock runs at the SITL's speed-up. A second
 * MAVLink station on SERIAL1 ({@link SitlWatch}) records the pump output and the position, and
 * plays the crew's battery swap and a pilot's mode switch.
 */
import { common, minimal } from 'node-mavlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceM, localFrame, type DroneCommand, type DroneMission } from '../../../../protocol/index.js';
import { connectSitlDriver, PUMP_OFF_PWM, SitlWatch, startSitl, type SitlFleet } from '../../../../sim/drone/ardupilot-sitl.js';
import { ScaledClock } from '../../../../sim/scaled-clock.js';
import { waitFor } from '../../../../sim/scenario.js';
import { SortiePilot } from '../../sortie-pilot.js';
import { COPTER_MODE } from '../autopilot-state.js';
import type { MavlinkDroneDriver } from '../mavlink-drone-driver.js';

const SPEEDUP = 10;
const home = { lat: -35.363261, lon: 149.165237 };
const frame = localFrame(home.lat, home.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);

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
  const clock = new ScaledClock(SPEEDUP);
  let sitl: SitlFleet;
  let driver: MavlinkDroneDriver;
  let watch: SitlWatch;
  let pilot: SortiePilot;
  /** The watch's track from `mark` on, in metres east/north of home. */
  const trackFrom = (mark: number) => watch.track.slice(mark).map((p) => ({ ...frame.toLocal(p.lat, p.lon), pumpPwm: p.pumpPwm, speed: p.groundSpeedMps }));
  let n = 0;
  const command = (c: Record<string, unknown>) => pilot.command({ headerId: n, timestamp: new Date().toISOString(), droneId: 'sitl-1', commandId: `c${n++}`, ...c } as DroneCommand);
  /** The sortie just started, flown: airborne first (an earlier flight of sortie 0 left lastCompletedSortie at 0 and the copter on the ground), then landed. */
  const flown = async () => {
    await waitFor(() => !driver.status().landed, 240_000, 'airborne');
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 240_000, 'sortie flown');
  };

  beforeAll(async () => {
    sitl = await startSitl({ binary: process.env.ARDUPILOT_SITL!, homes: [home], speedup: SPEEDUP });
    driver = await connectSitlDriver(sitl.instances[0]!, clock, SPEEDUP);
    watch = await SitlWatch.open(sitl.instances[0]!);
    pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(mission);
  });
  afterAll(async () => {
    await watch?.close();
    await driver?.close();
    await sitl?.stop();
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
    const mark = watch.track.length;
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed && !driver.status().armed, 240_000, 'sortie flown');
    const track = trackFrom(mark);
    const onPass = (y: number) => track.filter((p) => Math.abs(p.y - y) < 1 && p.x > 20 && p.x < 70 && p.speed > 2);
    expect(onPass(10).some((p) => p.pumpPwm > PUMP_OFF_PWM)).toBe(true);
    expect(onPass(17).some((p) => p.pumpPwm > PUMP_OFF_PWM)).toBe(true);
    // Ferry back to the pad: pump at its minimum.
    expect(track.filter((p) => p.x < 8 && p.y < 8 && p.speed > 2).every((p) => p.pumpPwm <= PUMP_OFF_PWM)).toBe(true);
    expect(distanceM(driver.status(), home)).toBeLessThan(2);
  });

  it('pauses (BRAKE drifts) and resumes at the exact point, going back to it first', async () => {
    await waitFor(() => driver.status().armed === false, 30_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.waypoint === 2 && pilot.mode === 'mission' && frame.toLocal(driver.status().lat, driver.status().lon).x > 40, 240_000, 'on the first pass');
    expect(await command({ command: 'pause' })).toBeUndefined();
    const cut = frame.toLocal(pilot.resume!.lat, pilot.resume!.lon);
    await waitFor(() => driver.status().groundSpeedMps < 0.2, 60_000, 'stopped');
    const mark = watch.track.length;
    expect(await command({ command: 'resume' })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 240_000, 'sortie flown');
    const after = trackFrom(mark);
    const back = after.findIndex((p) => Math.hypot(p.x - cut.x, p.y - cut.y) < 1.5);
    expect(back).toBeGreaterThanOrEqual(0);
    // No spraying between the drift point and the cut point.
    expect(after.slice(0, back).every((p) => p.pumpPwm <= PUMP_OFF_PWM || p.speed < 1)).toBe(true);
  });

  it('returns for a battery swap mid-sortie and restarts from the cut point, not from item 1', async () => {
    await waitFor(() => driver.status().armed === false, 30_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.waypoint === 2 && pilot.mode === 'mission' && frame.toLocal(driver.status().lat, driver.status().lon).x > 40, 240_000, 'on the first pass');
    expect(await command({ command: 'returnHome' })).toBeUndefined();
    const cut = frame.toLocal(pilot.resume!.lat, pilot.resume!.lon);
    await waitFor(() => pilot.mode === 'landed' && !driver.status().armed, 240_000, 'landed');
    const swapped = await watch.swapBattery();
    expect(swapped).toEqual({ ok: true, value: undefined });
    const mark = watch.track.length;
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await flown();
    const after = trackFrom(mark);
    expect(after.some((p) => Math.hypot(p.x - cut.x, p.y - cut.y) < 1.5)).toBe(true);
    // The first pass before the cut is not flown again.
    expect(after.some((p) => Math.abs(p.y - 10) < 1 && p.x > 12 && p.x < cut.x - 5)).toBe(false);
  });

  it('link loss: with the bridge silent past FS_GCS_TIMEOUT the autopilot returns home on its own', async () => {
    await waitFor(() => driver.status().armed === false, 30_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission' && pilot.waypoint === 2, 240_000, 'on the first pass');
    await driver.close();
    await waitFor(() => watch.mode === COPTER_MODE.RTL, 60_000, 'RTL by the GCS failsafe');
    await waitFor(() => !watch.armed, 240_000, 'landed and disarmed by RTL');
    expect(distanceM(watch.track.at(-1)!, home)).toBeLessThan(3);
    driver = await connectSitlDriver(sitl.instances[0]!, clock, SPEEDUP);
    pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(mission);
    await waitFor(() => driver.status().landed, 120_000, 'landed');
  });

  it('pilot takeover: a mode the bridge did not command stops it until the operator hands control back', async () => {
    await waitFor(() => !driver.status().armed, 60_000, 'disarmed');
    expect(await command({ command: 'start', missionId: 'sitl', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission', 240_000, 'flying');
    // Another station (the pilot's) switches to LOITER.
    expect(await watch.command(common.MavCmd.DO_SET_MODE, [minimal.MavModeFlag.CUSTOM_MODE_ENABLED, COPTER_MODE.LOITER])).toEqual({ ok: true, value: undefined });
    await waitFor(() => driver.status().externalControl?.mode === 'LOITER', 30_000, 'external control seen');
    expect(await command({ command: 'pause' })).toMatch(/external control/);
    expect(await command({ command: 'resumeControl' })).toBeUndefined();
    expect(await command({ command: 'returnHome' })).toBeUndefined();
    await waitFor(() => pilot.mode === 'landed', 240_000, 'home after the operator took control back');
  });
});
