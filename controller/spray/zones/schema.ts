import { z } from 'zod';

/**
 * A WGS84 position, [lon, lat] (RFC 7946 §3.1.1). One whose first value is a latitude and whose
 * second cannot be (beyond ±90) is most likely [lat, lon]: that is said, not just "out of range".
 */
export const positionSchema = z
  .array(z.number())
  .min(2)
  .superRefine((c, ctx) => {
    const [lon, lat] = [c[0]!, c[1]!];
    if (Math.abs(lon) <= 180 && Math.abs(lat) <= 90) return;
    const swapped = Math.abs(lon) <= 90 && Math.abs(lat) <= 180;
    ctx.addIssue({
      code: 'custom',
      message: swapped
        ? `position [${lon}, ${lat}] looks like [lat, lon]: GeoJSON positions are [lon, lat] (RFC 7946 §3.1.1); swap them`
        : `position [${lon}, ${lat}] is not [lon, lat] in degrees (lon within ±180, lat within ±90)`,
    });
  });
/**
 * A linear ring: closed, four or more positions (RFC 7946 §3.1.6). An open ring is refused, not
 * closed for the user: which closing edge was meant is a guess.
 */
const ring = z
  .array(positionSchema)
  .min(4, 'a ring needs at least 4 positions, the last the same as the first (RFC 7946 §3.1.6)')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'ring is not closed: its last position must be the same as its first (RFC 7946 §3.1.6)');
const polygonGeom = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const multiPolygonGeom = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) });
const pointGeom = z.object({ type: z.literal('Point'), coordinates: positionSchema });

/** Roles a zone feature can have (`properties.role`). */
export const zoneRoles = ['spray', 'keepout', 'geofence', 'pad'] as const;
/** Role of a zone feature. */
export type ZoneRole = (typeof zoneRoles)[number];

/** Zod schema of one zone feature (shape only; geometric checks are in `validate.ts`). */
export const zoneFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.looseObject({ role: z.enum(zoneRoles), name: z.string().optional(), crews: z.number().int().min(1).optional() }),
  geometry: z.discriminatedUnion('type', [polygonGeom, multiPolygonGeom, pointGeom]),
});

/**
 * Positions (vertices and pads) a zones file may have at most: the geometry checks and the
 * planner's flight space grow faster than linearly with them. A surveyed 10 km road edge at
 * 1 m has ~10,000; simplify finer outlines first.
 */
export const MAX_ZONE_POSITIONS = 20_000;

function positionCount(features: { geometry: { type: string; coordinates: unknown } }[]): number {
  let n = 0;
  for (const f of features) {
    const g = f.geometry;
    if (g.type === 'Point') n++;
    else if (g.type === 'Polygon') for (const r of g.coordinates as unknown[][]) n += r.length;
    else for (const p of g.coordinates as unknown[][][]) for (const r of p) n += r.length;
  }
  return n;
}

/** Zod schema of a zones file: a GeoJSON FeatureCollection in WGS84. */
export const zonesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(zoneFeatureSchema)
    .min(1)
    .superRefine((features, ctx) => {
      const n = positionCount(features);
      if (n > MAX_ZONE_POSITIONS) ctx.addIssue({ code: 'custom', message: `${n} positions; a zones file may have at most ${MAX_ZONE_POSITIONS}: simplify the outlines` });
    }),
});

/** A zones file that passed the schema (not yet the geometric checks). */
export type ZonesInput = z.infer<typeof zonesSchema>;
