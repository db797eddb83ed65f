import type { BroadcastMessage, PayloadState } from '../../protocol/index.js';

/**
 * What the drone bridge needs from an aircraft. Implemented by the simulator (`sim/drone/`) and
 * by the MAVLink driver (`mavlink/`: each flight an AUTO mission on an ArduPilot or PX4
 * autopilot). The bridge cannot tell them apart. Long calls take an AbortSignal and reject with
 * its reason when the bridge interrupts them; the aircraft then brakes to a hover where it is.
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
  /** Motors armed. */
  armed: boolean;
  /** The autopilot's flight mode as it names it (ArduCopter `AUTO`, `BRAKE`, `RTL` …; the simulator `SIM`). */
  flightMode: string;
  /** GNSS has a 3-D fix good enough to fly. */
  gpsOk: boolean;
  /** The position estimate (EKF) is good enough to arm and navigate. */
  ekfOk: boolean;
  /**
   * Someone other than the bridge flies the aircraft (a pilot took over with the remote, or the
   * autopilot's own failsafe): the bridge does not command it until the operator hands it back.
   * Absent while the bridge is in control.
   */
  externalControl?: { mode: string; reason: string };
  /** Where `tankL` comes from: a level sensor the aircraft reports, or litres integrated from the pump's commanded rate. */
  tankSource: TankSource;
  /** What the aircraft is waiting for, in words ("waiting for the position estimate to arm: PreArm: Need Position Estimate"). */
  notice?: string;
}

/** A line for the mission log from the aircraft (an autopilot's STATUSTEXT). */
export interface DroneLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Where a tank figure comes from. */
export type TankSource = 'measured' | 'integrated';

/** What a driver can do beyond the basics, as the robot driver's `actionTypes`. */
export type DroneCapability =
  /** Flies a whole {@link FlightPlan} on its own (an autopilot mission), so a link drop does not stop it. */
  | 'autoMission'
  /** Holds a geofence and keepouts itself ({@link DroneDriver.setFence}). */
  | 'fence'
  /** Reports its tank level from a sensor. */
  | 'tankLevel'
  /** Reports the wind it estimates. */
  | 'wind'
  /** Has a loudspeaker ({@link DroneDriver.payload}: play, stopPlaying, setVolume). */
  | 'speaker'
  /** Has a display or banner screen for a QR code ({@link DroneDriver.payload}: show, clearDisplay). */
  | 'display';

/** One straight leg of a {@link FlightPlan}. */
export interface FlightLeg extends GoToTarget {
  /** Pump on this leg, at `flowLPerMin` (scaled with ground speed). */
  spray: boolean;
  flowLPerMin: number;
  /** Hover at the leg's end this long, s, before the next leg. */
  holdS?: number;
  /** The speaker plays along this leg (a broadcast line flown forward): where that changes is a waypoint of its own, whose arrival starts or ends the playing. */
  play?: boolean;
}

/** A whole flight: take off (when landed) to `takeOffAltM`, fly the legs in order, land at the end when `land`. */
export interface FlightPlan {
  takeOffAltM: number;
  legs: FlightLeg[];
  land: boolean;
}

/** Progress of a flight plan: `-1` while taking off, then the index of the leg being flown, `legs.length` while landing. */
export type FlightProgress = (leg: number) => void;

/** Called when the aircraft arrives at the end of leg `leg` (before any hold there). */
export type FlightArrival = (leg: number) => void;

/**
 * A loudspeaker and a display the aircraft carries (a broadcast payload). Each call resolves once
 * the payload has taken it and rejects with the payload's reason (or a timeout) otherwise.
 */
export interface BroadcastPayload {
  /** Plays the message now, replacing what plays; `repeat`: over and over until {@link stopPlaying}. */
  play(message: BroadcastMessage, options: { repeat: boolean }): Promise<void>;
  stopPlaying(): Promise<void>;
  /** 0–100 % of full level. */
  setVolume(pct: number): Promise<void>;
  /** Shows the text as a QR code, full screen. */
  show(qr: string): Promise<void>;
  clearDisplay(): Promise<void>;
  /** What it plays and shows now, as last confirmed. */
  state(): PayloadState;
}

/** Geofence and keepouts for an aircraft that holds them itself, and its own failsafe settings. */
export interface FenceSetup {
  /** Where it may fly (closed ring without the repeated first point). */
  geofence: Array<{ lat: number; lon: number }>;
  /** Where it may not. */
  keepouts: Array<Array<{ lat: number; lon: number }>>;
  /** Height of its own returns (ArduPilot RTL_ALT), m. */
  returnAltM: number;
  /** Return home after this long without the bridge (GCS failsafe), s. */
  linkLossTimeoutS: number;
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
  readonly capabilities: readonly DroneCapability[];
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
  /** With `autoMission`: flies the plan as one mission the aircraft holds; `progress` follows it. Rejects when interrupted or taken over. */
  flyPlan?(plan: FlightPlan, signal: AbortSignal, progress: FlightProgress, arrived?: FlightArrival): Promise<void>;
  /** With `speaker` or `display`: the broadcast payload. */
  readonly payload?: BroadcastPayload;
  /** With `fence`: gives the aircraft the fence, keepouts and failsafe settings and checks they took. */
  setFence?(fence: FenceSetup): Promise<void>;
  /** Calls `listener` with every line the aircraft says (for the mission log). Returns the teardown. */
  onLog?(listener: (entry: DroneLogEntry) => void): () => void;
  /** The operator hands control back after an {@link DroneStatus.externalControl}. */
  releaseExternalControl?(): void;
}
