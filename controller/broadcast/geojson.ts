import type { BroadcastPlan } from './plan.js';

/**
 * A plan as one GeoJSON FeatureCollection: each stop a Point (`kind` "stop", with the stretch of
 * road it is heard over and its sortie), each sortie a LineString of its flown path (`kind`
 * "sortie"), and flown forward, each sortie's line flown playing (`kind` "line"); the plan's figures and `extra` in the collection's `properties`.
 */
export function broadcastToGeoJson(plan: BroadcastPlan, extra: Record<string, unknown> = {}) {
  const sortieOf = new Map(plan.sorties.flatMap((s, k) => s.stops.map((i) => [i, k] as const)));
  return {
    type: 'FeatureCollection' as const,
    properties: {
      hearingRangeM: Math.round(plan.hearingRangeM * 10) / 10,
      messageS: plan.messageS,
      hoverS: plan.hoverS,
      ...(plan.forwardMps !== undefined ? { forwardMps: plan.forwardMps } : {}),
      roadM: Math.round(plan.roadM),
      stops: plan.stops.length,
      sorties: plan.sorties.length,
      flightS: Math.round(plan.flightS),
      ...extra,
    },
    features: [
      ...plan.stops.map((s, i) => ({
        type: 'Feature' as const,
        properties: { kind: 'stop', index: i, sortie: sortieOf.get(i), altM: s.altM, hoverS: s.hoverS, alongM: Math.round(s.alongM), hearsFromM: s.hearsFromM, hearsToM: s.hearsToM },
        geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
      })),
      ...plan.sorties.map((s, k) => ({
        type: 'Feature' as const,
        properties: {
          kind: 'sortie',
          index: k,
          pad: s.pad,
          stops: s.stops,
          distanceM: Math.round(s.distanceM),
          flightS: Math.round(s.flightS),
          ...(s.alongFromM !== undefined ? { alongFromM: Math.round(s.alongFromM), alongToM: Math.round(s.alongToM!) } : {}),
        },
        geometry: { type: 'LineString' as const, coordinates: s.path.map((p) => [p.lon, p.lat]) },
      })),
      ...plan.sorties.flatMap((s, k) =>
        s.broadcastPath
          ? [
              {
                type: 'Feature' as const,
                properties: { kind: 'line', sortie: k, forwardMps: plan.forwardMps, alongFromM: Math.round(s.alongFromM ?? 0), alongToM: Math.round(s.alongToM ?? 0) },
                geometry: { type: 'LineString' as const, coordinates: s.broadcastPath.map((p) => [p.lon, p.lat]) },
              },
            ]
          : [],
      ),
    ],
  };
}
