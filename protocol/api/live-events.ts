/**
 * What the controller pushes to screens over socket.io: each event's name and payload, one map
 * for the server that emits and the dashboard that listens. Screens send nothing.
 */
import type { DroneView, MissionSummary } from '../drone/api.js';
import type { Alert } from './alerts.js';
import type { StationDisinfectionsView } from './disinfections.js';
import type { LiftCarView } from './lifts.js';
import type { RobotSummaryView } from './robots.js';
import type { RoundView } from './rounds.js';
import type { TripView } from './trips.js';

/** Doses measured since the last push: `[cell index, dose L/ha]`, one decimal. */
export interface CoverageUpdate {
  missionId: string;
  coveragePct: number;
  cells: [number, number][];
}

/** socket.io server → screen events (a new screen gets `fleet`, `trips`, `rounds`, `alerts`, `lifts`, `disinfections`, `drones` and each `mission` at once). */
export interface LiveEvents {
  /** Every robot. */
  fleet: (robots: RobotSummaryView[]) => void;
  /** The robots that changed since the last push. */
  robotsChanged: (robots: RobotSummaryView[]) => void;
  trips: (trips: TripView[]) => void;
  trip: (trip: TripView) => void;
  rounds: (rounds: RoundView[]) => void;
  round: (round: RoundView) => void;
  alerts: (alerts: Alert[]) => void;
  alert: (alert: Alert) => void;
  /** Every lift car in use, as `GET /api/lifts`. */
  lifts: (cars: LiftCarView[]) => void;
  /** Every disinfection station where robots were disinfected, with the count (on connect and on each new one). */
  disinfections: (stations: StationDisinfectionsView[]) => void;
  /** Every drone. */
  drones: (drones: DroneView[]) => void;
  /** The drones that changed since the last push. */
  dronesChanged: (drones: DroneView[]) => void;
  mission: (mission: MissionSummary) => void;
  coverage: (update: CoverageUpdate) => void;
}

/** Screens send no events. */
export type LiveCommands = Record<string, never>;
