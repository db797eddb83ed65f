/**
 * Spray missions: plan (controller/spray) → drones over MQTT → coverage from telemetry.
 * Wire into the app with `app.register(missionRoutes, { manager })`.
 */
export { missionRoutes, type MissionRoutesOptions } from './routes.js';
export { MissionManager, type MissionManagerOptions, type MissionActionResult, type CreateMissionResult } from './mission-manager.js';
export { DroneRegistry, type KnownDrone } from './drone-registry.js';
export { CoverageRaster, insideMultiPolygon, type CoverageStats } from './coverage-raster.js';
export type { Mission, DroneRun, SortieJob } from './mission.js';
