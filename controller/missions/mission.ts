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

/**
 * Where a drone is in its sortie cycle: one state, so that no two flags can disagree.
 * - `restored`: loaded after a controller restart and not heard since; shows what was stored
 *   (`stored`) and counts as silent from the restart on. Its first telemetry reconciles what the
 *   drone did meanwhile ({@link reconcileRun}).
 * - `landed`: heard after the restart, on the ground, and the sortie cycle has not decided yet
 *   (the drone does not hold the mission, or the mission is over); still shows `stored`.
 * - `waiting` (the mission is not running), `servicing` (battery or tank not ready), `held`
 *   (wind, or a breach until the operator resumes), `done` (its queue flown): on a pad.
 * - `starting`: a start command sent and not answered yet (shown as `flying`).
 * - `flying`, `returning`: took off for the current sortie and has not landed since.
 * - `lost`: silent too long; its sorties went to the others.
 */
export type RunProgress =
  | { kind: 'restored'; stored: MissionDrone['state'] }
  | { kind: 'landed'; stored: MissionDrone['state'] }
  | { kind: 'waiting' | 'servicing' | 'held' | 'done' }
  | { kind: 'starting'; commandId: string; atMs: number }
  | { kind: 'flying' | 'returning' }
  | { kind: 'lost' };

/** The state a screen and the store see for a run's progress. */
export function shownState(p: RunProgress): MissionDrone['state'] {
  switch (p.kind) {
    case 'restored':
    case 'landed':
      return p.stored;
    case 'starting':
      return 'flying';
    default:
      return p.kind;
  }
}

/** Took off for its current sortie and has not landed since. */
export const isAirborne = (p: RunProgress): boolean => p.kind === 'flying' || p.kind === 'returning';

/**
 * What the in-flight watches last saw, so that one entry into a condition raises one alert
 * (edges, not states): the link reported lost, outside the geofence, inside a keepout with the
 * pump on, flown by someone other than the bridge.
 */
export interface RunWatch {
  linkLost: boolean;
  outsideFence: boolean;
  inKeepout: boolean;
  externalControl: boolean;
}

/** One drone's part: its queue of jobs, flown in order (the queue is the mission uploaded to it). */
export interface DroneRun {
  droneId: string;
  queue: SortieJob[];
  /** Position in `queue` of the job flown or next to fly. */
  next: number;
  progress: RunProgress;
  waypoint: number;
  /** Held on the ground after a geofence or keepout breach until the operator resumes (an operator's hold, kept across phases). */
  breachHold: boolean;
  watch: RunWatch;
  /** Last telemetry used for coverage (local point, flow meter, where in the sortie). */
  lastSample?: CoverageSample;
  lastTelemetry?: DroneTelemetry;
  windEmaMps?: number;
  windAtMs?: number;
}

/** A run's watches before anything was seen. */
export const freshWatch = (): RunWatch => ({ linkLost: false, outsideFence: false, inKeepout: false, externalControl: false });

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
