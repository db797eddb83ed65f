/**
 * A local metric frame (east/north metres from an origin, equirectangular): accurate to well
 * under 0.1 % over a few kilometres, which is all an outdoor spray site needs.
 */
import { EARTH_RADIUS_M } from '../../../protocol/drone/geo.js';
import type { Feature, FeatureCollection, Position } from '../api/types.js';

/**
 * The controller's projection (the protocol's Earth radius): the coverage raster's cells are
 * laid out in it, so the same numbers put them where the controller counted them (other
 * constants drew a 700 m raster up to 4 m off at its far edge).
 */
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

export class LocalFrame {
  private readonly kx: number;
  constructor(
    readonly lat0: number,
    readonly lon0: number,
  ) {
    this.kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  }
  /** [lon, lat] → [east m, north m]. */
  toXY(lon: number, lat: number): [number, number] {
    return [(lon - this.lon0) * this.kx, (lat - this.lat0) * M_PER_DEG];
  }
  /** [east m, north m] → [lon, lat]. */
  toLonLat(x: number, y: number): [number, number] {
    return [this.lon0 + x / this.kx, this.lat0 + y / M_PER_DEG];
  }
}

/** Every position of a feature collection. */
export function positionsOf(fc: FeatureCollection): Position[] {
  const out: Position[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type === 'Point') out.push(g.coordinates);
    else if (g.type === 'LineString') out.push(...g.coordinates);
    else if (g.type === 'Polygon') for (const ring of g.coordinates) out.push(...ring);
    else for (const poly of g.coordinates) for (const ring of poly) out.push(...ring);
  }
  return out;
}

/** [west, south, east, north] of a collection, or undefined when empty. */
export function bboxOf(fc: FeatureCollection): [number, number, number, number] | undefined {
  const ps = positionsOf(fc);
  if (!ps.length) return undefined;
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const p of ps) {
    w = Math.min(w, p[0]);
    e = Math.max(e, p[0]);
    s = Math.min(s, p[1]);
    n = Math.max(n, p[1]);
  }
  return [w, s, e, n];
}

export type ZoneRoleName = 'spray' | 'keepout' | 'geofence' | 'pad';

/** Zones as the editor keeps them: polygons (MultiPolygons split) and pad points, each with a role. */
export function normaliseZones(input: unknown): { zones: FeatureCollection; errors: string[] } {
  const errors: string[] = [];
  const features: Feature[] = [];
  const fc = input as Partial<FeatureCollection> | undefined;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { zones: { type: 'FeatureCollection', features: [] }, errors: ['not a GeoJSON FeatureCollection'] };
  fc.features.forEach((f, i) => {
    const role = (f.properties as { role?: string } | null)?.role;
    if (role !== 'spray' && role !== 'keepout' && role !== 'geofence' && role !== 'pad') {
      errors.push(`feature ${i}: properties.role must be spray, keepout, geofence or pad`);
      return;
    }
    const g = f.geometry;
    if (g?.type === 'Polygon' || g?.type === 'Point') features.push({ type: 'Feature', properties: { ...f.properties }, geometry: g });
    else if (g?.type === 'MultiPolygon')
      for (const coordinates of g.coordinates) features.push({ type: 'Feature', properties: { ...f.properties }, geometry: { type: 'Polygon', coordinates } });
    else errors.push(`feature ${i}: geometry ${g?.type} not supported`);
  });
  return { zones: { type: 'FeatureCollection', features }, errors };
}

/** Slippy-map tile math (Web Mercator). */
export function lonLatToTile(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * n, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n];
}
export function tileToLonLat(x: number, y: number, z: number): [number, number] {
  const n = 2 ** z;
  const lon = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon, lat];
}
