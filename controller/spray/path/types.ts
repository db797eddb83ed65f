import type { Vec2 } from '../geometry/types.js';

/** Path stage strategy: where a drone may fly with the pump off. */
export interface FlightSpace {
  /** True when the straight segment stays inside the geofence and clear of every keepout. */
  isClear(a: Vec2, b: Vec2): boolean;
  /** A shortest clear polyline from `a` to `b` (both assumed free), or null when there is none. */
  path(a: Vec2, b: Vec2): Vec2[] | null;
}
