import type { MultiPolygon, Ring } from '../geometry/types.js';

/** What the headland stage leaves for the later stages. */
export interface Headland {
  /** Closed spraying loops (one per boundary ring of {@link regionH}, outer borders and holes alike). */
  loops: Ring[];
  /**
   * Where the centre of a swath may go without the band leaving the sprayable area: the sprayable
   * area shrunk by half a swath (plus a small margin). Transects are clipped to it.
   */
  regionH: MultiPolygon;
  /** What the loops do not cover: the interior left for transects. */
  inner: MultiPolygon;
}

/** Headland stage strategy. */
export interface HeadlandGenerator {
  generate(sprayable: MultiPolygon, swathM: number): Headland;
}
