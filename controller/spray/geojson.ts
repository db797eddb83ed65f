import type { PlanLegProperties, SprayMetrics } from '../../protocol/index.js';
import type { SprayPlan } from './types.js';

/** A flight leg: a maximal run of waypoints with the pump in one state. */
export interface LegFeature {
  type: 'Feature';
  properties: PlanLegProperties;
  geometry: { type: 'LineString'; coordinates: Array<[number, number]> };
}

/**
 * The plan as a GeoJSON FeatureCollection: one LineString per flight leg with
 * `{drone, sortie, spray}`, `metrics` on the collection's properties.
 */
export function planToGeoJson(plan: SprayPlan, metrics: SprayMetrics, extra: Record<string, unknown> = {}) {
  const features: LegFeature[] = [];
  for (const d of plan.drones)
    for (const s of d.sorties) {
      let cur: LegFeature | null = null;
      for (let i = 0; i + 1 < s.waypoints.length; i++) {
        const w = s.waypoints[i]!;
        const n = s.waypoints[i + 1]!;
        if (!cur || cur.properties.spray !== w.spray) {
          cur = {
            type: 'Feature',
            properties: { drone: d.drone, sortie: s.index, spray: w.spray },
            geometry: { type: 'LineString', coordinates: [[w.lon, w.lat]] },
          };
          features.push(cur);
        }
        cur.geometry.coordinates.push([n.lon, n.lat]);
      }
    }
  return { type: 'FeatureCollection' as const, properties: { metrics, ...extra }, features };
}
