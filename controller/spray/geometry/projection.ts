import type { Vec2 } from './types.js';

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/**
 * Local equirectangular projection around an origin. Over a site of a few km the scale error is
 * below 1e-4 (a few cm), well under the spray swath, and it is exactly invertible.
 */
export interface LocalProjection {
  readonly originLat: number;
  readonly originLon: number;
  /** WGS84 (lon, lat in degrees) → local metres (x east, y north). */
  toLocal(lon: number, lat: number): Vec2;
  /** Local metres → WGS84 [lon, lat] in degrees. */
  toLonLat(p: Vec2): [number, number];
}

/** An angle in degrees as the equivalent in [-180, 180). */
function wrap180(deg: number): number {
  return deg >= -180 && deg < 180 ? deg : deg - 360 * Math.floor((deg + 180) / 360);
}

/** Builds the {@link LocalProjection} centred on `originLat`, `originLon` (degrees). */
export function makeProjection(originLat: number, originLon: number): LocalProjection {
  const kx = EARTH_RADIUS_M * Math.cos(originLat * DEG) * DEG;
  const ky = EARTH_RADIUS_M * DEG;
  return {
    originLat,
    originLon,
    // Longitudes differ by the shorter way round: a site across the ±180° meridian stays in one piece.
    toLocal: (lon, lat) => [wrap180(lon - originLon) * kx, (lat - originLat) * ky],
    toLonLat: ([x, y]) => [wrap180(originLon + x / kx), originLat + y / ky],
  };
}
