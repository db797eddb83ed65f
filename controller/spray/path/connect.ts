import type { Vec2 } from '../geometry/types.js';
import type { WorkEntry } from '../route/types.js';
import type { FlightSpace } from './types.js';

/** One straight piece of the full route, pump on or off. */
export interface RouteSeg {
  a: Vec2;
  b: Vec2;
  spray: boolean;
  lenM: number;
  /** Effective swath of a partial-width spraying segment, m (absent: the full swath). */
  swathM?: number;
}

const seg = (a: Vec2, b: Vec2, spray: boolean, swathM?: number): RouteSeg => {
  const s: RouteSeg = { a, b, spray, lenM: Math.hypot(b[0] - a[0], b[1] - a[1]) };
  if (swathM !== undefined) s.swathM = swathM;
  return s;
};

/**
 * Path stage: turns ordered work entries into one continuous route. Connections between and
 * inside items (turnarounds) fly straight when that is clear, otherwise along the flight space's
 * shortest path; a connection with no clear path keeps the straight line and is counted in
 * `blocked` so the caller can reject the plan.
 */
export function connectRoute(entries: WorkEntry[], space: FlightSpace): { segs: RouteSeg[]; blocked: number } {
  const segs: RouteSeg[] = [];
  let blocked = 0;
  const ferry = (from: Vec2, to: Vec2) => {
    if (from[0] === to[0] && from[1] === to[1]) return;
    const p = space.path(from, to);
    if (!p) blocked++;
    const pts = p ?? [from, to];
    for (let i = 0; i + 1 < pts.length; i++) segs.push(seg(pts[i]!, pts[i + 1]!, false));
  };
  let at: Vec2 | null = null;
  for (const e of entries) {
    if (at) ferry(at, e.start);
    for (const leg of e.legs()) {
      if (!leg.spray && leg.pts.length === 2) ferry(leg.pts[0]!, leg.pts[1]!);
      else for (let i = 0; i + 1 < leg.pts.length; i++) segs.push(seg(leg.pts[i]!, leg.pts[i + 1]!, leg.spray, leg.swathM));
    }
    at = e.end;
  }
  return { segs: segs.filter((s) => s.lenM > 1e-9), blocked };
}
