import type { MultiPolygon, Polygon } from '../geometry/types.js';

/** Decomposition stage strategy: splits the transect interior into cells swept independently. */
export interface Decomposer {
  decompose(inner: MultiPolygon): Polygon[];
}
