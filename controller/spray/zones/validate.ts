import { areaM2, containsPoint, intersect, subtract, unionAll } from '../geometry/polygon.js';
import { makeProjection, type LocalProjection } from '../geometry/projection.js';
import type { MultiPolygon, Vec2 } from '../geometry/types.js';
import { ogcProblem } from './ogc-validity.js';
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
 * Largest scale error of the local projection over the zones (1 %: 7 cm on a 7 m swath). It grows
 * with tan(latitude) × the zones' north-south extent, so only zones near the poles reach it.
 */
const MAX_SCALE_ERROR = 0.01;

/** Drops positions equal to the one before (GIS exports repeat points; they carry no shape). */
const dedupe = (r: number[][]): number[][] => r.filter((c, i) => i === 0 || c[0] !== r[i - 1]![0] || c[1] !== r[i - 1]![1]);

/** All points of a ring within 1 mm of one line (a zero signed area alone is also a bow-tie's). */
function onOneLine(r: Vec2[]): boolean {
  const a = r[0]!;
  let b = a;
  for (const p of r) if (Math.hypot(p[0] - a[0], p[1] - a[1]) > Math.hypot(b[0] - a[0], b[1] - a[1])) b = p;
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len === 0) return true;
  return r.every((p) => Math.abs((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / len < 1e-3);
}

/** `lon` moved by whole turns to within 180° of `ref`: zones crossing the ±180° meridian stay in one piece. */
const unwrapLon = (lon: number, ref: number) => lon + 360 * Math.round((ref - lon) / 360);

/**
 * Validates a zones FeatureCollection: zod shape (positions [lon, lat], a likely [lat, lon] swap
 * named; rings closed, RFC 7946), then geometry: repeated consecutive positions dropped; rings with
 * no area; OGC validity by JTS's rules (a hole touching its ring at one point is valid, either
 * orientation is); zones near a pole beyond the local projection; exactly one geofence, pads inside
 * it and outside keepouts, spray inside it, a non-empty sprayable area. Zones crossing the ±180°
 * meridian are planned in one piece. Every problem is reported, each with a JSON path.
 *
 * `purpose` 'fly' (a broadcast flight) checks the geofence, keepouts and pads alone: a spray zone
 * is then refused, not required, and `spray`/`sprayable` come back empty.
 */
export function validateZones(input: unknown, purpose: 'spray' | 'fly' = 'spray'): { ok: true; zones: ValidZones } | { ok: false; errors: PlanError[] } {
  const parsed = zonesSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    };
  }
  const errors: PlanError[] = [];
  const feats = parsed.data.features.map((f) => {
    const g = f.geometry;
    if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(dedupe) } };
    if (g.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map((p) => p.map(dedupe)) } };
    return f;
  });
  const all: number[][] = [];
  feats.forEach((f) => {
    const g = f.geometry;
    if (g.type === 'Point') all.push(g.coordinates);
    else if (g.type === 'Polygon') g.coordinates.forEach((r) => all.push(...r));
    else g.coordinates.forEach((p) => p.forEach((r) => all.push(...r)));
  });
  const lonRef = all[0]![0]!;
  const lat0 = all.reduce((s, c) => s + c[1]!, 0) / all.length;
  const lon0 = unwrapLon(all.reduce((s, c) => s + unwrapLon(c[0]!, lonRef), 0) / all.length, 0);
  const proj = makeProjection(lat0, lon0);
  const lats = all.map((c) => c[1]!);
  const [latMin, latMax] = [Math.min(...lats), Math.max(...lats)];
  const scaleError = Math.max(...[latMin, latMax].map((lat) => Math.abs(Math.cos((lat * Math.PI) / 180) / Math.cos((lat0 * Math.PI) / 180) - 1)));
  if (!(scaleError <= MAX_SCALE_ERROR)) {
    return {
      ok: false,
      errors: [
        {
          path: 'features',
          message: `the zones reach from lat ${latMin.toFixed(4)} to ${latMax.toFixed(4)}: so near the pole the planner's local projection would be off by ${Number.isFinite(scaleError) ? `${(scaleError * 100).toFixed(1)} %` : 'everything'} (at most ${MAX_SCALE_ERROR * 100} %); plan smaller zones`,
        },
      ],
    };
  }
  const toPolys = (coords: number[][][][]): MultiPolygon => coords.map((poly) => poly.map((r) => r.map((c) => proj.toLocal(c[0]!, c[1]!))));
  const where = (p: Vec2) => {
    const [lon, lat] = proj.toLonLat(p);
    return `near lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)}`;
  };

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
    const local = toPolys(polys);
    let bad = false;
    local.forEach((rings, k) => {
      const at = `${path}.geometry.coordinates${g.type === 'MultiPolygon' ? `.${k}` : ''}`;
      rings.forEach((r, ri) => {
        if (bad) return;
        const what = ri === 0 ? 'the outer ring' : `hole ${ri}`;
        const message = r.length < 4 ? `${what} has fewer than 3 distinct points` : onOneLine(r) ? `${what} has no area: its points are all on one line` : undefined;
        if (message === undefined) return;
        bad = true;
        errors.push({ path: `${at}.${ri}`, message });
      });
      if (bad) return;
      const problem = ogcProblem(rings);
      if (problem) {
        bad = true;
        errors.push({ path: at, message: `invalid polygon: ${problem.message} ${where(problem.at)}` });
      }
    });
    // Kept even when bad, so that the role checks below do not add a false "no spray zone".
    byRole[role].push(local);
  });
  if (byRole.geofence.length !== 1) errors.push({ path: 'features', message: `exactly one geofence is required, found ${byRole.geofence.length}` });
  if (purpose === 'spray' && byRole.spray.length === 0) errors.push({ path: 'features', message: 'no spray zone (role "spray")' });
  if (purpose === 'fly')
    feats.forEach((f, i) => {
      if (f.properties.role === 'spray') errors.push({ path: `features.${i}.properties.role`, message: 'a spray zone has no place here: this flight sprays nothing' });
    });
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
    if (!containsPoint(geofence, pad.p)) errors.push({ path: `features.${padFeatureIdx[k]}`, message: `pad ${pad.name} is outside the geofence` });
    else if (containsPoint(keepout, pad.p)) errors.push({ path: `features.${padFeatureIdx[k]}`, message: `pad ${pad.name} is inside a keepout` });
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
  if (purpose === 'fly') return { ok: true, zones: { projection: proj, spray: [], keepout, geofence, pads, sprayable: [], sprayZones: [] } };
  const sprayable = subtract(spray, keepout);
  if (areaM2(sprayable) < AREA_EPS_M2)
    errors.push({
      path: 'features',
      message:
        areaM2(spray) < AREA_EPS_M2
          ? `empty sprayable area: the spray zones have ${areaM2(spray).toFixed(2)} m² (at least ${AREA_EPS_M2} m²)`
          : 'empty sprayable area: spray zones are fully covered by keepouts',
    });
  if (errors.length > 0) return { ok: false, errors };
  const sprayZones = byRole.spray.map((polys, k) => ({ feature: sprayFeatureIdx[k]!, name: feats[sprayFeatureIdx[k]!]!.properties.name, polys }));
  return { ok: true, zones: { projection: proj, spray, keepout, geofence, pads, sprayable, sprayZones } };
}
