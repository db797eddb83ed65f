/** HTTP contract of spray missions and drones (`/api/missions`, `/api/drones`). */
import { z } from 'zod';
import { droneModeSchema } from './messages.js';

/** Metrics of a spray plan: `properties.metrics` of the plan-spray CLI's and `POST /api/missions`'s plan. */
export const sprayMetricsSchema = z.object({
  areaM2: z.number(),
  sprayLengthM: z.number(),
  totalLengthM: z.number(),
  turns: z.number().int(),
  sorties: z.number().int(),
  makespanS: z.number(),
  coveragePct: z.number(),
  oversprayPct: z.number(),
  planMs: z.number(),
});
export type SprayMetrics = z.infer<typeof sprayMetricsSchema>;

/** Properties of each flight leg (a LineString) of a plan: plan drone index, sortie, pump on or off. */
export const planLegPropertiesSchema = z.object({ drone: z.number().int(), sortie: z.number().int(), spray: z.boolean() });
export type PlanLegProperties = z.infer<typeof planLegPropertiesSchema>;

/**
 * Body of `POST /api/missions`. `zones` is checked here for its GeoJSON shape only; the planner
 * checks roles and geometry and its problems come back as 400s naming `body.zones.…`.
 */
export const createMissionBodySchema = z.object({
  zones: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.looseObject({ type: z.literal('Feature'), properties: z.looseObject({}), geometry: z.looseObject({ type: z.string() }) })).min(1),
  }),
  /** How many drones to fly; default all idle online drones, at most 8. */
  drones: z.number().int().min(1).max(32).optional(),
  /** Spray swath, m (default 7). */
  swathM: z.number().min(1).max(30).optional(),
  /** Highest spraying ground speed, m/s (default 7). */
  maxSpeedMps: z.number().min(0.5).max(15).optional(),
  /** Application dose, L/ha (default 20). */
  doseLPerHa: z.number().min(1).max(200).optional(),
  /** Tank volume, L (default 20). */
  tankL: z.number().min(1).max(100).optional(),
});
export type CreateMissionBody = z.infer<typeof createMissionBodySchema>;

export const missionStatusSchema = z.enum(['planned', 'cleared', 'running', 'paused', 'returning', 'done', 'aborted']);
export type MissionStatus = z.infer<typeof missionStatusSchema>;

/** One drone's part of a mission. `sortie`/`waypoint`: where it is in its queue (MAVLink current item). */
export const missionDroneSchema = z.object({
  id: z.string(),
  /** Sorties of this drone's queue finished so far (the next one to fly, 0-based). */
  sortie: z.number().int(),
  /** Sorties in this drone's queue. */
  sorties: z.number().int(),
  waypoint: z.number().int(),
  state: z.enum(['waiting', 'servicing', 'flying', 'returning', 'held', 'done', 'lost']),
});
export type MissionDrone = z.infer<typeof missionDroneSchema>;

export const missionLogEntrySchema = z.object({ at: z.string(), message: z.string(), level: z.enum(['info', 'warn', 'error']) });
export type MissionLogEntry = z.infer<typeof missionLogEntrySchema>;

/** `GET /api/missions/:id` and the reply of every mission action. Percentages 0–100, measured from telemetry. */
export const missionSummarySchema = z.object({
  id: z.string(),
  status: missionStatusSchema,
  zoneClear: z.boolean(),
  createdAt: z.string(),
  drones: z.array(missionDroneSchema),
  coveragePct: z.number(),
  oversprayPct: z.number(),
  /** Coverage per spray feature, in file order (its `name` when it has one). */
  zones: z.array(z.object({ name: z.string(), coveragePct: z.number() })),
  /** Flights flown (take-offs). */
  sorties: z.number().int(),
  /** Tank refills seen in telemetry. */
  refills: z.number().int(),
  /** Battery swaps seen in telemetry. */
  swaps: z.number().int(),
  windHold: z.boolean(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Simulated or real seconds from launch to the end (or to now). */
  makespanS: z.number().optional(),
  log: z.array(missionLogEntrySchema),
});
export type MissionSummary = z.infer<typeof missionSummarySchema>;

/** `GET /api/missions/:id/coverage`: dose raster, row 0 at the south edge, row-major. */
export const coverageRasterSchema = z.object({
  /** Centre of the south-west cell. */
  originLat: z.number(),
  originLon: z.number(),
  cellM: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  /** L/ha per cell, 0 = not sprayed. */
  doseLPerHa: z.array(z.number()),
  targetDoseLPerHa: z.number(),
  /** Spray swath the cells were dosed with, m: a cell within half of it of a leg flown should have its dose. */
  swathM: z.number(),
});
export type CoverageRasterView = z.infer<typeof coverageRasterSchema>;

/** `GET /api/drones`. */
export const droneViewSchema = z.object({
  id: z.string(),
  online: z.boolean(),
  batteryPct: z.number(),
  tankL: z.number(),
  lat: z.number(),
  lon: z.number(),
  altM: z.number(),
  headingDeg: z.number(),
  groundSpeedMps: z.number(),
  pumpOn: z.boolean(),
  mode: droneModeSchema,
  sortie: z.number().int().nullable(),
  waypoint: z.number().int().nullable(),
  windMps: z.number(),
});
export type DroneView = z.infer<typeof droneViewSchema>;

/** Alert kinds the mission manager raises (event `alert`). */
export const droneAlertKindSchema = z.enum(['geofenceBreach', 'keepoutBreach', 'externalControl', 'windTooStrong', 'droneLinkLost', 'droneNotReturned', 'batteryLow']);
export type DroneAlertKind = z.infer<typeof droneAlertKindSchema>;
/** Payload of the manager's `alert` event. */
export interface DroneAlert {
  kind: DroneAlertKind;
  /** Drone id; empty when the alert concerns the whole mission (wind seen by several). */
  drone: string;
  message: string;
}
