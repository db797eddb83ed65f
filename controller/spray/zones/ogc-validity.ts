/**
 * OGC Simple Features validity of a polygon, by JTS's rules (jsts `IsValidOp`): a hole may touch
 * its outer ring at one point, rings may run either way round; a ring may not cross itself or
 * another, a hole may not lie outside its shell or inside another hole, the interior must be
 * connected. Each kind of problem gets its own message and the place where it is.
 */
import Coordinate from 'jsts/org/locationtech/jts/geom/Coordinate.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';
import TopologyValidationError from 'jsts/org/locationtech/jts/operation/valid/TopologyValidationError.js';
import type { Ring, Vec2 } from '../geometry/types.js';

const factory = new GeometryFactory();

/** What JTS found, in words an operator can act on. */
const MESSAGES: Record<number, string> = {
  [TopologyValidationError.HOLE_OUTSIDE_SHELL]: 'a hole lies outside its outer ring',
  [TopologyValidationError.NESTED_HOLES]: 'a hole lies inside another hole',
  [TopologyValidationError.DISCONNECTED_INTERIOR]: 'the holes cut the area in two (its interior is disconnected)',
  [TopologyValidationError.SELF_INTERSECTION]: 'rings cross each other',
  [TopologyValidationError.RING_SELF_INTERSECTION]: 'a ring touches itself at a point',
  [TopologyValidationError.NESTED_SHELLS]: 'one polygon lies inside another of the same feature',
  [TopologyValidationError.DUPLICATE_RINGS]: 'two rings are the same',
  [TopologyValidationError.TOO_FEW_POINTS]: 'a ring has fewer than 3 distinct points',
  [TopologyValidationError.INVALID_COORDINATE]: 'a position is not a number',
  [TopologyValidationError.RING_NOT_CLOSED]: 'a ring is not closed',
};

/**
 * The first OGC validity problem of a polygon given as rings (outer first, then holes; closed, in
 * any orientation, in local metres), or null when it is valid. `at` is where it is.
 */
export function ogcProblem(rings: Ring[]): { message: string; at: Vec2 } | null {
  const ring = (r: Ring) => factory.createLinearRing(r.map(([x, y]) => new Coordinate(x, y)));
  const polygon = factory.createPolygon(ring(rings[0]!), rings.slice(1).map(ring));
  const error = new IsValidOp(polygon).getValidationError();
  if (!error) return null;
  const c = error.getCoordinate();
  const type = error.getErrorType();
  // Two edges of one ring crossing is the classic bow-tie: say so rather than "rings cross".
  const message = type === TopologyValidationError.SELF_INTERSECTION && rings.length === 1 ? 'self-crossing ring' : (MESSAGES[type] ?? error.getMessage());
  return { message, at: [c.x, c.y] };
}
