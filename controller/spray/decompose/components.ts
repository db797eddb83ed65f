import { areaM2 } from '../geometry/polygon.js';
import type { MultiPolygon, Polygon } from '../geometry/types.js';
import type { Decomposer } from './types.js';

/**
 * Cells = connected parts of the interior (keepouts and narrow necks separate them); each gets
 * its own sweep angle. Parts smaller than `minAreaM2` (default 1 m²) are dropped: the headland
 * band already covers them.
 */
export function connectedParts(minAreaM2 = 1): Decomposer {
  return {
    decompose(inner: MultiPolygon): Polygon[] {
      return inner.filter((p) => areaM2([p]) >= minAreaM2);
    },
  };
}
