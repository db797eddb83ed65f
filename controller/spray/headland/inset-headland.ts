import { offset } from '../geometry/polygon.js';
import type { MultiPolygon } from '../geometry/types.js';
import type { Headland, HeadlandGenerator } from './types.js';

/** Options of {@link insetHeadland}. */
export interface InsetHeadlandOptions {
  /**
   * Extra inset of the loops beyond half a swath, m (default 0.02). Absorbs the chord error of the
   * buffered arcs (8 segments per quarter: 1.7 cm at 3.5 m) so the band never reaches past the border.
   * Every cm of margin leaves a cm-wide unsprayed line along every border: keep it small.
   */
  marginM?: number;
  /**
   * How far the transect interior reaches into the loops' band, m (default 0.3): a small overlap
   * that keeps rasterised coverage free of slivers between loop band and transect band.
   */
  overlapM?: number;
}

/**
 * One headland pass at half a swath inside every boundary, holes (keepouts) included. The loop's
 * band covers the strip [0, swath] along each border exactly, so borders are covered without
 * spraying outside; only convex corners keep a small unsprayed wedge (the band of a loop cannot
 * reach into a sharp corner without crossing the border).
 */
export function insetHeadland(opts: InsetHeadlandOptions = {}): HeadlandGenerator {
  const marginM = opts.marginM ?? 0.02;
  const overlapM = opts.overlapM ?? 0.3;
  return {
    generate(sprayable: MultiPolygon, swathM: number): Headland {
      const regionH = offset(sprayable, -(swathM / 2 + marginM), 8);
      // The interior only decides which transect pieces are needed: coarse arcs are enough. Erosions
      // by discs compose (S ⊖ D(a) ⊖ D(b) = S ⊖ D(a + b)), so it is eroded from the sprayable area
      // itself (a few hundred vertices) rather than from regionH, whose arcs have ~6× more: same set,
      // a fraction of the buffer time (cold park: 87 → ~15 ms).
      const inner = regionH.length ? offset(sprayable, -(swathM - overlapM), 2) : [];
      const loops = regionH.flatMap((poly) => poly.filter((r) => r.length >= 4));
      return { loops, regionH, inner };
    },
  };
}
