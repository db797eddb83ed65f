import { containsPoint, edgesOf, ringArea, type Edge } from '../geometry/polygon.js';
import type { Ring, Vec2 } from '../geometry/types.js';
import type { CornerContext, CornerPass, CornerTreatment } from './types.js';

/** Options of {@link partialWidthCorners}. */
export interface PartialWidthCornersOptions {
  /**
   * Boom sections: the swath narrows in steps of swath / sections (default 10, 0.7 m steps on a
   * 7 m swath). Each step leaves a sliver of about half a step along both corner edges unsprayed.
   */
  sections?: number;
  /** Narrowest width flown, in sections (default 1). The corner tip beyond it stays unsprayed. */
  minSections?: number;
  /** Loop vertices turning less than this are left alone, rad (default 15°: a gap of < 1.6 m²). */
  minTurnRad?: number;
  /** Distance kept between a band's edge and the sprayable border, m (default 0.02, as the loops). */
  marginM?: number;
}

const sub = (a: Vec2, b: Vec2): Vec2 => [a[0] - b[0], a[1] - b[1]];
const unit = (v: Vec2): Vec2 => {
  const l = Math.hypot(v[0], v[1]) || 1;
  return [v[0] / l, v[1] / l];
};

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** Proper or touching intersection of segments ab and cd. */
function segmentsMeet(a: Vec2, b: Vec2, e: Edge): boolean {
  const d1 = orient(a[0], a[1], b[0], b[1], e[0], e[1]);
  const d2 = orient(a[0], a[1], b[0], b[1], e[2], e[3]);
  if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) return false;
  const d3 = orient(e[0], e[1], e[2], e[3], a[0], a[1]);
  const d4 = orient(e[0], e[1], e[2], e[3], b[0], b[1]);
  return !((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0));
}

function pointSegDist(p: Vec2, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - x0) * dx + (p[1] - y0) * dy) / l2)) : 0;
  return Math.hypot(p[0] - x0 - t * dx, p[1] - y0 - t * dy);
}

function segDist(a: Vec2, b: Vec2, e: Edge): number {
  if (segmentsMeet(a, b, e)) return 0;
  return Math.min(
    pointSegDist(a, e[0], e[1], e[2], e[3]),
    pointSegDist(b, e[0], e[1], e[2], e[3]),
    pointSegDist([e[0], e[1]], a[0], a[1], b[0], b[1]),
    pointSegDist([e[2], e[3]], a[0], a[1], b[0], b[1]),
  );
}

/**
 * Corner treatment by partial-width spraying. A headland loop turning towards a convex corner of
 * the sprayable area leaves two things unsprayed: the sector between the flat ends of its two
 * bands, and the wedge of the corner a full-width band cannot reach. At every such loop vertex a
 * short pass flies out along the corner's bisector towards the apex with the pump on, narrowing
 * section by section so the band (a rectangle) always stays inside the sprayable area (checked
 * against the exact outline), then back to the vertex with the pump off. The pass is cut short
 * where the next step would leave the sprayable area or bring the drone closer than the clearance
 * to a keepout or the geofence.
 */
export function partialWidthCorners(opts: PartialWidthCornersOptions = {}): CornerTreatment {
  const sections = Math.max(1, Math.floor(opts.sections ?? 10));
  const minSections = Math.max(1, Math.min(sections, Math.floor(opts.minSections ?? 1)));
  const minTurn = opts.minTurnRad ?? (15 * Math.PI) / 180;
  const margin = opts.marginM ?? 0.02;
  return {
    passes(ctx: CornerContext): Map<Ring, CornerPass[]> {
      const out = new Map<Ring, CornerPass[]>();
      const sEdges = edgesOf(ctx.sprayable);
      const noFly = [...edgesOf(ctx.keepout), ...edgesOf(ctx.geofence)];
      const w = ctx.swathM;
      /** The band of leg ab with half-width h lies inside the sprayable area. */
      const bandInside = (a: Vec2, b: Vec2, h: number): boolean => {
        const d = unit(sub(b, a));
        const n: Vec2 = [-d[1] * h, d[0] * h];
        const q: Vec2[] = [
          [a[0] + n[0], a[1] + n[1]],
          [b[0] + n[0], b[1] + n[1]],
          [b[0] - n[0], b[1] - n[1]],
          [a[0] - n[0], a[1] - n[1]],
        ];
        const minX = Math.min(q[0]![0], q[1]![0], q[2]![0], q[3]![0]);
        const maxX = Math.max(q[0]![0], q[1]![0], q[2]![0], q[3]![0]);
        const minY = Math.min(q[0]![1], q[1]![1], q[2]![1], q[3]![1]);
        const maxY = Math.max(q[0]![1], q[1]![1], q[2]![1], q[3]![1]);
        for (const e of sEdges) {
          if (Math.max(e[0], e[2]) < minX || Math.min(e[0], e[2]) > maxX || Math.max(e[1], e[3]) < minY || Math.min(e[1], e[3]) > maxY) continue;
          for (let i = 0; i < 4; i++) if (segmentsMeet(q[i]!, q[(i + 1) % 4]!, e)) return false;
          // A border vertex strictly inside the rectangle (a small hole) without crossing its sides.
          let pos = 0;
          for (let i = 0; i < 4; i++) pos += orient(q[i]![0], q[i]![1], q[(i + 1) % 4]![0], q[(i + 1) % 4]![1], e[0], e[1]) > 0 ? 1 : -1;
          if (pos === 4 || pos === -4) return false;
        }
        // No border crosses or lies inside the rectangle: it is all in or all out; its centre decides.
        return containsPoint(ctx.sprayable, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      };
      const clear = (a: Vec2, b: Vec2): boolean => {
        const minX = Math.min(a[0], b[0]) - ctx.clearanceM;
        const maxX = Math.max(a[0], b[0]) + ctx.clearanceM;
        const minY = Math.min(a[1], b[1]) - ctx.clearanceM;
        const maxY = Math.max(a[1], b[1]) + ctx.clearanceM;
        for (const e of noFly) {
          if (Math.max(e[0], e[2]) < minX || Math.min(e[0], e[2]) > maxX || Math.max(e[1], e[3]) < minY || Math.min(e[1], e[3]) > maxY) continue;
          if (segDist(a, b, e) < ctx.clearanceM) return false;
        }
        return true;
      };
      const borderDist = (p: Vec2): number => {
        let d = Infinity;
        for (const e of sEdges) d = Math.min(d, pointSegDist(p, e[0], e[1], e[2], e[3]));
        return d;
      };
      for (const poly of ctx.regionH)
        poly.forEach((ring, ri) => {
          const pts = ring.slice(0, -1);
          const m = pts.length;
          if (m < 3) return;
          // Sign that makes "the region is on the left" true for this ring (outer or hole).
          const side = (ri === 0 ? 1 : -1) * Math.sign(ringArea(ring));
          const passes: CornerPass[] = [];
          for (let i = 0; i < m; i++) {
            const v = pts[i]!;
            const d1 = unit(sub(v, pts[(i + m - 1) % m]!));
            const d2 = unit(sub(pts[(i + 1) % m]!, v));
            const cross = (d1[0] * d2[1] - d1[1] * d2[0]) * side;
            const turn = Math.atan2(Math.abs(cross), d1[0] * d2[0] + d1[1] * d2[1]);
            if (cross <= 0 || turn < minTurn) continue; // not a turn around a convex corner
            // Outward normals (away from the region) of both legs; their sum points to the apex.
            const u = unit([side * (d1[1] + d2[1]), -side * (d1[0] + d2[0])]);
            const half = (Math.PI - turn) / 2; // half the corner's interior angle
            const tanH = Math.tan(half);
            const toApex = borderDist(v) / Math.sin(half);
            const slack = margin / Math.cos(half);
            const at = (t: number): Vec2 => [v[0] + u[0] * t, v[1] + u[1] * t];
            const legPts: Vec2[] = [v];
            const legW: number[] = [];
            let t0 = 0;
            for (let k = sections; k >= minSections; k--) {
              const h = (w / 2) * (k / sections);
              // Deepest point at which a band of half-width h still fits between the corner's edges.
              const t1 = toApex - (h + slack) / tanH;
              if (t1 - t0 < 0.05) continue;
              const a = at(t0);
              const b = at(t1);
              if (!bandInside(a, b, h + margin / 2) || !clear(a, b)) break;
              legPts.push(b);
              legW.push(2 * h);
              t0 = t1;
            }
            if (legW.length) passes.push({ vertex: i, pts: legPts, swathM: legW });
          }
          if (passes.length) out.set(ring, passes);
        });
      return out;
    },
  };
}
