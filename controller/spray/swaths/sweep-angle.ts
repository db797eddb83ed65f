import { convexHull } from '../geometry/polygon.js';
import type { MultiPolygon, Polygon, Vec2 } from '../geometry/types.js';
import type { StripTransects, SwathGenerator, SweepObjective } from './types.js';

/**
 * Objective: spray length plus a fixed length-equivalent per transect for the turn at its end
 * (default 30 m ≈ the extra time of a stop-and-go turnaround at 7 m/s, expressed in metres).
 */
export function lengthAndTurnsObjective(turnCostM = 30): SweepObjective {
  return {
    minimise: true,
    cost(transects: StripTransects): number {
      let s = 0;
      for (const row of transects) for (const t of row) s += Math.hypot(t.b[0] - t.a[0], t.b[1] - t.a[1]) + turnCostM;
      return s;
    },
  };
}

/**
 * Candidate sweep angles for a cell: the directions of its convex hull edges ordered by the hull's
 * width across them (rotating calipers: the minimum-width direction, which minimises the number of
 * strips, is parallel to a hull edge), plus the direction of its longest boundary edge.
 */
export function candidateAngles(cell: Polygon, max = 4): number[] {
  const outer = cell[0] ?? [];
  const hull = convexHull(outer.slice(0, -1));
  const scored: Array<{ a: number; w: number }> = [];
  for (let i = 0; i < hull.length; i++) {
    const p = hull[i]!;
    const q = hull[(i + 1) % hull.length]!;
    const a = Math.atan2(q[1] - p[1], q[0] - p[0]);
    const nx = -Math.sin(a);
    const ny = Math.cos(a);
    let lo = Infinity;
    let hi = -Infinity;
    for (const h of hull) {
      const d = h[0] * nx + h[1] * ny;
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    scored.push({ a: normalise(a), w: hi - lo });
  }
  scored.sort((x, y) => x.w - y.w);
  let longest: { a: number; len: number } = { a: 0, len: -1 };
  for (let i = 0; i + 1 < outer.length; i++) {
    const p = outer[i]! as Vec2;
    const q = outer[i + 1]! as Vec2;
    const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
    if (len > longest.len) longest = { a: normalise(Math.atan2(q[1] - p[1], q[0] - p[0])), len };
  }
  const out: number[] = [];
  for (const a of [longest.a, ...scored.map((s) => s.a)]) {
    if (out.length >= max + 1) break;
    if (!out.some((b) => angleGap(a, b) < (1 * Math.PI) / 180)) out.push(a);
  }
  return out;
}

/** Angle folded into [0, π): a sweep and its reverse are the same sweep. */
function normalise(a: number): number {
  const m = a % Math.PI;
  return m < 0 ? m + Math.PI : m;
}
function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/** Generates the transects of `cell` at every candidate angle and keeps the cheapest. */
export function bestSweep(
  cell: Polygon,
  regionH: MultiPolygon,
  swathM: number,
  gen: SwathGenerator,
  objective: SweepObjective,
  maxCandidates = 4,
): { angleRad: number; transects: StripTransects; cost: number } {
  let best = { angleRad: 0, transects: [] as StripTransects, cost: Infinity };
  for (const a of candidateAngles(cell, maxCandidates)) {
    const transects = gen.generate(cell, regionH, a, swathM);
    const cost = objective.cost(transects, swathM);
    if (cost < best.cost) best = { angleRad: a, transects, cost };
  }
  return best;
}
