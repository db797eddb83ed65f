/**
 * Shapes the dashboard reads from the server. Trip and site types come from `protocol/`;
 * the rest mirror the HTTP contract agreed for issue 6 (rounds, alerts, settings, sim, drones,
 * missions) until their zod schemas land in `protocol/`.
 */
import type {
  CreateTripBody,
  RoundRoomStatus,
  RoundView,
  Site,
  SiteNode,
  TrayStatus,
  TripStatus,
  TripView as ProtocolTripView,
} from '../../../protocol/index.js';

export type { Site, SiteNode, TrayStatus, TripStatus, CreateTripBody };

/** A trip; `loading` appears once trips wait at the loading station for the medic. */
export type TripView = ProtocolTripView & { loading?: { confirmedTrays: number[] } };

export type RobotState = 'offline' | 'unknown' | 'idle' | 'driving' | 'working' | 'paused' | 'error';

/** `GET /api/robots` and socket.io `fleet` items. */
export interface RobotSummary {
  id: string;
  online: boolean;
  /** Percent 0–100, null before the first state. */
  battery: number | null;
  level: string | null;
  node: string | null;
  state: RobotState;
  position: { x: number; y: number; theta: number; mapId: string } | null;
  loadedTrays: number[];
}

export type AlertKind =
  | 'robotOffline'
  | 'robotStuck'
  | 'trayNotCollected'
  | 'geofenceBreach'
  | 'windTooStrong'
  | 'droneLinkLost'
  | 'droneNotReturned'
  | 'batteryLow';

export interface Alert {
  id: string;
  kind: AlertKind;
  /** Robot or drone id. */
  subject: string;
  room?: string;
  tray?: number;
  /** ISO time. */
  at: string;
  /** English text from the server; the client translates by kind instead. */
  message: string;
  acknowledged: boolean;
}

/** A meal round as `GET /api/rounds/:id` shows it (robot, trip and tray are null for a room not placed yet). */
export type Round = RoundView;
export type { RoundRoomStatus };

export interface SimInfo {
  speed: number;
  robots: string[];
  drones: string[];
  medic: 'auto' | 'manual';
}

export type FaultKind = 'stuck' | 'linkLoss' | 'batterySag' | 'pumpFailure' | 'noReturn';

/** `GET /api/drones` and socket.io `drones` items. */
export interface Drone {
  id: string;
  online: boolean;
  batteryPct: number;
  tankL: number;
  lat: number;
  lon: number;
  altM: number;
  headingDeg: number;
  groundSpeedMps: number;
  pumpOn: boolean;
  mode: string;
  sortie: number;
  waypoint: number;
  windMps: number;
}

export type ZoneRole = 'spray' | 'keepout' | 'geofence' | 'pad';

export type Position = [number, number] | [number, number, number];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  properties: P;
  geometry: Geometry;
}

export interface FeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<P>[];
  properties?: Record<string, unknown>;
}

export interface PlanMetrics {
  areaM2: number;
  sprayLengthM: number;
  totalLengthM: number;
  turns: number;
  sorties: number;
  makespanS: number;
  coveragePct: number;
  oversprayPct: number;
  planMs: number;
}

export type PlanLegProps = { drone: string; sortie: number; spray: boolean };

export interface CreateMissionResponse {
  id: string;
  plan: FeatureCollection<PlanLegProps> & { properties?: { metrics?: PlanMetrics } };
  assigned?: unknown;
}

export type MissionStatus = 'planned' | 'cleared' | 'running' | 'paused' | 'returning' | 'done' | 'aborted';

export interface Mission {
  id: string;
  status: MissionStatus;
  zoneClear: boolean;
  drones: { id: string; sortie: number; sorties: number; waypoint: number; state: string }[];
  coveragePct: number;
  oversprayPct: number;
  sorties: number;
  refills: number;
  log: unknown[];
}

export interface CoverageGrid {
  originLat: number;
  originLon: number;
  cellM: number;
  width: number;
  height: number;
  doseLPerHa: number[];
  targetDoseLPerHa: number;
}

export interface CoverageUpdate {
  missionId: string;
  coveragePct: number;
  cells: [number, number][];
}
