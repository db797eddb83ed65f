import type { DroneTelemetry, GeoPoint } from '../../protocol/index.js';
import { visibilityFlightSpace } from '../spray/index.js';
import { clearPathFrom } from './breach-paths.js';
import type { Mission } from './mission.js';

/** The planner's flight space of the mission (clear of keepouts, inside the geofence), built on first use. */
function flightSpace(m: Mission) {
  m.flightSpace ??= visibilityFlightSpace(m.zones.keepout, m.zones.geofence, { clearanceM: 2 });
  return m.flightSpace;
}

function toGeo(m: Mission, p: [number, number]): GeoPoint {
  const [lon, lat] = m.zones.projection.toLonLat(p);
  return { lat, lon };
}

/** `via` for a start: from where the drone stands to the point it starts at, when a straight line is not clear. */
export function approachPath(m: Mission, t: DroneTelemetry, to: GeoPoint): { via?: GeoPoint[] } {
  const a = m.zones.projection.toLocal(t.lon, t.lat);
  const b = m.zones.projection.toLocal(to.lon, to.lat);
  const space = flightSpace(m);
  if (space.isClear(a, b)) return {};
  const path = space.path(a, b);
  if (!path) return {};
  return { via: path.slice(1, -1).map((p) => toGeo(m, p)) };
}

/**
 * `via` and `pad` for a return home: to the nearest pad along a clear path, from wherever the
 * drone is: from outside the geofence it re-enters first, from inside a keepout it leaves by the
 * nearest way out, then it goes around the keepouts.
 */
export function homePath(m: Mission, t: DroneTelemetry): { pad?: number; via?: GeoPoint[] } {
  const a = m.zones.projection.toLocal(t.lon, t.lat);
  const pads = m.zones.pads;
  let best = 0;
  pads.forEach((p, i) => {
    if (Math.hypot(p.p[0] - a[0], p.p[1] - a[1]) < Math.hypot(pads[best]!.p[0] - a[0], pads[best]!.p[1] - a[1])) best = i;
  });
  // Where it stops: braking along its course from its ground speed at 2 m/s² (T20 profile).
  const brakeM = (t.groundSpeedMps * t.groundSpeedMps) / (2 * 2);
  const course = (t.headingDeg * Math.PI) / 180;
  const stopsAt: [number, number] = [a[0] + Math.sin(course) * brakeM, a[1] + Math.cos(course) * brakeM];
  const path = clearPathFrom(a, pads[best]!.p, flightSpace(m), m.zones.keepout, m.zones.geofence, stopsAt);
  return { pad: best, ...(path ? { via: path.slice(0, -1).map((p) => toGeo(m, p)) } : {}) };
}
