/**
 * In-flight checks of what a drone reports against the mission's keepouts, and what its
 * autopilot says (pure: the mission manager acts on the outcome).
 */
import type { DroneMission, DroneTelemetry, GeoPoint } from '../../protocol/index.js';
import { insideMultiPolygon } from './coverage-raster.js';
import type { DroneRun, Mission } from './mission.js';

/**
 * A keepout breach: the drone reports a position inside a keepout with its pump on. Answers
 * `breach` once per entry (the run remembers it is inside until it reports a position outside
 * or the pump off), so one entry raises one alert and one command.
 */
export function keepoutBreach(m: Mission, run: DroneRun, t: DroneTelemetry): 'breach' | 'inside' | 'clear' {
  const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
  const inside = t.mode !== 'landed' && t.pumpOn && insideMultiPolygon({ x, y }, m.zones.keepout);
  if (!inside) {
    run.watch.inKeepout = false;
    return 'clear';
  }
  if (run.watch.inKeepout) return 'inside';
  run.watch.inKeepout = true;
  return 'breach';
}

/** A change of who flies the drone: `taken` when someone else took over, `released` when the bridge has it back. */
export function controlChange(run: DroneRun, t: DroneTelemetry): 'taken' | 'released' | undefined {
  const external = t.autopilot.externalControl !== undefined;
  if (external === run.watch.externalControl) return undefined;
  run.watch.externalControl = external;
  return external ? 'taken' : 'released';
}

/**
 * The geofence and keepouts as an autopilot's fence takes them (outer rings, first point not
 * repeated): it holds them itself when the link to the bridge is gone.
 */
export function autopilotFence(m: Mission): Pick<DroneMission, 'geofence' | 'keepouts'> {
  const ring = (r: Array<[number, number]>): GeoPoint[] =>
    r.slice(0, -1).map((p) => {
      const [lon, lat] = m.zones.projection.toLonLat(p);
      return { lat, lon };
    });
  const fence = m.zones.geofence[0]?.[0];
  if (!fence) return {};
  return { geofence: ring(fence), keepouts: m.zones.keepout.map((poly) => ring(poly[0]!)) };
}
