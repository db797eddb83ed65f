/**
 * Spray planner: zones (GeoJSON, WGS84) → per-drone sorties of waypoints. Pure; see README.md.
 */
export { planSpray, TURN_THRESHOLD_RAD, type SprayPlanOptions } from './plan.js';
export type { DronePlan, PlanError, PlanStats, Sortie, SprayPlan, SprayPlanResult, SprayWaypoint } from './types.js';
export { T20_PROFILE, flowLPerMin, spraySpeedMps, enduranceS, litresPerMetre, type SprayDroneProfile } from './profile.js';
export { PLAN_LIMITS, planLimitErrors, planSize, type PlanLimits, type PlanSize } from './limits.js';
export { validateZones, type ValidZones, type LocalPad } from './zones/validate.js';
export { MAX_ZONE_POSITIONS, positionSchema, zonesSchema, zoneRoles, type ZoneRole, type ZonesInput } from './zones/schema.js';
export { measureCoverage, predictedCoverage, type CoverageReport } from './metrics/raster.js';
export { planToGeoJson } from './geojson.js';
export type { TurnModel } from './time/turn-model.js';
export { cosineTurnModel } from './time/turn-model.js';
export type { HeadlandGenerator } from './headland/types.js';
export { insetHeadland } from './headland/inset-headland.js';
export type { Decomposer } from './decompose/types.js';
export { connectedParts } from './decompose/components.js';
export type { SwathGenerator, SweepObjective } from './swaths/types.js';
export { stripSwaths } from './swaths/strip-swaths.js';
export { lengthAndTurnsObjective } from './swaths/sweep-angle.js';
export type { RouteOrderer } from './route/types.js';
export { greedyRoute } from './route/greedy-route.js';
export type { FlightSpace } from './path/types.js';
export { visibilityFlightSpace } from './path/visibility.js';
