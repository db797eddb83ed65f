import { ardupilotmega, common } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { localFrame } from '../../../protocol/index.js';
import type { FlightLeg, FlightPlan } from '../driver.js';
import { planMission } from './mission-items.js';

const home = { lat: 22.72, lon: 114.25 };
const frame = localFrame(home.lat, home.lon);
const leg = (x: number, y: number, spray: boolean, speedMps = 5, flowLPerMin = spray ? 6 : 0): FlightLeg => ({ ...frame.toGeo(x, y), altM: 2.5, speedMps, spray, flowLPerMin });
/** NAV items as metres east/north of home, with the leg each one ends. */
const navs = (plan: FlightPlan) => {
  const m = planMission(plan, home, 'ardupilot', true);
  return [...m.legOfSeq].map(([seq, l]) => {
    const p = frame.toLocal(m.items[seq]!.x / 1e7, m.items[seq]!.y / 1e7);
    return { leg: l, x: Math.round(p.x), y: Math.round(p.y), command: m.items[seq]!.command };
  });
};

describe('planMission', () => {
  it("flies a run of collinear legs with the same pump, speed and height as one NAV item, which the run's last leg stands for", () => {
    // A partial-width corner pass: three 1 m legs on one line with less flow each, then the pass.
    const plan: FlightPlan = {
      takeOffAltM: 2.5,
      legs: [leg(0, 20, false), leg(1, 20, true, 5, 6), leg(2, 20, true, 5, 4), leg(3, 20, true, 5, 2), leg(60, 20, true), leg(60, 27, true), leg(0, 0, false, 8)],
      land: true,
    };
    expect(navs(plan)).toEqual([
      { leg: -1, x: 0, y: 0, command: common.MavCmd.NAV_TAKEOFF },
      { leg: 0, x: 0, y: 20, command: common.MavCmd.NAV_WAYPOINT },
      { leg: 4, x: 60, y: 20, command: common.MavCmd.NAV_WAYPOINT },
      { leg: 5, x: 60, y: 27, command: common.MavCmd.NAV_WAYPOINT },
      { leg: 6, x: 0, y: 0, command: common.MavCmd.NAV_WAYPOINT },
      { leg: 7, x: 0, y: 0, command: common.MavCmd.NAV_LAND },
    ]);
  });

  it('keeps every waypoint where the line turns back, the speed or the pump changes, or the path bends by more than 0.25 m', () => {
    const plan: FlightPlan = {
      takeOffAltM: 2.5,
      legs: [
        leg(0, 20, false),
        leg(30, 20, true),
        leg(60, 20, true), // then back along the same line
        leg(40, 20, true),
        leg(20, 20, true, 3), // same line, slower
        leg(10, 20, false, 3), // same line, pump off
        leg(5, 20.5, false, 3), // bends by 0.5 m…
        leg(0, 20, false, 3),
      ],
      land: false,
    };
    expect(navs(plan).map((n) => n.leg)).toEqual([-1, 0, 2, 3, 4, 5, 6, 7]);
  });

  it('makes a hover stop a NAV_WAYPOINT (its arrival) and a NAV_LOITER_TIME holding there, never merged into a run', () => {
    // Three stops on one line at one speed and height: without the holds these would be one NAV item.
    const stop = (x: number): FlightLeg => ({ ...leg(x, 20, false), holdS: 40 });
    const plan: FlightPlan = { takeOffAltM: 2.5, legs: [stop(0), stop(30), stop(60), leg(0, 0, false)], land: true };
    const m = planMission(plan, home, 'ardupilot', true);
    const nav = m.items.map((it, seq) => ({ seq, it })).filter(({ it }) => it.command !== common.MavCmd.DO_CHANGE_SPEED && (it.command as number) !== ardupilotmega.MavCmd.DO_SPRAYER);
    expect(nav.map(({ it }) => [it.command, it.param1, Math.round(frame.toLocal(it.x / 1e7, it.y / 1e7).x)])).toEqual([
      [common.MavCmd.NAV_WAYPOINT, 0, 0],
      [common.MavCmd.NAV_TAKEOFF, 0, 0],
      [common.MavCmd.NAV_WAYPOINT, 0, 0],
      [common.MavCmd.NAV_LOITER_TIME, 40, 0],
      [common.MavCmd.NAV_WAYPOINT, 0, 30],
      [common.MavCmd.NAV_LOITER_TIME, 40, 30],
      [common.MavCmd.NAV_WAYPOINT, 0, 60],
      [common.MavCmd.NAV_LOITER_TIME, 40, 60],
      [common.MavCmd.NAV_WAYPOINT, 0, 0],
      [common.MavCmd.NAV_LAND, 0, 0],
    ]);
    // The arrival is the waypoint's; the loiter belongs to the same leg, so progress stays on it during the hold.
    expect([...m.arrivalOfSeq.values()]).toEqual([0, 1, 2, 3]);
    for (const [seq, l] of m.arrivalOfSeq) if (l < 3) expect(m.legOfSeq.get(seq + 1)).toBe(l);
  });
  it("flies a broadcast line forward at its speed: DO_CHANGE_SPEED to it before the line and back to cruise after, the line's ends kept as waypoints", () => {
    // Ferry out at 10 m/s to (0, 20), the line along y = 20 at 3 m/s playing (collinear: one NAV item), ferry back at 10 m/s along the same line.
    const line = (x: number): FlightLeg => ({ ...leg(x, 20, false, 3), play: true });
    const plan: FlightPlan = { takeOffAltM: 15, legs: [leg(0, 20, false, 10), line(10), line(20), line(30), leg(40, 20, false, 10), leg(0, 0, false, 10)], land: true };
    const m = planMission(plan, home, 'ardupilot', true);
    const seq = m.items.flatMap((it) => {
      if (it.command === common.MavCmd.DO_CHANGE_SPEED) return [`speed ${it.param2}`];
      if (it.command !== common.MavCmd.NAV_WAYPOINT) return [];
      const p = frame.toLocal(it.x / 1e7, it.y / 1e7);
      return [`wp ${Math.round(p.x)},${Math.round(p.y)}`];
    });
    expect(seq).toEqual(['wp 0,0', 'speed 10', 'wp 0,20', 'speed 3', 'wp 30,20', 'speed 10', 'wp 40,20', 'wp 0,0']);
    // Arrivals at the line's start (leg 0) and end (leg 3) are reported: the bridge starts and stops the message there.
    expect([...m.arrivalOfSeq.values()]).toEqual([0, 3, 4, 5]);
    // A line flown at the cruise speed: no speed change marks its end, the playing does.
    const atCruise = plan.legs.map((l) => ({ ...l, speedMps: 10 }));
    expect([...planMission({ ...plan, legs: atCruise }, home, 'ardupilot', true).arrivalOfSeq.values()]).toEqual([0, 3, 4, 5]);
  });
});
