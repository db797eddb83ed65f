/**
 * Ways out for a drone that is where it must not be (pure; local metres of the mission's
 * projection). From outside the geofence it re-enters first, at the nearest point that keeps the
 * clearance; from inside a keepout it leaves by the nearest way out; from there the spray
 * planner's visibility-graph flight space (`controller/spray/path/`) routes around the keepouts.
 */
import { containsPoint, offset } from '../spray/geometry/polygon.js';
import type { MultiPolygon, Vec2 } from '../spray/geometry/types.js';
import type { FlightSpace } from '../spray/index.js';

/** Clearance the way out keeps, m: the flight space's own (its nodes at 2 m, its checks at 1 m). */
const CLEARANCE_M = 2;

function closestOnSegment(p: Vec2, a: Vec2, b: Vec2): Vec2 {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return [a[0] + t * dx, a[1] + t * dy];
}

/**
 * The nearest free point to `from` on the border of the free space (the geofence shrunk and the
 * keepouts grown by the clearance): `from` itself when it is free already, undefined when there
 * is no free space at all.
 */
export function wayIn(from: Vec2, keepout: MultiPolygon, geofence: MultiPolygon): Vec2 | undefined {
  const checkFence = offset(geofence, -CLEARANCE_M / 2, 1);
  const checkKeepout = offset(keepout, CLEARANCE_M / 2, 1);
  const free = (p: Vec2) => containsPoint(checkFence, p) && !containsPoint(checkKeepout, p);
  if (free(from)) return from;
  const candidates: Vec2[] = [];
  for (const g of [offset(geofence, -CLEARANCE_M, 1), offset(keepout, CLEARANCE_M, 1)])
    for (const poly of g) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) candidates.push(closestOnSegment(from, ring[i]!, ring[i + 1]!));
  candidates.sort((a, b) => Math.hypot(a[0] - from[0], a[1] - from[1]) - Math.hypot(b[0] - from[0], b[1] - from[1]));
  return candidates.find(free);
}

/**
 * A polyline from `from` to `to` (a pad) that avoids keepouts: the way in (when `from` is not
 * free; the one nearest `stopsAt`, where a moving drone comes to a stop), then the flight space's shortest clear path. Excludes `from`, ends with `to`. Undefined
 * when no clear way exists (the caller falls back to the drone's own straight return at transit
 * height, above the keepouts' buildings).
 */
export function clearPathFrom(from: Vec2, to: Vec2, space: FlightSpace, keepout: MultiPolygon, geofence: MultiPolygon, stopsAt: Vec2 = from): Vec2[] | undefined {
  // The way out is the one nearest to where the drone comes to a stop, not where it was seen: it brakes along its course.
  const entry = wayIn(stopsAt, keepout, geofence);
  if (!entry) return undefined;
  const rest = space.path(entry, to);
  if (!rest) return undefined;
  const head = entry === from ? [] : [entry];
  return [...head, ...rest.slice(1)];
}
