/**
 * Generates the example spray zones (deterministic, seeded): `npx tsx sites/zones/generate.ts`.
 * Writes sites/zones/{convex,l-shape,strip,star-keepouts}.geojson, sites/park/zones.geojson and
 * sites/broadcast/checkpoint.geojson (a road for the broadcast planner).
 * Geometry is drawn in metres around an origin and converted to WGS84 (local equirectangular).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buffer, lineString as turfLineString, polygon as turfPolygon } from '@turf/turf';
import { seededRandom } from '../../protocol/index.js';

type P = [number, number];
const here = dirname(fileURLToPath(import.meta.url));

function site(lat0: number, lon0: number) {
  const ky = (Math.PI / 180) * 6_371_008.8;
  const kx = ky * Math.cos((lat0 * Math.PI) / 180);
  const ll = ([x, y]: P): P => [+(lon0 + x / kx).toFixed(8), +(lat0 + y / ky).toFixed(8)];
  const ring = (pts: P[]) => [...pts, pts[0]!].map(ll);
  const features: unknown[] = [];
  return {
    poly(role: string, rings: P[][], name?: string) {
      features.push({ type: 'Feature', properties: { role, ...(name ? { name } : {}) }, geometry: { type: 'Polygon', coordinates: rings.map(ring) } });
    },
    /** Geofence = the outline grown by `m` metres (turf buffer). */
    fence(outline: P[], m: number) {
      const g = buffer(turfPolygon([ring(outline)]), m, { units: 'meters', steps: 2 })!;
      features.push({ type: 'Feature', properties: { role: 'geofence' }, geometry: g.geometry });
    },
    /** A road (LineString, role "road") and a geofence `m` metres either side of it (turf buffer). */
    road(pts: P[], m: number, name: string) {
      features.push({ type: 'Feature', properties: { role: 'road', name }, geometry: { type: 'LineString', coordinates: pts.map(ll) } });
      const g = buffer(turfLineString(pts.map(ll)), m, { units: 'meters', steps: 4 })!;
      features.push({ type: 'Feature', properties: { role: 'geofence' }, geometry: g.geometry });
    },
    pad(p: P, name: string, crews = 1) {
      features.push({ type: 'Feature', properties: { role: 'pad', name, crews }, geometry: { type: 'Point', coordinates: ll(p) } });
    },
    write(file: string) {
      writeFileSync(file, `${JSON.stringify({ type: 'FeatureCollection', features }, null, 1)}\n`);
    },
  };
}

const rot = (pts: P[], deg: number, c: P = [0, 0]): P[] => {
  const a = (deg * Math.PI) / 180;
  return pts.map(([x, y]) => [c[0] + (x - c[0]) * Math.cos(a) - (y - c[1]) * Math.sin(a), c[1] + (x - c[0]) * Math.sin(a) + (y - c[1]) * Math.cos(a)]);
};
const rect = (cx: number, cy: number, w: number, h: number, deg = 0): P[] =>
  rot(
    [
      [cx - w / 2, cy - h / 2],
      [cx + w / 2, cy - h / 2],
      [cx + w / 2, cy + h / 2],
      [cx - w / 2, cy + h / 2],
    ],
    deg,
    [cx, cy],
  );
const circle = (cx: number, cy: number, r: number, n = 16): P[] =>
  Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)] as P);

// Convex field, about 11 ha, irregular hexagon.
{
  const s = site(22.705, 114.232);
  const outline: P[] = [
    [0, 0],
    [380, -30],
    [450, 150],
    [400, 290],
    [120, 330],
    [-30, 180],
  ];
  s.poly('spray', [outline], 'field');
  s.fence(outline, 20);
  s.pad([-15, 60], 'pad A');
  s.write(join(here, 'convex.geojson'));
}
// L-shaped area, about 5 ha, turned 25°.
{
  const s = site(22.708, 114.236);
  const outline = rot(
    [
      [0, 0],
      [300, 0],
      [300, 90],
      [110, 90],
      [110, 320],
      [0, 320],
    ],
    25,
  );
  s.poly('spray', [outline], 'L');
  s.fence(outline, 20);
  s.pad(rot([[-12, -12]], 25)[0]!, 'pad A');
  s.write(join(here, 'l-shape.geojson'));
}
// Skewed thin strip: 40 m wide, 700 m long, slanted ends, turned 17° (not tuned on).
{
  const s = site(22.711, 114.241);
  const outline = rot(
    [
      [0, 0],
      [700, 0],
      [760, 40],
      [60, 40],
    ],
    17,
  );
  s.poly('spray', [outline], 'strip');
  s.fence(outline, 15);
  s.pad(rot([[5, -8]], 17)[0]!, 'pad A');
  s.write(join(here, 'strip.geojson'));
}
// Non-convex star with a hole and 40 random keepouts (seed 7; not tuned on).
{
  const r = seededRandom(7);
  const s = site(22.715, 114.245);
  const n = 24;
  const star: P[] = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const rad = 230 + 110 * r();
    return [rad * Math.cos(a), rad * Math.sin(a)];
  });
  s.poly('spray', [star, circle(40, -30, 35, 12).reverse()], 'star');
  s.fence(star, 25);
  for (let k = 0; k < 40; k++) {
    const a = 2 * Math.PI * r();
    const d = 60 + 150 * r();
    const [cx, cy] = [d * Math.cos(a), d * Math.sin(a)];
    if (r() < 0.7) s.poly('keepout', [rect(cx, cy, 8 + 25 * r(), 6 + 18 * r(), 180 * r())]);
    else s.poly('keepout', [circle(cx, cy, 4 + 10 * r(), 12)]);
  }
  s.pad([star[0]![0] + 12, star[0]![1]], 'pad A');
  s.pad([star[12]![0] - 12, star[12]![1]], 'pad B');
  s.write(join(here, 'star-keepouts.geojson'));
}
// Industrial park near 22.72 N 114.25 E: ~61 ha sprayable, 20 buildings, a crowd, a pond, 2 pads.
{
  const r = seededRandom(2020);
  const s = site(22.72, 114.25);
  const outline: P[] = [
    [0, 0],
    [1000, 0],
    [1000, 450],
    [820, 450],
    [820, 700],
    [0, 700],
  ];
  s.poly('spray', [outline], 'industrial park');
  const fence: P[] = [
    [-25, -25],
    [1025, -25],
    [1025, 475],
    [845, 475],
    [845, 725],
    [-25, 725],
  ];
  s.poly('geofence', [fence], 'park fence');
  const placed: Array<[number, number, number, number]> = [];
  let tries = 0;
  while (placed.length < 20 && tries++ < 10_000) {
    const w = 40 + 35 * r();
    const h = 28 + 25 * r();
    const cx = 60 + 880 * r();
    const cy = 60 + 580 * r();
    const box: [number, number, number, number] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
    const inNotch = box[2] > 800 && box[3] > 430;
    const clash = placed.some((b) => box[0] < b[2] + 30 && box[2] > b[0] - 30 && box[1] < b[3] + 30 && box[3] > b[1] - 30);
    if (!inNotch && !clash) placed.push(box);
  }
  placed.forEach((b, i) =>
    s.poly(
      'keepout',
      [
        [
          [b[0], b[1]],
          [b[2], b[1]],
          [b[2], b[3]],
          [b[0], b[3]],
        ],
      ],
      `building ${i + 1}`,
    ),
  );
  s.poly('keepout', [circle(480, 20, 14)], 'people (checkpoint queue)');
  s.poly(
    'keepout',
    [
      [
        [150, 300],
        [205, 285],
        [240, 320],
        [215, 360],
        [160, 350],
      ],
    ],
    'pond',
  );
  s.pad([-12, 350], 'pad west', 1);
  s.pad([1012, 225], 'pad east', 1);
  s.write(join(here, '..', 'park', 'zones.geojson'));
}
// A checkpoint's queue: 2.6 km of road drawn from the gate outwards (west, then bending
// south-west), a geofence 250 m either side, a pad by the gate, and a filling station on the
// left-hand verge 1.1 km out that the drone must keep out of.
{
  const s = site(22.61, 114.05);
  s.road(
    [
      [0, 0],
      [-800, 0],
      [-1500, -200],
      [-2100, -600],
      [-2500, -700],
    ],
    250,
    'G4 northbound queue',
  );
  s.poly('keepout', [rect(-1100, -120, 160, 90)], 'filling station');
  s.pad([40, -70], 'gate');
  s.write(join(here, '..', 'broadcast', 'checkpoint.geojson'));
}
