import type { MultiPolygon, Polygon, Vec2 } from '../geometry/types.js';

/** A straight spraying pass, in the local frame. */
export interface Transect {
  a: Vec2;
  b: Vec2;
  /** Index of the strip (row) it belongs to, counted along the sweep's normal. */
  strip: number;
  /** Extent along the sweep direction in the rotated frame (for cell grouping). */
  x0: number;
  x1: number;
}

/** Transects of one region, grouped by strip, strips in order. */
export type StripTransects = Transect[][];

/** Swath stage strategy: transects covering `cell` at sweep angle `angleRad`. */
export interface SwathGenerator {
  generate(cell: Polygon, regionH: MultiPolygon, angleRad: number, swathM: number): StripTransects;
}

/** Sweep objective: a cost for a set of transects. Lower is better. */
export interface SweepObjective {
  /** Always true here: the objective is minimised (as Fields2Cover's objectives declare). */
  readonly minimise: true;
  cost(transects: StripTransects, swathM: number): number;
}
