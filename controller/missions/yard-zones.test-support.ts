import { localFrame } from '../../protocol/index.js';

/**
 * A 120 m × 60 m yard to spray (0.72 ha), a fence around it, one pad 10 m to its west with one
 * crew. Tests that share a broker put their yards at different origins, so that no controller
 * sees another test's drones standing inside its geofence.
 */
export function yard(origin = { lat: 22.72, lon: 114.25 }) {
  const frame = localFrame(origin.lat, origin.lon);
  const ring = (pts: [number, number][]) =>
    [...pts, pts[0]!].map(([x, y]) => {
      const g = frame.toGeo(x, y);
      return [g.lon, g.lat];
    });
  const rect = (x0: number, y0: number, x1: number, y1: number) =>
    ring([
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ]);
  const pad = frame.toGeo(-10, 30);
  const zones = {
    type: 'FeatureCollection' as const,
    features: [
      { type: 'Feature' as const, properties: { role: 'spray', name: 'yard' }, geometry: { type: 'Polygon', coordinates: [rect(0, 0, 120, 60)] } },
      { type: 'Feature' as const, properties: { role: 'geofence' }, geometry: { type: 'Polygon', coordinates: [rect(-25, -10, 130, 70)] } },
      { type: 'Feature' as const, properties: { role: 'pad', crews: 1 }, geometry: { type: 'Point', coordinates: [pad.lon, pad.lat] } },
    ],
  };
  return { zones, pad };
}
