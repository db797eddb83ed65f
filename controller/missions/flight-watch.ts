/**
 * In-flight watches of the mission core: wind, geofence, keepouts, who flies the drone. Each
 * reads a drone's telemetry against the mission and writes its alerts, notes and commands to the
 * effects; the run's `watch` (RunWatch) makes one entry into a condition one alert.
 */
import type { DroneTelemetry } from '../../protocol/index.js';
import { insideMultiPolygon } from './coverage-raster.js';
import { homePath } from './flight-paths.js';
import { controlChange, keepoutBreach } from './keepout-watch.js';
import { shownState, type DroneRun, type Mission } from './mission.js';
import type { MissionEffects } from './mission-effects.js';

/**
 * The wind over the mission, smoothed per drone (~10 s): above the limit it holds sorties on the
 * pads (one alert; airborne drones called home), 0.5 m/s below it they continue. Answers
 * `calmed` when the hold was just lifted (the core then tries every drone's next sortie).
 */
export function watchWind(fx: MissionEffects, m: Mission, limit: number, calmS: number): 'calmed' | undefined {
  if (m.status === 'done' || m.status === 'aborted') return;
  let worst = 0;
  for (const run of m.runs) {
    const t = run.lastTelemetry;
    if (!t || shownState(run.progress) === 'lost') continue;
    // Smoothed over ~10 s: one gust does not stop the mission, a windy minute does.
    const dtS = run.windAtMs === undefined ? Infinity : (fx.nowMs - run.windAtMs) / 1000;
    const k = Math.min(1, dtS / 10);
    run.windEmaMps = run.windEmaMps === undefined ? t.windMps : run.windEmaMps + (t.windMps - run.windEmaMps) * k;
    run.windAtMs = fx.nowMs;
    worst = Math.max(worst, run.windEmaMps);
  }
  if (!m.windHold && worst > limit) {
    m.windHold = true;
    fx.alert(m, {
      kind: 'windTooStrong',
      drone: '',
      message: `wind ${worst.toFixed(1)} m/s above the limit of ${limit} m/s: no spraying, sorties held on the pads until it stays under ${limit - 0.5} m/s for ${calmS} s`,
    });
    if (m.status === 'running')
      for (const run of m.runs)
        if (['takingOff', 'transit', 'mission', 'paused'].includes(run.lastTelemetry?.mode ?? '')) fx.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
  } else if (m.windHold && worst <= limit - 0.5) {
    // Calm since the first report under the threshold; a hold ends only after a calm spell.
    m.windCalmSinceMs ??= fx.nowMs;
    if (fx.nowMs - m.windCalmSinceMs < calmS * 1000) return;
    m.windHold = false;
    m.windCalmSinceMs = undefined;
    fx.note(m, `wind down to ${worst.toFixed(1)} m/s for ${calmS} s: sorties continue`);
    return 'calmed';
  } else if (m.windHold) m.windCalmSinceMs = undefined;
}

/** Outside the geofence (once per exit): alert; sent home and held until the operator resumes, unless already on its way home. */
export function watchGeofence(fx: MissionEffects, m: Mission, run: DroneRun, t: DroneTelemetry): void {
  if (t.mode === 'landed') return;
  const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
  const inside = insideMultiPolygon({ x, y }, m.zones.geofence);
  if (inside) {
    run.watch.outsideFence = false;
    return;
  }
  if (run.watch.outsideFence) return;
  run.watch.outsideFence = true;
  const where = `${t.lat.toFixed(6)}, ${t.lon.toFixed(6)}`;
  if (t.mode === 'returning' || t.mode === 'landing') {
    // A failsafe return flies straight at transit height (the drone has no map); it is on its way home already.
    fx.alert(m, { kind: 'geofenceBreach', drone: run.droneId, message: `${run.droneId} left the geofence at ${where} on its way home` });
    return;
  }
  run.breachHold = true;
  fx.alert(m, { kind: 'geofenceBreach', drone: run.droneId, message: `${run.droneId} left the geofence at ${where}: sent home, held until the operator resumes` });
  fx.command(run, { command: 'returnHome', ...homePath(m, t) });
}

/** Inside a keepout with the pump on: pump off and out by the nearest clear way, home, held until the operator resumes. */
export function watchKeepout(fx: MissionEffects, m: Mission, run: DroneRun, t: DroneTelemetry): void {
  if (keepoutBreach(m, run, t) !== 'breach') return;
  run.breachHold = true;
  fx.alert(m, {
    kind: 'keepoutBreach',
    drone: run.droneId,
    message: `${run.droneId} sprayed inside a keepout at ${t.lat.toFixed(6)}, ${t.lon.toFixed(6)}: pump off, out by a clear path and home, held until the operator resumes`,
  });
  fx.command(run, { command: 'returnHome', ...homePath(m, t) });
}

/** The autopilot's own lines go to the mission log; a takeover by a pilot (or its failsafe) is an alert. */
export function watchAutopilot(fx: MissionEffects, m: Mission, run: DroneRun, t: DroneTelemetry): void {
  for (const entry of t.log ?? []) fx.note(m, `${run.droneId}: ${entry.message}`, entry.level);
  const change = controlChange(run, t);
  if (change === 'taken') {
    const ext = t.autopilot.externalControl!;
    fx.alert(m, {
      kind: 'externalControl',
      drone: run.droneId,
      message: `${run.droneId} is flown by someone else (${ext.mode}): ${ext.reason}; the controller does not command it until the operator hands it back`,
    });
  } else if (change === 'released') fx.note(m, `${run.droneId}: back under the bridge's control`);
}
