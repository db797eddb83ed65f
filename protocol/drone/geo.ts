/** Small-area geodesy shared by the drone bridge, the sim and the controller (equirectangular; cm-exact over a few km). */

/** Mean Earth radius (IUGG), m. */
export const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** Local metric frame around an origin: x east, y north, metres. */
export interface LocalFrame {
  readonly originLat: number;
  readonly originLon: number;
  toLocal(lat: number, lon: number): { x: number; y: number };
  toGeo(x: number, y: number): { lat: number; lon: number };
}

/** A {@link LocalFrame} centred on `originLat`, `originLon` (degrees). */
export function localFrame(originLat: number, originLon: number): LocalFrame {
  const ky = EARTH_RADIUS_M * DEG;
  const kx = ky * Math.cos(originLat * DEG);
  return {
    originLat,
    originLon,
    toLocal: (lat, lon) => ({ x: (lon - originLon) * kx, y: (lat - originLat) * ky }),
    toGeo: (x, y) => ({ lat: originLat + y / ky, lon: originLon + x / kx }),
  };
}

/** Ground distance between two points, m (equirectangular at their mean latitude). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const ky = EARTH_RADIUS_M * DEG;
  const kx = ky * Math.cos(((a.lat + b.lat) / 2) * DEG);
  return Math.hypot((b.lon - a.lon) * kx, (b.lat - a.lat) * ky);
}

/** Course from `a` to `b`, degrees clockwise from north, [0, 360). */
export function bearingDeg(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const kx = Math.cos(((a.lat + b.lat) / 2) * DEG);
  const deg = Math.atan2((b.lon - a.lon) * kx, b.lat - a.lat) / DEG;
  return (deg + 360) % 360;
}

/** Absolute heading change between two courses, radians in [0, π]. */
export function turnRad(fromDeg: number, toDeg: number): number {
  const d = Math.abs(((((toDeg - fromDeg) % 360) + 540) % 360) - 180);
  return d * DEG;
}
