import { containsPoint, offset } from '../geometry/polygon.js';
import type { MultiPolygon, Vec2 } from '../geometry/types.js';
import type { FlightSpace } from './types.js';

/** Options of {@link visibilityFlightSpace}. */
export interface VisibilityOptions {
  /**
   * Clearance kept from keepouts and from the geofence by ferry paths, m (default 2). Graph nodes
   * sit at the full clearance, segments are checked against half of it, so a segment between two
   * nodes that grazes an obstacle corner still counts as clear.
   */
  clearanceM?: number;
}

interface EdgeGroup {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  e: Float64Array; // x0,y0,x1,y1 per edge
}

const GROUP = 16;

function groupsOf(g: MultiPolygon): EdgeGroup[] {
  const out: EdgeGroup[] = [];
  for (const poly of g)
    for (const r of poly)
      for (let i = 0; i + 1 < r.length; i += GROUP) {
        const n = Math.min(GROUP, r.length - 1 - i);
        const e = new Float64Array(n * 4);
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (let k = 0; k < n; k++) {
          const a = r[i + k]!;
          const b = r[i + k + 1]!;
          e.set([a[0], a[1], b[0], b[1]], k * 4);
          minX = Math.min(minX, a[0], b[0]);
          minY = Math.min(minY, a[1], b[1]);
          maxX = Math.max(maxX, a[0], b[0]);
          maxY = Math.max(maxY, a[1], b[1]);
        }
        out.push({ minX, minY, maxX, maxY, e });
      }
  return out;
}

function unitNormal(a: Vec2, b: Vec2): Vec2 {
  const d = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
  return [-(b[1] - a[1]) / d, (b[0] - a[0]) / d];
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function segmentsCross(ax: number, ay: number, bx: number, by: number, e: Float64Array, k: number): boolean {
  const cx = e[k]!;
  const cy = e[k + 1]!;
  const dx = e[k + 2]!;
  const dy = e[k + 3]!;
  const d1 = orient(ax, ay, bx, by, cx, cy);
  const d2 = orient(ax, ay, bx, by, dx, dy);
  if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) return false;
  const d3 = orient(cx, cy, dx, dy, ax, ay);
  const d4 = orient(cx, cy, dx, dy, bx, by);
  if ((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0)) return false;
  return !(d1 === 0 && d2 === 0); // collinear overlap is ignored (only along an obstacle border)
}

/**
 * Flight space for ferry legs: the geofence shrunk by the clearance, minus keepouts grown by it.
 * Shortest paths are A* over a visibility graph whose nodes are the vertices of the grown keepouts
 * and the shrunk geofence; edges are found lazily and cached, so a query costs a few hundred
 * segment tests when the straight line is blocked and one scan when it is not.
 */
export function visibilityFlightSpace(keepout: MultiPolygon, geofence: MultiPolygon, opts: VisibilityOptions = {}): FlightSpace {
  const c = opts.clearanceM ?? 2;
  const checkKeepout = offset(keepout, c / 2, 1);
  const checkFence = offset(geofence, -c / 2, 1);
  const groups = [...groupsOf(checkKeepout), ...groupsOf(checkFence)];
  const isFree = (p: Vec2) => containsPoint(checkFence, p) && !containsPoint(checkKeepout, p);
  // Nodes: the check polygons' vertices pushed another c/2 off the obstacle along the vertex
  // bisector (to whichever side is free), rather than two more buffers: same clearance, less time.
  const nodes: Vec2[] = [];
  for (const g of [checkKeepout, checkFence])
    for (const poly of g)
      for (const r of poly) {
        const m = r.length - 1;
        for (let i = 0; i < m; i++) {
          const p = r[i]!;
          const a = r[(i + m - 1) % m]!;
          const b = r[(i + 1) % m]!;
          const n1 = unitNormal(a, p);
          const n2 = unitNormal(p, b);
          let nx = n1[0] + n2[0];
          let ny = n1[1] + n2[1];
          const len = Math.hypot(nx, ny);
          if (len < 1e-9) continue;
          nx /= len;
          ny /= len;
          for (const sgn of [1, -1]) {
            const q: Vec2 = [p[0] + sgn * nx * (c / 2), p[1] + sgn * ny * (c / 2)];
            if (isFree(q)) {
              nodes.push(q);
              break;
            }
          }
        }
      }

  /** No obstacle border crossed; assumes both ends are free (checked once per query). */
  const crossesNothing = (a: Vec2, b: Vec2): boolean => {
    const minX = Math.min(a[0], b[0]);
    const maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]);
    const maxY = Math.max(a[1], b[1]);
    for (const g of groups) {
      if (g.maxX < minX || g.minX > maxX || g.maxY < minY || g.minY > maxY) continue;
      for (let k = 0; k < g.e.length; k += 4) if (segmentsCross(a[0], a[1], b[0], b[1], g.e, k)) return false;
    }
    return true;
  };
  // With no border crossed the segment is inside or outside as a whole: its ends decide.
  const isClear = (a: Vec2, b: Vec2): boolean => crossesNothing(a, b) && isFree(a) && isFree(b);

  /** Nodes visible from a query point, cached by position (pads are queried again and again). */
  const pointVis = new Map<string, Array<[number, number]>>();
  const visibleFromPoint = (p: Vec2): Array<[number, number]> => {
    const key = `${p[0]},${p[1]}`;
    let v = pointVis.get(key);
    if (!v) {
      v = [];
      for (let j = 0; j < nodes.length; j++) if (crossesNothing(p, nodes[j]!)) v.push([j, Math.hypot(nodes[j]![0] - p[0], nodes[j]![1] - p[1])]);
      if (pointVis.size > 10_000) pointVis.clear();
      pointVis.set(key, v);
    }
    return v;
  };

  const visCache = new Map<number, Array<[number, number]>>();
  const visibleFromNode = (i: number): Array<[number, number]> => {
    let v = visCache.get(i);
    if (!v) {
      v = [];
      const p = nodes[i]!;
      for (let j = 0; j < nodes.length; j++) {
        if (j === i) continue;
        const q = nodes[j]!;
        const cached = visCache.get(j);
        if (cached) {
          const hit = cached.find(([k]) => k === i);
          if (hit) v.push([j, hit[1]]);
          continue;
        }
        if (crossesNothing(p, q)) v.push([j, Math.hypot(q[0] - p[0], q[1] - p[1])]);
      }
      visCache.set(i, v);
    }
    return v;
  };

  const path = (a: Vec2, b: Vec2): Vec2[] | null => {
    if (crossesNothing(a, b)) return [a, b];
    const n = nodes.length;
    const toGoal = new Float64Array(n).fill(Infinity);
    for (const [j, d] of visibleFromPoint(b)) toGoal[j] = d;
    const g = new Float64Array(n).fill(Infinity);
    const parent = new Int32Array(n).fill(-1);
    const closed = new Uint8Array(n);
    const h = (j: number) => Math.hypot(b[0] - nodes[j]![0], b[1] - nodes[j]![1]);
    for (const [j, d] of visibleFromPoint(a)) g[j] = d;
    let bestGoal = Infinity;
    let bestLast = -1;
    for (;;) {
      let u = -1;
      let uf = Infinity;
      for (let j = 0; j < n; j++) {
        if (!closed[j] && g[j]! + h(j) < uf) {
          uf = g[j]! + h(j);
          u = j;
        }
      }
      if (u < 0 || uf >= bestGoal) break;
      closed[u] = 1;
      if (g[u]! + toGoal[u]! < bestGoal) {
        bestGoal = g[u]! + toGoal[u]!;
        bestLast = u;
      }
      for (const [v, d] of visibleFromNode(u)) {
        if (closed[v]) continue;
        if (g[u]! + d < g[v]!) {
          g[v] = g[u]! + d;
          parent[v] = u;
        }
      }
    }
    if (bestLast < 0) return null;
    const out: Vec2[] = [b];
    for (let j = bestLast; j >= 0; j = parent[j]!) out.push(nodes[j]!);
    out.push(a);
    return out.reverse();
  };
  return { isClear, path };
}
