/**
 * Types of the meal-round planner: rooms → robots → trips → trays, in seconds from round start.
 */

/** What a tray carries; medicine is weighted higher and goes out earlier. */
export type RoundPriority = 'meal' | 'medicine';

/** One tray to deliver. The same room may appear twice (a meal and a medicine). */
export interface RoomRequest {
  /** Index of the room's door in the travel matrix (1..n-1; 0 is the loading station). */
  readonly room: number;
  readonly priority: RoundPriority;
  /** Deliver (arrive at the door) by this time, seconds from round start. Soft: lateness is penalised. */
  readonly readyBy?: number;
}

/** A robot available for the round. */
export interface RobotAvailability {
  readonly id: string;
  /** Trays per trip (BellaBot class: 4). */
  readonly trays: number;
  /** When the robot can start, seconds from round start. */
  readonly availableAtS: number;
  /** Matrix index where the robot is at `availableAtS` (default 0, the loading station); it then drives to the station (with `lifts`, queueing for the cars). */
  readonly startIndex?: number;
}

/** Everything the planner needs; plain data (JSON-friendly). */
export interface RoundInput {
  /** Travel time in seconds, `travelS[from][to]`, square, index 0 = loading station; may be asymmetric. */
  readonly travelS: readonly (readonly number[])[];
  readonly requests: readonly RoomRequest[];
  readonly robots: readonly RobotAvailability[];
  /** Time at a door: announcement plus waiting for pickup (profile: 5 s + ~35 s mean). Scalar or per matrix index. */
  readonly serviceS: number | readonly number[];
  /** Loading time per tray at the station (profile: 10 s). */
  readonly loadSPerTray: number;
  /**
   * People loading trays at the station at once (default 1: one medic, one robot at a time, in
   * the order robots are ready). A robot back while they are busy waits its turn; `Infinity`
   * lets every robot load at once.
   */
  readonly stationLoaders?: number;
  /**
   * Lift cars the robots share (default none: rides cost their matrix time only). With them a
   * robot at a landing waits for its car, one robot per car, served in the order they call,
   * and the car first travels to the caller's floor, as in the simulator. A robot at
   * `startIndex` (say, its last door of a trip under way) queues for the cars on its way home too.
   */
  readonly lifts?: RoundLifts;
}

/** A lift car: one robot at a time; an idle car stays where its last ride ended. */
export interface LiftCar {
  /** Seconds per floor the car travels, also empty to a caller. */
  readonly perFloorS: number;
  /** Level (0 = lowest of the car) where the car is at round start (default 0). */
  readonly startLevel?: number;
}

/** A lift ride within the leg from one matrix index to another (the route's car; robots do not choose). */
export interface LiftRide {
  /** Index into {@link RoundLifts.cars}. */
  readonly car: number;
  /** Levels of the car, 0 = its lowest. */
  readonly fromLevel: number;
  readonly toLevel: number;
  /** Seconds from the leg's start to the landing without any waiting (the part of `travelS` before the ride). */
  readonly atS: number;
  /** Seconds the ride holds the car once it is at the caller's floor (doors, entering, floors, leaving); part of `travelS`. */
  readonly rideS: number;
}

/** A way of a leg other than its shortest: through another car, with its own time. */
export interface LegWay {
  /** Seconds of the leg this way, its rides included, waiting for cars not. */
  readonly travelS: number;
  /** Its rides in order (at least one). */
  readonly rides: readonly LiftRide[];
}

/** The lifts of a round: the cars, and which of them each leg rides. */
export interface RoundLifts {
  readonly cars: readonly LiftCar[];
  /** `rides[from][to]`: the rides of that leg's shortest way in order (empty when it stays on one floor); same shape as `travelS`. */
  readonly rides: readonly (readonly (readonly LiftRide[])[])[];
  /**
   * `ways[from][to]`: other ways of that leg than the shortest (`travelS`, `rides`), e.g. through
   * the other car; same shape as `travelS`, empty where there is none (default: none anywhere).
   * The plan picks a leg's way when the robot reaches the first landing of any of them: the way
   * whose first ride, waiting for its car as the cars stand then, ends the leg first (ties: the
   * shortest). The trip then rides the cars the plan picked ({@link PlannedRide}).
   */
  readonly ways?: readonly (readonly (readonly LegWay[])[])[];
}

/** A planned stop: tray `tray` (1-based) goes to `room`. */
export interface PlannedStop {
  /** Index into `RoundInput.requests`. */
  readonly request: number;
  readonly room: number;
  readonly priority: RoundPriority;
  /** Tray number, 1-based: the i-th stop of a trip uses tray i. */
  readonly tray: number;
  /** Predicted arrival at the door (the delivery time), seconds from round start. */
  readonly arriveS: number;
  /** Predicted departure from the door. */
  readonly departS: number;
}

/** A predicted lift ride of a trip (only when the input has {@link RoundInput.lifts}). */
export interface PlannedRide {
  /** Index into {@link RoundLifts.cars}. */
  readonly car: number;
  /** The leg it is on: leg i ends at the trip's stop i (0-based), the last leg at the station. */
  readonly leg: number;
  /** The leg's way: 0 the shortest (`RoundLifts.rides`), i the i-th of `RoundLifts.ways` (1-based). */
  readonly way: number;
  /** At the landing, calling the car. */
  readonly callS: number;
  /** The car is ours: it starts towards the caller's floor (or opens, when there). */
  readonly startS: number;
  /** Off the car at the destination floor; the car is free. */
  readonly endS: number;
}

/** One trip: load at the station, deliver, return. */
export interface PlannedTrip {
  /** Loading starts at the station. */
  readonly loadStartS: number;
  /** Leaves the station. */
  readonly departS: number;
  readonly stops: readonly PlannedStop[];
  /** Lift rides in order (empty without {@link RoundInput.lifts}). */
  readonly rides: readonly PlannedRide[];
  /** Back at the station. */
  readonly returnS: number;
}

/** Trips of one robot, in order. */
export interface RobotPlan {
  readonly robotId: string;
  readonly trips: readonly PlannedTrip[];
  /** When the robot is back at the station after its last trip (its availability if idle). */
  readonly finishS: number;
}

/** Summary figures of a plan (all seconds from round start). */
export interface RoundMetrics {
  /** Last robot back at the station. */
  readonly makespanS: number;
  /** Mean arrival time over all stops. */
  readonly meanDeliveryS: number;
  /** Mean arrival weighted by priority (medicine weight, meal 1). */
  readonly weightedMeanDeliveryS: number;
  /** Total seconds past `readyBy`, over all stops. */
  readonly latenessS: number;
}

/** A complete round plan. */
export interface RoundPlan {
  readonly robots: readonly RobotPlan[];
  readonly metrics: RoundMetrics;
  /** Objective value under the objective used (lower is better). */
  readonly objective: number;
}

/**
 * Scores a plan; lower is better. A strategy argument: pass your own to change priorities.
 */
export interface RoundObjective {
  readonly minimise: true;
  /** Weight of a medicine stop relative to a meal stop in `weightedMeanDeliveryS`. */
  readonly medicineWeight: number;
  readonly score: (m: RoundMetrics) => number;
}

/**
 * Default: makespan first, then priority-weighted mean delivery (weight 0.05, i.e. 20 s of
 * mean delivery trade for 1 s of makespan), lateness past `readyBy` at 10 per second;
 * medicine weighs 3 meals.
 */
export const MAKESPAN_THEN_DELIVERY: RoundObjective = {
  minimise: true,
  medicineWeight: 3,
  score: (m) => m.makespanS + 0.05 * m.weightedMeanDeliveryS + 10 * m.latenessS,
};
