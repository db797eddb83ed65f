import type { CoverageRasterView, MissionSummary } from '../../protocol/index.js';
import { planToGeoJson, predictedCoverage } from '../spray/index.js';
import { shownState, type Mission, type PlanView } from './mission.js';

/** Percentages and doses as the API gives them: two decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** `GET /api/missions/:id` and the reply of every operator action; `nowMs` ends a running makespan. */
export function missionSummary(m: Mission, nowMs: number): MissionSummary {
  const s = m.coverage.stats();
  const iso = (ms: number) => new Date(ms).toISOString();
  const endMs = m.finishedAtMs ?? (m.startedAtMs !== undefined ? nowMs : undefined);
  return {
    id: m.id,
    status: m.status,
    zoneClear: m.zoneClear,
    createdAt: iso(m.createdAtMs),
    drones: m.runs.map((r) => ({ id: r.droneId, sortie: r.next, sorties: r.queue.length, waypoint: r.waypoint, state: shownState(r.progress) })),
    coveragePct: round2(s.coveragePct),
    oversprayPct: round2(s.oversprayPct),
    zones: s.zones.map((z) => ({ name: z.name, coveragePct: round2(z.coveragePct) })),
    sorties: m.sortiesFlown,
    refills: m.refills,
    swaps: m.swaps,
    windHold: m.windHold,
    ...(m.startedAtMs !== undefined ? { startedAt: iso(m.startedAtMs) } : {}),
    ...(m.finishedAtMs !== undefined ? { finishedAt: iso(m.finishedAtMs) } : {}),
    ...(m.startedAtMs !== undefined && endMs !== undefined ? { makespanS: Math.round((endMs - m.startedAtMs) / 100) / 10 } : {}),
    log: [...m.log],
  };
}

/** `GET /api/missions/:id/coverage`: the dose raster, origin at the centre of its south-west cell. */
export function coverageView(m: Mission): CoverageRasterView {
  const r = m.coverage;
  const origin = m.zones.projection.toLonLat([r.x0, r.y0]);
  return {
    originLat: origin[1],
    originLon: origin[0],
    cellM: r.cellM,
    width: r.width,
    height: r.height,
    doseLPerHa: Array.from(r.dose, (d) => Math.round(d * 10) / 10),
    targetDoseLPerHa: m.setup.targetDoseLPerHa,
    swathM: r.swathM,
  };
}

/**
 * The plan as GeoJSON legs with the planner's metrics and the coverage it predicts: `predicted`
 * as the planner thread measured it, else measured here once per mission (a mission restored
 * after a restart).
 */
export function planView(m: Mission, predicted?: { coveragePct: number; oversprayPct: number }): PlanView {
  const { plan, body } = m.setup;
  if (!m.planView) {
    const p = predicted ?? predictedCoverage(body.zones as never, plan);
    m.planView = planToGeoJson(plan, { ...plan.stats, coveragePct: p.coveragePct, oversprayPct: p.oversprayPct, planMs: 0 });
  }
  return m.planView;
}
