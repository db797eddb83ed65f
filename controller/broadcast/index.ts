export { CHECKPOINT_ACOUSTICS, hearingRangeM, levelAtDb, speechSeconds, type AcousticModel } from './acoustics.js';
export { planBroadcast, SPEAKER_QUAD, type BroadcastDrone, type BroadcastOptions, type BroadcastPlan, type BroadcastSortie, type BroadcastStop } from './plan.js';
export { validateRoadFile, type ValidRoadFile } from './road-file.js';
export { broadcastToGeoJson } from './geojson.js';
