import { kinks, polygon as turfPolygon } from '@turf/turf';
import { areaM2, containsPoint, intersect, subtract, unionAll } from '../geometry/polygon.js';
import { makeProjection, type LocalProjection } from '../geometry/projection.js';
import type { MultiPolygon, Vec2 } from '../geometry/types.js';
import { zonesSchema } from './schema.js';
import type { PlanError } from '../types.js';

/** A pad in the local frame. */
export interface LocalPad {
  /** Index among the pads, in file order. */
  index: number;
  name: string;
  lon: number;
  lat: number;
  p: Vec2;
  /** Refill/battery crews at this pad, each serving one drone at a time. */
  crews: number;
}

/** Zones after validation, in the local metric frame. */
export interface ValidZones {
  projection: LocalProjection;
  /** Union of the spray features clipped to the geofence. */
  spray: MultiPolygon;
  /** Union of keepouts (no spray, no flight). */
  keepout: MultiPolygon;
  geofence: MultiPolygon;
  pads: LocalPad[];
  /** spray ∩ geofence − keepout: where spraying is wanted. */
  sprayable: MultiPolygon;
  /** Each spray feature as given: its index in `features`, its name, its polygons (for messages about one zone). */
  sprayZones: { feature: number; name?: string; polys: MultiPolygon }[];
}

/** Minimum area that counts as "outside" or "not empty", m² (absorbs floating-point slivers). */
const AREA_EPS_M2 = 1;

/**
 * Validates a zones FeatureCollection: zod shape, then geometry (self-crossing rings, exactly one
 * geofence, pads inside the geofence and outside keepouts, spray inside the geofence, a non-empty
 * sprayable area). Every problem is reported, each with a JSON path.
 */
export function validateZones(input: unknown): { ok: true; zones: ValidZones } | { ok: false; errors: PlanError[] } {
  const parsed = zonesSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    };
  }
  const errors: PlanError[] = [];
  const feats = parsed.data.features;
  const all: number[][] = [];
  feats.forEach((f) => {
    const g = f.geometry;
    if (g.type === 'Point') all.push(g.coordinates);
    else if (g.type === 'Polygon') g.coordinates.forEach((r) => all.push(...r));
    else g.coordinates.forEach((p) => p.forEach((r) => all.push(...r)));
  });
  const lat0 = all.reduce((s, c) => s + c[1]!, 0) / all.length;
  const lon0 = all.reduce((s, c) => s + c[0]!, 0) / all.length;
  const proj = makeProjection(lat0, lon0);
  const toPolys = (coords: number[][][][]): MultiPolygon =>
    coords.map((poly) => poly.map((r) => r.map((c) => proj.toLocal(c[0]!, c[1]!))));

  const byRole: Record<'spray' | 'keepout' | 'geofence', MultiPolygon[]> = { spray: [], keepout: [], geofence: [] };
  const pads: LocalPad[] = [];
  feats.forEach((f, i) => {
    const path = `features.${i}`;
    const role = f.properties.role;
    const g = f.geometry;
    if (role === 'pad') {
      if (g.type !== 'Point') return errors.push({ path: `${path}.geometry.type`, message: `a pad must be a Point, got ${g.type}` });
      pads.push({
        index: pads.length,
        name: f.properties.name ?? `pad${pads.length + 1}`,
        lon: g.coordinates[0]!,
        lat: g.coordinates[1]!,
        p: proj.toLocal(g.coordinates[0]!, g.coordinates[1]!),
        crews: f.properties.crews ?? 1,
      });
      return;
    }
    if (g.type === 'Point') return errors.push({ path: `${path}.geometry.type`, message: `a ${role} zone must be a Polygon or MultiPolygon` });
    if (role === 'geofence' && g.type !== 'Polygon') return errors.push({ path: `${path}.geometry.type`, message: 'the geofence must be a Polygon' });
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    polys.forEach((poly, k) => {
      const kinked = kinks(turfPolygon(poly)).features[0];
      if (kinked) {
        const [lon, lat] = kinked.geometry.coordinates;
        errors.push({
          path: `${path}.geometry.coordinates${g.type === 'MultiPolygon' ? `.${k}` : ''}`,
          message: `self-crossing ring near lon ${lon!.toFixed(6)}, lat ${lat!.toFixed(6)}`,
        });
      }
    });
    byRole[role].push(toPolys(polys));
  });
  if (byRole.geofence.length !== 1)
    errors.push({ path: 'features', message: `exactly one geofence is required, found ${byRole.geofence.length}` });
  if (byRole.spray.length === 0) errors.push({ path: 'features', message: 'no spray zone (role "spray")' });
  if (pads.length === 0) errors.push({ path: 'features', message: 'no pad (role "pad")' });
  if (errors.length > 0) return { ok: false, errors };

  // A lone simple Polygon (checked for self-crossings above) needs no union: skipping the sweep saves
  // a polyclip run each, the most expensive part of validation on a cold start.
  const single = (gs: MultiPolygon[]): MultiPolygon => (gs.length === 1 && gs[0]!.length === 1 ? gs[0]! : unionAll(gs));
  const geofence = single(byRole.geofence);
  const keepout = unionAll(byRole.keepout);
  const sprayRaw = single(byRole.spray);
  const padFeatureIdx = feats.map((f, i) => (f.properties.role === 'pad' ? i : -1)).filter((i) => i >= 0);
  pads.forEach((pad, k) => {
    if (!containsPoint(geofence, pad.p))
      errors.push({ path: `features.${padFeatureIdx[k]}`, message: `pad ${pad.name} is outside the geofence` });
    else if (containsPoint(keepout, pad.p))
      errors.push({ path: `features.${padFeatureIdx[k]}`, message: `pad ${pad.name} is inside a keepout` });
  });
  const sprayFeatureIdx = feats.map((f, i) => (f.properties.role === 'spray' ? i : -1)).filter((i) => i >= 0);
  const spray = intersect(sprayRaw, geofence);
  byRole.spray.forEach((s, k) => {
    // One spray feature: what is outside is its area minus the clipped area (no second boolean).
    const outside = byRole.spray.length === 1 && s.length === 1 ? areaM2(s) - areaM2(spray) : areaM2(subtract(s, geofence));
    if (outside > AREA_EPS_M2)
      errors.push({
        path: `features.${sprayFeatureIdx[k]}`,
        message: `spray area outside the geofence (${outside.toFixed(0)} m² outside)`,
      });
  });
  if (errors.length > 0) return { ok: false, errors };
  const sprayable = subtract(spray, keepout);
  if (areaM2(sprayable) < AREA_EPS_M2)
    errors.push({ path: 'features', message: 'empty sprayable area: spray zones are fully covered by keepouts' });
  if (errors.length > 0) return { ok: false, errors };
  const sprayZones = byRole.spray.map((polys, k) => ({ feature: sprayFeatureIdx[k]!, name: feats[sprayFeatureIdx[k]!]!.properties.name, polys }));
  return { ok: true, zones: { projection: proj, spray, keepout, geofence, pads, sprayable, sprayZones } };
}
