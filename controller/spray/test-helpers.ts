/**
 * Test helpers: zone builders in metres and invariant checks done with turf only (independent of
 * the planner's own geometry code).
 */
import { booleanIntersects, booleanPointInPolygon, lineString, point, polygon } from '@turf/turf';
import type { SprayPlan } from './types.js';

type P = [number, number];
type Feature = { type: 'Feature'; properties: { role: string }; geometry: { type: string; coordinates: unknown } };

/** Builds a zones FeatureCollection from shapes drawn in metres around (lat0, lon0). */
export function zonesFromMetres(shapes: { spray: P[][][]; keepouts?: P[][]; geofence: P[]; pads: P[] }, lat0 = 22.72, lon0 = 114.25) {
  const ky = (Math.PI / 180) * 6_371_008.8;
  const kx = ky * Math.cos((lat0 * Math.PI) / 180);
  const ll = ([x, y]: P): P => [lon0 + x / kx, lat0 + y / ky];
  const ring = (r: P[]) => [...r, r[0]!].map(ll);
  const features: Feature[] = [
    ...shapes.spray.map((rings) => ({ type: 'Feature' as const, properties: { role: 'spray' }, geometry: { type: 'Polygon', coordinates: rings.map(ring) } })),
    ...(shapes.keepouts ?? []).map((r) => ({ type: 'Feature' as const, properties: { role: 'keepout' }, geometry: { type: 'Polygon', coordinates: [ring(r)] } })),
    { type: 'Feature', properties: { role: 'geofence' }, geometry: { type: 'Polygon', coordinates: [ring(shapes.geofence)] } },
    ...shapes.pads.map((p) => ({ type: 'Feature' as const, properties: { role: 'pad' }, geometry: { type: 'Point', coordinates: ll(p) } })),
  ];
  return { type: 'FeatureCollection' as const, features };
}

/** Problems found by turf: waypoints outside the geofence, legs touching keepouts, sorties not pad to pad. */
export function invariantViolations(zones: { features: Feature[] }, plan: SprayPlan, reserveFrac = 0.2): string[] {
  const out: string[] = [];
  const fence = zones.features.find((f) => f.properties.role === 'geofence')!;
  const fencePoly = polygon(fence.geometry.coordinates as number[][][]);
  const keepouts = zones.features.filter((f) => f.properties.role === 'keepout').map((f) => polygon(f.geometry.coordinates as number[][][]));
  const pads = zones.features.filter((f) => f.properties.role === 'pad').map((f) => f.geometry.coordinates as number[]);
  const atPad = (w: { lon: number; lat: number }) => pads.some((p) => Math.abs(p[0]! - w.lon) < 1e-9 && Math.abs(p[1]! - w.lat) < 1e-9);
  for (const d of plan.drones)
    for (const s of d.sorties) {
      const tag = `drone ${d.drone} sortie ${s.index}`;
      const w = s.waypoints;
      if (!atPad(w[0]!) || !atPad(w[w.length - 1]!)) out.push(`${tag}: does not start and end at a pad`);
      if (s.batteryUsedFrac > 1 - reserveFrac + 1e-9) out.push(`${tag}: battery ${s.batteryUsedFrac.toFixed(3)} eats the reserve`);
      for (const p of w) if (!booleanPointInPolygon(point([p.lon, p.lat]), fencePoly)) out.push(`${tag}: waypoint outside the geofence`);
      for (let i = 0; i + 1 < w.length; i++) {
        const leg = lineString([
          [w[i]!.lon, w[i]!.lat],
          [w[i + 1]!.lon, w[i + 1]!.lat],
        ]);
        if (keepouts.some((k) => booleanIntersects(leg, k))) out.push(`${tag}: leg ${i} touches a keepout`);
      }
    }
  return out;
}
