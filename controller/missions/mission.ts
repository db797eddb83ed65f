import type { DroneTelemetry, MissionDrone, MissionLogEntry, MissionStatus, MissionWaypoint, ResumePoint } from '../../protocol/index.js';
import type { FlightSpace, ValidZones } from '../spray/index.js';
import type { CoverageSample, MissionSetup } from '../storage/index.js';
import type { planToGeoJson } from '../spray/index.js';

/** The plan as the API gives it: legs as GeoJSON features, metrics in its properties. */
export type PlanView = ReturnType<typeof planToGeoJson>;
import type { CoverageRaster } from './coverage-raster.js';

/** One sortie of the plan, wherever it is flown. */
export interface SortieJob {
  /** Global index in the mission. */
  id: number;
  /** Plan drone and sortie index it came from. */
  planDrone: number;
  planSortie: number;
  waypoints: MissionWaypoint[];
  /** Where to continue it (waypoint flown towards and exact point); absent: from the start. */
  progress?: Omit<ResumePoint, 'sortie'>;
  done: boolean;
}

/** One drone's part: its queue of jobs, flown in order (the queue is the mission uploaded to it). */
export interface DroneRun {
  droneId: string;
  queue: SortieJob[];
  /** Position in `queue` of the job flown or next to fly. */
  next: number;
  state: MissionDrone['state'];
  waypoint: number;
  /** A start sent, not yet answered. */
  pendingStart?: { commandId: string; atMs: number };
  /** Took off for the current job and has not landed since. */
  airborne: boolean;
  /** Held on the ground after a geofence breach until the operator resumes. */
  breachHold: boolean;
  linkLostAlerted: boolean;
  outside: boolean;
  /** Reported inside a keepout with the pump on, and not out since. */
  inKeepout?: boolean;
  /** Its telemetry says someone other than the bridge flies it (a pilot, the autopilot's failsafe). */
  externalControl?: boolean;
  /** Last telemetry used for coverage (local point, flow meter, where in the sortie). */
  lastSample?: CoverageSample;
  /** Restored after a restart: the first telemetry reconciles what the drone did meanwhile. */
  resync?: boolean;
  lastTelemetry?: DroneTelemetry;
  windEmaMps?: number;
  windAtMs?: number;
}

/** A spray mission: plan, drones, progress, coverage measured from telemetry, log. */
export interface Mission {
  id: string;
  status: MissionStatus;
  zoneClear: boolean;
  createdAtMs: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  /** What it was planned from and with (kept as created). */
  setup: MissionSetup;
  zones: ValidZones;
  runs: DroneRun[];
  jobs: SortieJob[];
  coverage: CoverageRaster;
  /** Take-offs seen in telemetry. */
  sortiesFlown: number;
  refills: number;
  swaps: number;
  windHold: boolean;
  /** While held for wind: since when (clock ms) it has stayed under the limit less 0.5 m/s. */
  windCalmSinceMs?: number;
  log: MissionLogEntry[];
  /** Built on first use: the plan as GeoJSON with its predicted metrics. */
  planView?: PlanView;
  /** Built on first use: clear paths for approaches and returns. */
  flightSpace?: FlightSpace;
}
