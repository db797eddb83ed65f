import { common } from 'node-mavlink';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localFrame, type DroneCommand, type DroneMission } from '../../../protocol/index.js';
import { ScaledClock } from '../../../sim/scaled-clock.js';
import { waitFor } from '../../../sim/scenario.js';
import { SortiePilot } from '../sortie-pilot.js';
import { TcpLink } from './link.js';
import { MavlinkDroneDriver } from './mavlink-drone-driver.js';
import { ScriptedAutopilot } from './scripted-autopilot.test-support.js';

const pad = { lat: 22.72, lon: 114.25 };
const frame = localFrame(pad.lat, pad.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);
const Cmd = common.MavCmd;

/** Pad → (10, 10) → spray east to (110, 10) → (110, 17) → spray back to (10, 17) → pad. */
const mission: DroneMission = (() => {
  const wp = (x: number, y: number, altM: number, spray: boolean) => ({ ...at(x, y), altM, speedMps: 5, spray, flowLPerMin: spray ? 4 : 0 });
  return {
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    droneId: 'drone-1',
    missionId: 'm1',
    pads: [pad],
    sorties: [{ index: 0, waypoints: [wp(0, 0, 0, false), wp(10, 10, 2.5, true), wp(110, 10, 2.5, false), wp(110, 17, 2.5, true), wp(10, 17, 2.5, false), wp(0, 0, 0, false)] }],
  };
})();

describe('sortie pilot on the MAVLink driver: resume at the cut point', () => {
  const clock = new ScaledClock(20);
  let ap: ScriptedAutopilot;
  let driver: MavlinkDroneDriver;
  let pilot: SortiePilot;
  let n = 0;
  const command = (c: Record<string, unknown>) => pilot.command({ headerId: n, timestamp: new Date(0).toISOString(), droneId: 'drone-1', commandId: `c${n++}`, ...c } as DroneCommand);
  const local = (p: { lat: number; lon: number }) => frame.toLocal(p.lat, p.lon);
  const navTargets = () =>
    ap.stored
      .get(common.MavMissionType.MISSION)!
      .filter((i) => i.command === Cmd.NAV_WAYPOINT && i.seq > 0)
      .map((i) => local({ lat: i.x / 1e7, lon: i.y / 1e7 }));

  beforeEach(async () => {
    ap = await ScriptedAutopilot.start({ clock, home: pad, ekfReadyAfterMs: 0 });
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', ap.port, 20), clock });
    await waitFor(() => driver.status().lat !== 0, 2000, 'first position');
    pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(mission);
  });
  afterEach(async () => {
    await driver.close();
    await ap.close();
  });

  it('pause brakes (drifting on), resume flies back to the cut point as a waypoint set current with DO_SET_MISSION_CURRENT, and sprays on from there', async () => {
    expect(await command({ command: 'start', missionId: 'm1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission' && pilot.waypoint === 2 && ap.x > 50, 10_000, 'half way down the first pass');
    expect(await command({ command: 'pause' })).toBeUndefined();
    const cut = pilot.resume!;
    expect(cut.waypoint).toBe(2);
    await waitFor(() => ap.modeName === 'BRAKE' && ap.speedMps === 0, 5000, 'braked');
    const c = local(cut);
    expect(Math.hypot(ap.x - c.x, ap.y - c.y)).toBeGreaterThan(10);
    const sprayBefore = ap.sprayEvents.length;
    const commandsBefore = ap.commands.length;
    expect(await command({ command: 'resume' })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 15_000, 'sortie flown');
    const after = ap.commands.slice(commandsBefore);
    expect(after.find((x) => x.command === Cmd.DO_SET_MISSION_CURRENT)?.params[0]).toBe(1);
    expect(after.some((x) => x.command === Cmd.MISSION_START)).toBe(false);
    // The re-uploaded mission starts at the cut point and does not hold the sortie's first waypoints.
    const targets = navTargets();
    expect(Math.hypot(targets[0]!.x - c.x, targets[0]!.y - c.y)).toBeLessThan(0.01);
    expect(targets.some((t) => Math.hypot(t.x - 10, t.y - 10) < 1)).toBe(false);
    const on = ap.sprayEvents.slice(sprayBefore).find((e) => e.on)!;
    expect(Math.hypot(on.x - c.x, on.y - c.y)).toBeLessThan(0.5);
  });

  it('after a return home and a battery swap mid-sortie, takes off again and restarts from the cut point, not from item 1', async () => {
    expect(await command({ command: 'start', missionId: 'm1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'mission' && pilot.waypoint === 2 && ap.x > 60, 10_000, 'on the first pass');
    expect(await command({ command: 'returnHome' })).toBeUndefined();
    const cut = local(pilot.resume!);
    await waitFor(() => pilot.mode === 'landed' && ap.landed, 15_000, 'landed at the pad');
    expect(Math.hypot(ap.x, ap.y)).toBeLessThan(0.5);
    ap.swapBattery();
    const sprayBefore = ap.sprayEvents.length;
    expect(await command({ command: 'start', missionId: 'm1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.lastCompletedSortie === 0 && driver.status().landed, 20_000, 'sortie finished');
    const items = ap.stored.get(common.MavMissionType.MISSION)!;
    expect(items[1]!.command).toBe(Cmd.NAV_TAKEOFF);
    const targets = navTargets();
    expect(targets.some((t) => Math.hypot(t.x - 10, t.y - 10) < 1)).toBe(false);
    const on = ap.sprayEvents.slice(sprayBefore).find((e) => e.on)!;
    expect(Math.hypot(on.x - cut.x, on.y - cut.y)).toBeLessThan(0.5);
    expect(pilot.resume).toBeUndefined();
  });
});
