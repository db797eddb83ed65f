/** A point in the local metric frame: x east, y north, metres. */
export type Vec2 = [number, number];
/** A closed ring (first point repeated last) in the local metric frame. */
export type Ring = Vec2[];
/** Outer ring followed by hole rings (polyclip-ts layout). */
export type Polygon = Ring[];
/** A set of polygons (polyclip-ts layout). */
export type MultiPolygon = Polygon[];
