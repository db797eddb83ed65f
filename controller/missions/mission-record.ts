import { validateZones } from '../spray/index.js';
import type { CoverageSnapshot, MissionProgress, MissionRecord } from '../storage/index.js';
import { CoverageRaster } from './coverage-raster.js';
import { freshWatch, shownState, type DroneRun, type Mission, type SortieJob } from './mission.js';

/** What of a mission changes as it flies, in the shape the store keeps. */
export function progressOf(m: Mission): MissionProgress {
  return {
    status: m.status,
    zoneClear: m.zoneClear,
    createdAtMs: m.createdAtMs,
    ...(m.startedAtMs !== undefined ? { startedAtMs: m.startedAtMs } : {}),
    ...(m.finishedAtMs !== undefined ? { finishedAtMs: m.finishedAtMs } : {}),
    sorties: m.jobs.map((j) => ({ id: j.id, planDrone: j.planDrone, planSortie: j.planSortie, done: j.done, ...(j.progress ? { progress: j.progress } : {}) })),
    drones: m.runs.map((r) => ({ droneId: r.droneId, queue: r.queue.map((j) => j.id), next: r.next, state: shownState(r.progress), waypoint: r.waypoint, breachHold: r.breachHold })),
    sortiesFlown: m.sortiesFlown,
    refills: m.refills,
    swaps: m.swaps,
    windHold: m.windHold,
    log: m.log,
  };
}

/** The dose raster now, with the sample of each drone it was measured up to. */
export function coverageSnapshotOf(m: Mission, atMs: number): CoverageSnapshot {
  const samples: CoverageSnapshot['samples'] = {};
  for (const r of m.runs) if (r.lastSample) samples[r.droneId] = r.lastSample;
  return { atMs, dose: m.coverage.dose, unplacedL: m.coverage.unplacedL, samples };
}

/**
 * Rebuilds a mission from the store after a restart. Zones are validated again from the stored
 * body (deterministic); the plan is the stored one. Each drone's run waits for its first
 * telemetry to learn what the drone did while the controller was away (`resync`).
 */
export function missionOf(record: MissionRecord): Mission {
  const { setup, progress } = record;
  const valid = validateZones(setup.body.zones);
  if (!valid.ok) throw new Error(`mission ${record.id}: stored zones no longer validate: ${valid.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const waypointsOf = (planDrone: number, planSortie: number) => {
    const sortie = setup.plan.drones.find((d) => d.drone === planDrone)?.sorties.find((s) => s.index === planSortie);
    if (!sortie) throw new Error(`mission ${record.id}: the stored plan has no sortie ${planSortie} of drone ${planDrone}`);
    return sortie.waypoints;
  };
  const jobs: SortieJob[] = progress.sorties.map((s) => ({ ...s, waypoints: waypointsOf(s.planDrone, s.planSortie) }));
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const runs: DroneRun[] = progress.drones.map((d) => ({
    droneId: d.droneId,
    queue: d.queue.map((id) => byId.get(id)!),
    next: d.next,
    progress: { kind: 'restored', stored: d.state },
    waypoint: d.waypoint,
    breachHold: d.breachHold,
    watch: freshWatch(),
    ...(record.coverage?.samples[d.droneId] ? { lastSample: record.coverage.samples[d.droneId] } : {}),
  }));
  const coverage = new CoverageRaster(valid.zones.projection, setup.body.zones.features as never, setup.swathM, { cellM: setup.coverageCellM });
  if (record.coverage && !coverage.restore(record.coverage.dose, record.coverage.unplacedL)) {
    throw new Error(`mission ${record.id}: the stored coverage raster does not fit its zones`);
  }
  return {
    id: record.id,
    status: progress.status,
    zoneClear: progress.zoneClear,
    createdAtMs: progress.createdAtMs,
    ...(progress.startedAtMs !== undefined ? { startedAtMs: progress.startedAtMs } : {}),
    ...(progress.finishedAtMs !== undefined ? { finishedAtMs: progress.finishedAtMs } : {}),
    setup,
    zones: valid.zones,
    runs,
    jobs,
    coverage,
    sortiesFlown: progress.sortiesFlown,
    refills: progress.refills,
    swaps: progress.swaps,
    windHold: progress.windHold,
    log: progress.log,
  };
}
