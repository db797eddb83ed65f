/**
 * Shapes the dashboard reads from the server: the HTTP contract's types come from `protocol/`
 * (inferred from the same zod schemas the server validates with); only what has no schema
 * there (the robot list, GeoJSON shapes the map draws) is written here.
 */
import type {
  Alert,
  AlertKind,
  CoverageRasterView,
  CoverageUpdate,
  CreateTripBody,
  CreateUserBody,
  Device,
  DeviceKind,
  DoorMuteBody,
  DoorView,
  DroneView,
  MissionStatus,
  MissionSummary,
  PlanLegProperties,
  RobotActivityName,
  RobotSummaryView,
  ProvisionDeviceBody,
  ProvisionedDevice,
  Role,
  SprayMetrics,
  RoundRoomStatus,
  RoundView,
  SimFault,
  Site,
  SiteNode,
  TrayStatus,
  TripStatus,
  TripView,
  User,
} from '../../../protocol/index.js';

export type { Alert, AlertKind, Site, SiteNode, TrayStatus, TripStatus, CreateTripBody, TripView, MissionStatus };
export type { DoorMuteBody, DoorView };
export type { User, Role, CreateUserBody, Device, DeviceKind, ProvisionDeviceBody, ProvisionedDevice };

export type RobotState = RobotActivityName;

/** `GET /api/robots` and socket.io `fleet` items. */
export type RobotSummary = RobotSummaryView;

/** A meal round as `GET /api/rounds/:id` shows it (robot, trip and tray are null for a room not placed yet). */
export type Round = RoundView;
export type { RoundRoomStatus };

export interface SimInfo {
  speed: number;
  robots: string[];
  drones: string[];
  medic: 'auto' | 'manual';
}

export type FaultKind = SimFault;

/** `GET /api/drones` and socket.io `drones` items. */
export type Drone = DroneView;

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

export type PlanMetrics = SprayMetrics;
export type PlanLegProps = PlanLegProperties;

export interface CreateMissionResponse {
  id: string;
  plan: FeatureCollection<PlanLegProps> & { properties?: { metrics?: PlanMetrics } };
  /** Drone ids flying plan drones 0, 1, … */
  assigned: string[];
}

/** `GET /api/missions/:id/plan`: what a mission was planned on, and its plan. */
export interface MissionPlanResponse {
  id: string;
  zones: FeatureCollection;
  plan: CreateMissionResponse['plan'];
  assigned: string[];
}

export type Mission = MissionSummary;
export type CoverageGrid = CoverageRasterView;

/** socket.io `coverage`: doses measured since the last push. */
export type { CoverageUpdate };
