/**
 * What the drone bridge needs from an aircraft. Implemented by the simulator (`sim/drone/`) and,
 * later, by a MAVLink adapter (GUIDED-mode goto, MAV_CMD_DO_SPRAYER / DO_SET_ACTUATOR for the pump,
 * MAV_CMD_NAV_TAKEOFF / NAV_LAND). The bridge cannot tell them apart. Long calls take an
 * AbortSignal and reject with its reason when the bridge interrupts them; the aircraft then brakes
 * to a hover where it is.
 */

/** What the aircraft reports about itself at any moment (its sensors, so with their noise). */
export interface DroneStatus {
  lat: number;
  lon: number;
  /** Height above ground, m. */
  altM: number;
  groundSpeedMps: number;
  /** Course over ground, degrees clockwise from north. */
  headingDeg: number;
  /** 0–100. */
  batteryPct: number;
  tankL: number;
  pumpOn: boolean;
  /** Measured flow, L/min. */
  flowLPerMin: number;
  /** Flow meter total since power-on, L. */
  sprayedL: number;
  /** Wind estimate, m/s, and the direction it comes from, degrees. */
  windMps: number;
  windDirDeg: number;
  /** On the ground, motors stopped. */
  landed: boolean;
}

/** Where to fly next, in a straight line. */
export interface GoToTarget {
  lat: number;
  lon: number;
  altM: number;
  /** Cruise ground speed, m/s. */
  speedMps: number;
  /** Speed to arrive with, m/s (0 = stop there); the bridge lowers it for the turn that follows. */
  exitSpeedMps?: number;
}

/** Static facts about the aircraft. */
export interface DroneDescription {
  model: string;
  tankL: number;
  maxSpeedMps: number;
}

/** The aircraft under the bridge. */
export interface DroneDriver {
  readonly description: DroneDescription;
  status(): DroneStatus;
  /** Calls `listener` when something in {@link status} changes on its own (service done, a fault). Returns the teardown. */
  onStatusChange(listener: () => void): () => void;
  /** Arms, spins up and climbs to `altM` where it stands. */
  takeOff(altM: number, signal: AbortSignal): Promise<void>;
  /** Flies straight to the target (3-D); rejects when interrupted (the aircraft then brakes to a hover). */
  goTo(target: GoToTarget, signal: AbortSignal): Promise<void>;
  /** Pump on at `flowLPerMin` (scaled by the aircraft with ground speed) or off. */
  setPump(on: boolean, flowLPerMin: number): void;
  /** Descends and lands where it is, disarms. */
  land(signal: AbortSignal): Promise<void>;
}
