import type { MissionWaypoint } from '../../protocol/index.js';
import type { CoverageRaster } from './coverage-raster.js';

/** A local point on a sortie: `waypoint` is the item flown towards (MAVLink current item). */
export interface PointOnSortie {
  x: number;
  y: number;
  waypoint: number;
}

/**
 * Places litres the flow meter counted while nobody was measuring (the controller was down)
 * along the sortie's planned legs from `from` to `to`, in proportion to the length of each leg
 * the plan sprays. The drone flew the plan, so this puts the dose where it fell, not on a
 * straight chord across the field. Returns the cells dosed for the first time.
 */
export function placeAlongPlan(
  raster: CoverageRaster,
  waypoints: MissionWaypoint[],
  local: (p: { lat: number; lon: number }) => { x: number; y: number },
  from: PointOnSortie,
  to: PointOnSortie,
  litres: number,
): number[] {
  const legs: { a: { x: number; y: number }; b: { x: number; y: number }; spray: boolean }[] = [];
  let at: { x: number; y: number } = from;
  for (let w = from.waypoint; w < to.waypoint && w < waypoints.length; w++) {
    const next = local(waypoints[w]!);
    legs.push({ a: at, b: next, spray: waypoints[w - 1]?.spray ?? false });
    at = next;
  }
  legs.push({ a: at, b: to, spray: waypoints[Math.min(to.waypoint, waypoints.length) - 1]?.spray ?? false });
  const sprayed = legs.filter((l) => l.spray);
  const lengthM = sprayed.reduce((sum, l) => sum + Math.hypot(l.b.x - l.a.x, l.b.y - l.a.y), 0);
  if (lengthM < 0.05) return raster.addSegment(from, to, litres);
  return sprayed.flatMap((l) => raster.addSegment(l.a, l.b, (litres * Math.hypot(l.b.x - l.a.x, l.b.y - l.a.y)) / lengthM));
}
