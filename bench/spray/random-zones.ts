/**
 * Seeded random zones for the spray benchmark (never tuned on): a non-convex star outline with a
 * hole, dozens of keepouts, a geofence 20 m outside, two pads; or a thin skewed strip.
 */
import { seededRandom } from '../../protocol/index.js';

type P = [number, number];

function toLonLat(lat0: number, lon0: number) {
  const ky = (Math.PI / 180) * 6_371_008.8;
  const kx = ky * Math.cos((lat0 * Math.PI) / 180);
  return (pts: P[]) => [...pts, pts[0]!].map(([x, y]) => [lon0 + x / kx, lat0 + y / ky]);
}

const feature = (role: string, type: string, coordinates: unknown) => ({ type: 'Feature', properties: { role }, geometry: { type, coordinates } });

/** Scales a simple outline outwards by `m` metres along vertex normals (for a loose geofence). */
function grow(pts: P[], m: number): P[] {
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return pts.map(([x, y]) => {
    const d = Math.hypot(x - cx, y - cy);
    return [x + ((x - cx) / d) * m, y + ((y - cy) / d) * m];
  });
}

/** Star-shaped non-convex area (~15–30 ha) with a hole and `keepouts` random keepouts. */
export function randomStarZones(seed: number, keepouts = 30) {
  const r = seededRandom(seed);
  const ll = toLonLat(22.6 + r() * 0.2, 114.1 + r() * 0.2);
  const n = 10 + Math.floor(r() * 14);
  const star: P[] = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const rad = 160 + 160 * r();
    return [rad * Math.cos(a), rad * Math.sin(a)];
  });
  const hole: P[] = Array.from({ length: 7 }, (_, i) => {
    const a = (-2 * Math.PI * i) / 7;
    return [-40 + 25 * Math.cos(a), 30 + 25 * Math.sin(a)];
  });
  const feats: unknown[] = [feature('spray', 'Polygon', [ll(star), ll(hole)]), feature('geofence', 'Polygon', [ll(grow(star, 45))])];
  for (let k = 0; k < keepouts; k++) {
    const a = 2 * Math.PI * r();
    const d = 70 + 110 * r();
    const [cx, cy] = [d * Math.cos(a), d * Math.sin(a)];
    const w = 6 + 25 * r();
    const h = 5 + 20 * r();
    const t = Math.PI * r();
    const c = Math.cos(t);
    const s = Math.sin(t);
    const box: P[] = (
      [
        [-w / 2, -h / 2],
        [w / 2, -h / 2],
        [w / 2, h / 2],
        [-w / 2, h / 2],
      ] as P[]
    ).map(([x, y]) => [cx + c * x - s * y, cy + s * x + c * y]);
    feats.push(feature('keepout', 'Polygon', [ll(box)]));
  }
  const p0 = grow([star[0]!, [0, 0]], 20)[0]!;
  const p1 = grow([star[Math.floor(n / 2)]!, [0, 0]], 20)[0]!;
  feats.push(feature('pad', 'Point', ll([p0])[0]), feature('pad', 'Point', ll([p1])[0]));
  return { type: 'FeatureCollection', features: feats };
}

/** Thin skewed strip: `widthM` wide, 400–900 m long, slanted ends, random heading. */
export function randomStripZones(seed: number, widthM = 25 + 30 * seededRandom(seed + 99)()) {
  const r = seededRandom(seed);
  const ll = toLonLat(22.6 + r() * 0.2, 114.1 + r() * 0.2);
  const L = 400 + 500 * r();
  const skew = 20 + 80 * r();
  const t = Math.PI * r();
  const c = Math.cos(t);
  const s = Math.sin(t);
  const rot = (pts: P[]): P[] => pts.map(([x, y]) => [c * x - s * y, s * x + c * y]);
  const strip = rot([
    [0, 0],
    [L, 0],
    [L + skew, widthM],
    [skew, widthM],
  ]);
  const fence = rot([
    [-30, -20],
    [L + 30, -20],
    [L + skew + 30, widthM + 20],
    [skew - 30, widthM + 20],
  ]);
  const pad = rot([[-15, -10]])[0]!;
  return {
    type: 'FeatureCollection',
    features: [feature('spray', 'Polygon', [ll(strip)]), feature('geofence', 'Polygon', [ll(fence)]), feature('pad', 'Point', ll([pad])[0])],
  };
}
