/**
 * Polygon operations in the local metric frame. Boolean operations are polyclip-ts, offsets are
 * turf's buffer (JSTS); only predicates, areas and scanline crossings are computed here.
 */
import * as polyclip from 'polyclip-ts';
import { buffer, multiPolygon } from '@turf/turf';
import { EARTH_RADIUS_M } from './projection.js';
import { rawOffset } from './raw-offset.js';
import type { MultiPolygon, Polygon, Ring, Vec2 } from './types.js';

type PcGeom = polyclip.Geom;
const asPc = (g: MultiPolygon | Polygon): PcGeom => g as unknown as PcGeom;
const fromPc = (g: ReturnType<typeof polyclip.union>): MultiPolygon => g as unknown as MultiPolygon;

/** Union of polygon sets (polyclip-ts). */
export function unionAll(geoms: Array<MultiPolygon | Polygon>): MultiPolygon {
  const [first, ...rest] = geoms;
  if (!first) return [];
  return fromPc(polyclip.union(asPc(first), ...rest.map(asPc)));
}

/** `a ∩ b` (polyclip-ts). */
export function intersect(a: MultiPolygon | Polygon, b: MultiPolygon | Polygon): MultiPolygon {
  return fromPc(polyclip.intersection(asPc(a), asPc(b)));
}

/** `a − b₁ − b₂ …` (polyclip-ts). */
export function subtract(a: MultiPolygon | Polygon, ...b: Array<MultiPolygon | Polygon>): MultiPolygon {
  const nonEmpty = b.filter((g) => g.length > 0);
  if (a.length === 0) return [];
  if (nonEmpty.length === 0) return fromPc(polyclip.union(asPc(a)));
  return fromPc(polyclip.difference(asPc(a), ...nonEmpty.map(asPc)));
}

/**
 * Metric offset: positive grows, negative shrinks (holes grow). Tries the raw offset curves first
 * ({@link rawOffset}: exact, no JSTS, refused whenever anything collapses or interferes); otherwise
 * turf's buffer on the geometry
 * placed at lat 0 / lon 0, where turf's azimuthal-equidistant projection is the identity to ~1e-8
 * over a few km, so the offset is exact in metres. `steps` = segments per quarter circle.
 */
export function offset(g: MultiPolygon, distM: number, steps = 8): MultiPolygon {
  if (g.length === 0) return [];
  const fast = rawOffset(g, distM, steps);
  if (fast) return fast;
  return bufferOffset(g, distM, steps);
}

/** {@link offset} by turf's buffer alone (the general case: collapses, merges, necks). */
export function bufferOffset(g: MultiPolygon, distM: number, steps = 8): MultiPolygon {
  if (g.length === 0) return [];
  const k = 180 / (Math.PI * EARTH_RADIUS_M);
  const deg = g.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x * k, y * k])));
  const out = buffer(multiPolygon(deg), distM, { units: 'meters', steps });
  if (!out) return [];
  const geom = out.geometry;
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const back = polys.map((poly) => poly.map((ring) => ring.map((c) => [c[0]! / k, c[1]! / k] as Vec2)));
  return back;
}

/** Signed area of a ring (counter-clockwise positive), m². */
export function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < r.length; i++) {
    const a = r[i]!;
    const b = r[i + 1]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Area of a polygon set (outer minus holes), m². */
export function areaM2(g: MultiPolygon): number {
  let s = 0;
  for (const poly of g) poly.forEach((r, i) => (s += i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))));
  return s;
}

/** Even-odd point-in-polygon over every ring of `g`. */
export function containsPoint(g: MultiPolygon | Polygon[], p: Vec2): boolean {
  let inside = false;
  for (const poly of g)
    for (const r of poly)
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const a = r[i]!;
        const b = r[j]!;
        if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
      }
  return inside;
}

/** Rotates every point of `g` by `angleRad` counter-clockwise about the origin. */
export function rotate(g: MultiPolygon, angleRad: number): MultiPolygon {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return g.map((poly) => poly.map((r) => r.map(([x, y]) => [c * x - s * y, s * x + c * y] as Vec2)));
}

/** Rotates a point by `angleRad` counter-clockwise about the origin. */
export function rotatePoint([x, y]: Vec2, angleRad: number): Vec2 {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return [c * x - s * y, s * x + c * y];
}

/** Convex hull (Andrew's monotone chain), counter-clockwise, not closed. */
export function convexHull(points: Vec2[]): Vec2[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Vec2, a: Vec2, b: Vec2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Vec2[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Vec2[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** A directed edge `[x0, y0, x1, y1]`. */
export type Edge = [number, number, number, number];

/** All ring edges of `g`. */
export function edgesOf(g: MultiPolygon): Edge[] {
  const out: Edge[] = [];
  for (const poly of g) for (const r of poly) for (let i = 0; i + 1 < r.length; i++) out.push([r[i]![0], r[i]![1], r[i + 1]![0], r[i + 1]![1]]);
  return out;
}

/**
 * Even-odd intervals `[x0, x1]` where the horizontal line at `y` lies inside the region bounded by
 * `edges` (half-open vertex rule, so a line through a vertex is counted once).
 */
export function scanlineIntervals(edges: readonly Edge[], y: number): Array<[number, number]> {
  const xs: number[] = [];
  for (const [x0, y0, x1, y1] of edges) {
    if (y0 <= y !== y1 <= y) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
  }
  xs.sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i + 1]! > xs[i]!) out.push([xs[i]!, xs[i + 1]!]);
  return out;
}
