export { CHECKPOINT_ACOUSTICS, hearingRangeM, levelAtDb, type AcousticModel } from './acoustics.js';
export { DECLARATION_CALL, speechSeconds } from './message.js';
export { planBroadcast, SPEAKER_QUAD, type BroadcastDrone, type BroadcastOptions, type BroadcastPlan, type BroadcastSortie, type BroadcastStop } from './plan.js';
export { validateRoadFile, type ValidRoadFile } from './road-file.js';
export { broadcastToGeoJson } from './geojson.js';
export { BroadcastManager, threadBroadcastPlanner, type BroadcastManagerOptions, type BroadcastActionResult, type BroadcastPlanner } from './broadcast-manager.js';
export { broadcastRoutes } from './routes.js';
export { broadcastSorties, messageSeconds, planOptions } from './broadcast-mission.js';
