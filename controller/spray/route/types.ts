import type { Vec2 } from '../geometry/types.js';

/** A piece of flight: a polyline, pump on or off. */
export interface Leg {
  pts: Vec2[];
  spray: boolean;
  /** Effective swath of a partial-width spraying leg, m (absent: the full swath). */
  swathM?: number;
}

/** One way to fly a work item, given where the drone comes from. */
export interface WorkEntry {
  start: Vec2;
  end: Vec2;
  /** Spray legs and the (straight, not yet path-checked) connections between them. */
  legs(): Leg[];
}

/** A unit of work the ordering stage arranges: a serpentine cell or a headland loop. */
export interface WorkItem {
  /** Ways to fly the item; the orderer picks one. */
  entries(from: Vec2): WorkEntry[];
}

/** Route stage strategy: an order (and entry) for every item, starting from `start`. */
export interface RouteOrderer {
  order(items: WorkItem[], start: Vec2): WorkEntry[];
}
