import type { MultiPolygon, Ring, Vec2 } from '../geometry/types.js';

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

/** What the corner stage needs: the headland's region, the outlines, the swath and the clearance. */
export interface CornerContext {
  sprayable: MultiPolygon;
  keepout: MultiPolygon;
  geofence: MultiPolygon;
  /** The headland's {@link Headland.regionH}; its rings are the loops. */
  regionH: MultiPolygon;
  swathM: number;
  /** Distance the drone keeps from keepouts and the geofence, m. */
  clearanceM: number;
}

/**
 * An out-and-back pass from a loop vertex: from `pts[0]` (the vertex, index `vertex` of the ring
 * without its closing point) along `pts` with the pump on, leg i at effective swath `swathM[i]` (m),
 * then straight back to the vertex with the pump off.
 */
export interface CornerPass {
  vertex: number;
  pts: Vec2[];
  swathM: number[];
}

/** Corner stage strategy: extra passes into the corners the loops leave unsprayed, keyed by loop ring. */
export interface CornerTreatment {
  passes(ctx: CornerContext): Map<Ring, CornerPass[]>;
}
