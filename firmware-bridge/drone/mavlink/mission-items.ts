/**
 * Flight plans and fences as MAVLink mission items (pure). Item layout follows how ArduPilot's
 * AP_Mission runs a mission: DO commands that follow a NAV command start when that NAV command is
 * done, so the DO_CHANGE_SPEED and sprayer items of a leg sit between the waypoint it starts at and
 * the one it ends at (https://ardupilot.org/copter/docs/mission-command-list.html).
 *
 * Sortie mission: `0` home (ArduPilot overwrites it) · `NAV_TAKEOFF` when it starts on the ground
 * · per leg: `DO_CHANGE_SPEED` when the speed changes, the sprayer item when the pump changes,
 * `NAV_WAYPOINT` at the leg's end, and `NAV_LOITER_TIME` there (param1 the hold, s) when the leg
 * ends in a hover (a broadcast stop) · sprayer off · `NAV_LAND` when the plan lands.
 *
 * A stop is two items, not one NAV_WAYPOINT with a hold (param1): ArduCopter sends a waypoint's
 * MISSION_ITEM_REACHED only once its hold is over (mode_auto.cpp, verify_nav_wp and
 * verify_command), so the bridge could not tell the arrival; the waypoint without a hold is
 * reached on arrival, and the hover is the loiter item's. A broadcast line flown forward is its
 * waypoints at the forward speed (a DO_CHANGE_SPEED before its first leg, another after its last):
 * the line's first and last waypoints are kept as NAV items, their arrivals starting and ending
 * the playing. The broadcast payload itself is not in
 * the mission: ArduPilot has no speech or display command (PLAY_TUNE plays a buzzer tune), so the
 * bridge starts the message on the companion payload at that MISSION_ITEM_REACHED.
 *
 * Runs of collinear legs (same pump, speed, height and playing; the planner's partial-width corner passes
 * are ten 0.3 m legs on one line, each with less flow) become one NAV item: ArduCopter 4.6 slows
 * almost to a stop at each waypoint of such a run (0.2 m/s, ~3 s each, 4 corners cost a 1 ha
 * sortie about 100 s in SITL), and its pump follows ground speed only, so the per-leg flow could
 * not be flown anyway.
 */
import { ardupilotmega, common } from 'node-mavlink';
import { localFrame } from '../../../protocol/index.js';
import type { FenceSetup, FlightLeg, FlightPlan } from '../driver.js';
import type { MissionItem } from './mission-transfer.js';

/** Which autopilot firmware: they differ in how the sprayer is switched. */
export type AutopilotFirmware = 'ardupilot' | 'px4';

const MavCmd = common.MavCmd;
const FRAME = common.MavFrame.GLOBAL_RELATIVE_ALT;

function item(command: common.MavCmd, params: Partial<Pick<MissionItem, 'param1' | 'param2' | 'param3' | 'param4'>> = {}, at?: { lat: number; lon: number; altM: number }): MissionItem {
  return {
    frame: FRAME,
    command,
    param1: params.param1 ?? 0,
    param2: params.param2 ?? 0,
    param3: params.param3 ?? 0,
    param4: params.param4 ?? 0,
    x: at ? Math.round(at.lat * 1e7) : 0,
    y: at ? Math.round(at.lon * 1e7) : 0,
    z: at?.altM ?? 0,
  };
}

/**
 * The pump as a command: ArduPilot's MAV_CMD_DO_SPRAYER (216, param1 1/0; SPRAY_PUMP_RATE scales it
 * with ground speed); PX4 has no sprayer and drives the pump as actuator 1 with
 * MAV_CMD_DO_SET_ACTUATOR (187, param1 +1 on, −1 off).
 */
export function sprayerCommand(firmware: AutopilotFirmware, on: boolean): { command: common.MavCmd; params: [number] } {
  if (firmware === 'px4') return { command: MavCmd.DO_SET_ACTUATOR, params: [on ? 1 : -1] };
  return { command: ardupilotmega.MavCmd.DO_SPRAYER as number as common.MavCmd, params: [on ? 1 : 0] };
}

function sprayerItem(firmware: AutopilotFirmware, on: boolean): MissionItem {
  const c = sprayerCommand(firmware, on);
  return item(c.command, { param1: c.params[0] });
}

/** Items of a plan, and which leg each NAV item ends (−1 take-off, `legs.length` landing). */
export interface PlanMission {
  items: MissionItem[];
  /** NAV item seq → leg index (a stop's loiter item too: the hold belongs to the leg that ends there). */
  legOfSeq: Map<number, number>;
  /** The NAV_WAYPOINT ending each leg, seq → leg: its MISSION_ITEM_REACHED is the arrival there. */
  arrivalOfSeq: Map<number, number>;
  /** First item to fly (set current to it): 1. */
  firstSeq: number;
  /** The last NAV item. */
  lastNavSeq: number;
}

/** The mission for `plan`, flown from `home`; with a take-off item when `fromGround`. */
export function planMission(plan: FlightPlan, home: { lat: number; lon: number }, firmware: AutopilotFirmware, fromGround: boolean): PlanMission {
  const items: MissionItem[] = [item(MavCmd.NAV_WAYPOINT, {}, { ...home, altM: 0 })];
  const legOfSeq = new Map<number, number>();
  const arrivalOfSeq = new Map<number, number>();
  if (fromGround) {
    legOfSeq.set(items.length, -1);
    items.push(item(MavCmd.NAV_TAKEOFF, {}, { ...home, altM: plan.takeOffAltM }));
  }
  let speed: number | undefined;
  let spray: boolean | undefined;
  const through = passThrough(plan.legs, home);
  plan.legs.forEach((leg, i) => {
    if (through.has(i)) return;
    if (leg.speedMps !== speed) {
      // param1 1 = ground speed; param3 −1 = throttle unchanged.
      items.push(item(MavCmd.DO_CHANGE_SPEED, { param1: 1, param2: leg.speedMps, param3: -1 }));
      speed = leg.speedMps;
    }
    if (leg.spray !== spray) {
      items.push(sprayerItem(firmware, leg.spray));
      spray = leg.spray;
    }
    legOfSeq.set(items.length, i);
    arrivalOfSeq.set(items.length, i);
    items.push(item(MavCmd.NAV_WAYPOINT, {}, leg));
    if (leg.holdS) {
      legOfSeq.set(items.length, i);
      // param1: seconds (ArduCopter counts them from arrival at the point).
      items.push(item(MavCmd.NAV_LOITER_TIME, { param1: leg.holdS }, leg));
    }
  });
  if (spray) items.push(sprayerItem(firmware, false));
  const end = plan.legs.at(-1) ?? { ...home, altM: plan.takeOffAltM };
  if (plan.land) {
    legOfSeq.set(items.length, plan.legs.length);
    items.push(item(MavCmd.NAV_LAND, {}, { lat: end.lat, lon: end.lon, altM: 0 }));
  }
  const navSeqs = [...legOfSeq.keys()];
  return { items, legOfSeq, arrivalOfSeq, firstSeq: 1, lastNavSeq: navSeqs.at(-1) ?? 0 };
}

/** Off a straight line by at most this, m: a leg end this close to the run's line is not a turn. */
const COLLINEAR_M = 0.25;

/**
 * Legs whose end needs no NAV item: the next leg goes on along the same line with the same pump,
 * speed and height. Such a run is flown as one NAV item, which the last leg of the run stands for
 * in progress reports (a resume then flies on to the run's end, never back).
 */
function passThrough(legs: readonly FlightLeg[], home: { lat: number; lon: number }): Set<number> {
  const frame = localFrame(home.lat, home.lon);
  const at = (p: { lat: number; lon: number }) => frame.toLocal(p.lat, p.lon);
  const through = new Set<number>();
  let runStart = at(home);
  for (let i = 0; i < legs.length - 1; i++) {
    const leg = legs[i]!;
    const next = legs[i + 1]!;
    const same = !leg.holdS && leg.spray === next.spray && leg.speedMps === next.speedMps && leg.altM === next.altM && !leg.play === !next.play;
    if (same && between(at(leg), runStart, at(next))) through.add(i);
    else runStart = at(leg);
  }
  return through;
}

/** Whether `p` lies on segment a–b (within {@link COLLINEAR_M}, not beyond either end). */
function between(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return false;
  const t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
  if (t <= 0 || t >= 1) return false;
  return Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) <= COLLINEAR_M;
}

/**
 * Fence items (mission type FENCE): the geofence as one inclusion polygon, each keepout an
 * exclusion polygon; every vertex an item whose param1 is its polygon's vertex count.
 */
export function fenceItems(fence: Pick<FenceSetup, 'geofence' | 'keepouts'>): MissionItem[] {
  const polygon = (ring: Array<{ lat: number; lon: number }>, command: common.MavCmd) =>
    ring.map((p) => ({ ...item(command, { param1: ring.length }, { ...p, altM: 0 }), frame: common.MavFrame.GLOBAL }));
  return [...polygon(fence.geofence, MavCmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION), ...fence.keepouts.flatMap((k) => polygon(k, MavCmd.NAV_FENCE_POLYGON_VERTEX_EXCLUSION))];
}

/** ArduCopter parameters behind the fence and our failsafes, with the values they must read back. */
export function failsafeParams(fence: Pick<FenceSetup, 'returnAltM' | 'linkLossTimeoutS'>): Array<{ id: string; value: number }> {
  return [
    // 4 = polygon, 1 = maximum altitude (FENCE_ALT_MAX, default 100 m).
    { id: 'FENCE_TYPE', value: 5 },
    // 1 = RTL, or land where RTL is impossible: the return climbs to RTL_ALT first, above the keepouts' buildings.
    { id: 'FENCE_ACTION', value: 1 },
    { id: 'FENCE_ENABLE', value: 1 },
    // ArduCopter RTL_ALT is in cm.
    { id: 'RTL_ALT', value: Math.round(fence.returnAltM * 100) },
    // GCS failsafe: 1 = RTL once the bridge's heartbeats stop for FS_GCS_TIMEOUT s.
    { id: 'FS_GCS_ENABLE', value: 1 },
    { id: 'FS_GCS_TIMEOUT', value: fence.linkLossTimeoutS },
  ];
}
