/**
 * The spray plan as a mission executor consumes it. Plain TS types, no zod: the wire schema will
 * live in protocol/ later.
 */

/** A validation problem: where in the input (dotted JSON path) and what is wrong. */
export interface PlanError {
  path: string;
  message: string;
}

/** One mission waypoint. Values describe the leg that starts here (to the next waypoint). */
export interface SprayWaypoint {
  lat: number;
  lon: number;
  /** Height above ground, m (0 on the pad at the start and end of a sortie). */
  altM: number;
  /** Commanded ground speed towards the next waypoint, m/s. */
  speedMps: number;
  /** Pump on from this waypoint to the next. */
  spray: boolean;
  /** Pump flow on that leg at `speedMps`, L/min (0 when not spraying). */
  flowLPerMin: number;
  /**
   * Effective swath of that leg, m, when it sprays narrower than the plan's {@link SprayPlan.swathM}
   * (partial width: outer boom sections off, flow reduced in proportion so the dose per hectare
   * stays the same; `flowLPerMin` already includes it). Absent: the full swath. Only corner passes
   * use it.
   */
  swathM?: number;
}

/** One flight from a pad back to a pad. */
export interface Sortie {
  /** 0-based index among this drone's sorties. */
  index: number;
  /** Pad index (order of pads in the zones file) taken off from / landed on. */
  fromPad: number;
  toPad: number;
  /** Starts and ends on a pad (altM 0). */
  waypoints: SprayWaypoint[];
  /** Predicted take-off time, s after mission start (includes waits for a pad crew). */
  takeoffS: number;
  /** Predicted landing time, s after mission start. */
  landingS: number;
  /** Predicted flight time including take-off and landing, s. */
  flightS: number;
  /** Litres sprayed. */
  sprayL: number;
  /** Battery fraction used, including take-off and landing (must stay ≤ 1 − reserve). */
  batteryUsedFrac: number;
  sprayLengthM: number;
  totalLengthM: number;
}

/** Everything one drone flies. */
export interface DronePlan {
  drone: number;
  sorties: Sortie[];
  /** Landing time of the last sortie, s. */
  finishS: number;
}

/** Metrics the planner knows itself (coverage/overspray are measured independently, see metrics/). */
export interface PlanStats {
  /** Sprayable area (spray ∩ geofence − keepouts), m². */
  areaM2: number;
  /** Length flown with the pump on, m. */
  sprayLengthM: number;
  /** Length flown in total, pad to pad, m. */
  totalLengthM: number;
  /** Waypoints where the heading changes by 45° or more. */
  turns: number;
  sorties: number;
  /** Landing time of the last drone, s. */
  makespanS: number;
}

/** The result of planning. */
export interface SprayPlan {
  drones: DronePlan[];
  stats: PlanStats;
  /** The swath the plan was made with, m (the footprint width for coverage checks). */
  swathM: number;
}

/** Planning outcome: a plan, or the list of input problems. */
export type SprayPlanResult = { ok: true; plan: SprayPlan } | { ok: false; errors: PlanError[] };
