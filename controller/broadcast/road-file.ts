import { booleanWithin, lineString, polygon } from '@turf/turf';
import { z } from 'zod';
import { containsPoint } from '../spray/geometry/polygon.js';
import type { LocalProjection } from '../spray/geometry/projection.js';
import type { Vec2 } from '../spray/geometry/types.js';
import { positionSchema, validateZones, type PlanError, type ValidZones } from '../spray/index.js';

/** The road feature of a broadcast file: a LineString with `properties.role` "road". */
const roadFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.looseObject({ role: z.literal('road'), name: z.string().optional() }),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(positionSchema).min(2, 'a road needs at least 2 positions') }),
});

const isRoad = (f: unknown) => typeof f === 'object' && f !== null && (f as { properties?: { role?: unknown } }).properties?.role === 'road';

/** A broadcast file after validation, in the zones' local metric frame. */
export interface ValidRoadFile {
  zones: ValidZones;
  projection: LocalProjection;
  /** The road's centre line, local metres, repeated positions dropped, in the order drawn. */
  road: Vec2[];
  name?: string;
}

/**
 * Validates a broadcast file: a GeoJSON FeatureCollection with exactly one road (a LineString,
 * role "road", drawn from the checkpoint outwards along the queue) and, as a spray zones file
 * has them, one geofence, one or more pads and any keepouts (checked by {@link validateZones},
 * which also refuses spray zones here). The road must lie inside the geofence. Every problem is
 * reported with its JSON path in the file as given.
 */
export function validateRoadFile(input: unknown): { ok: true; file: ValidRoadFile } | { ok: false; errors: PlanError[] } {
  const shape = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1) }).safeParse(input);
  if (!shape.success) return { ok: false, errors: shape.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })) };
  const features = shape.data.features;
  const roadIdx = features.flatMap((f, i) => (isRoad(f) ? [i] : []));
  if (roadIdx.length !== 1) return { ok: false, errors: [{ path: 'features', message: `exactly one road (a LineString with role "road") is required, found ${roadIdx.length}` }] };
  const ri = roadIdx[0]!;
  const road = roadFeatureSchema.safeParse(features[ri]);
  const errors: PlanError[] = road.success ? [] : road.error.issues.map((i) => ({ path: [`features.${ri}`, ...i.path.map(String)].join('.'), message: i.message }));
  // The other features are a zones file of their own; their paths are put back to the file's indices.
  const others = features.flatMap((_, i) => (i === ri ? [] : [i]));
  const zones = validateZones({ type: 'FeatureCollection', features: others.map((i) => features[i]) }, 'fly');
  if (!zones.ok) errors.push(...zones.errors.map((e) => ({ ...e, path: e.path.replace(/^features\.(\d+)/, (_, k: string) => `features.${others[Number(k)]}`) })));
  if (!road.success || !zones.ok) return { ok: false, errors };
  const { projection } = zones.zones;
  const coords = road.data.geometry.coordinates.map((c) => projection.toLocal(c[0]!, c[1]!));
  const same = (a: Vec2, b: Vec2) => a[0] === b[0] && a[1] === b[1];
  const line = coords.filter((p, i) => i === 0 || !same(p, coords[i - 1]!));
  if (line.length < 2) return { ok: false, errors: [{ path: `features.${ri}.geometry.coordinates`, message: 'the road has no length: its positions are all the same' }] };
  // Each position and each straight stretch between two (a fence with a corner can cut one).
  const fence = polygon(zones.zones.geofence[0]!);
  const inside = (p: Vec2) => containsPoint(zones.zones.geofence, p);
  const leavesOnTheWay = (a: Vec2, b: Vec2) => !same(a, b) && !booleanWithin(lineString([a, b]), fence);
  const outside = coords.findIndex((p, i) => !inside(p) || (i > 0 && leavesOnTheWay(coords[i - 1]!, p)));
  if (outside >= 0)
    return {
      ok: false,
      errors: [
        {
          path: `features.${ri}.geometry.coordinates.${outside}`,
          message: `the road leaves the geofence ${inside(coords[outside]!) ? 'on its way to this position' : 'here'}: the drone follows the queue, so the fence must take all of it`,
        },
      ],
    };
  return { ok: true, file: { zones: zones.zones, projection, road: line, ...(road.data.properties.name ? { name: road.data.properties.name } : {}) } };
}
