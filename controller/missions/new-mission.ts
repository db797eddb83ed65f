import type { CreateMissionBody } from '../../protocol/index.js';
import { fieldsRefusal, refusal, type Refusal } from '../refusal.js';
import { planLimitErrors, planSize, T20_PROFILE, validateZones, type SprayDroneProfile } from '../spray/index.js';
import type { SprayPlanner } from '../workers/index.js';
import type { MissionSetup } from '../storage/index.js';
import { CoverageRaster, insideMultiPolygon } from './coverage-raster.js';
import type { KnownDrone } from './drone-registry.js';
import { freshWatch, type DroneRun, type Mission, type SortieJob } from './mission.js';
import { planView } from './mission-views.js';

/**
 * A new mission, or why it cannot be made (`invalid`: the zones or body, or more work than one plan
 * can take; `conflict`: no drone to fly it; `unprocessable`: the planner failed on the zones;
 * `unavailable`: planning stopped).
 */
export type NewMissionResult = { ok: true; mission: Mission } | Refusal;

/**
 * Plans a mission on the zones for the drones that can fly it: landed, idle, standing inside the
 * zone's geofence (one elsewhere would breach it on take-off). Each plan drone goes to the idle
 * drone nearest its first pad. Work beyond the planner's limits ({@link planLimitErrors}) is refused
 * before planning; the plan itself comes from `options.planner` (a planner thread in the
 * controller). Nothing is sent.
 */
export async function newMission(
  id: string,
  body: CreateMissionBody,
  landed: KnownDrone[],
  options: { nowMs: number; coverageCellM?: number; planner: SprayPlanner },
): Promise<NewMissionResult> {
  const profile: SprayDroneProfile = {
    ...T20_PROFILE,
    ...(body.swathM !== undefined ? { swathM: body.swathM } : {}),
    ...(body.maxSpeedMps !== undefined ? { maxSpraySpeedMps: body.maxSpeedMps } : {}),
    ...(body.doseLPerHa !== undefined ? { doseLPerHa: body.doseLPerHa } : {}),
    ...(body.tankL !== undefined ? { tankL: body.tankL } : {}),
  };
  const fieldIssues = (errors: { path: string; message: string }[]) =>
    errors.map((e) => ({ path: ['body', 'zones', ...(e.path && e.path !== '(root)' ? [e.path] : [])].join('.'), message: e.message }));
  const valid = validateZones(body.zones);
  if (!valid.ok) return fieldsRefusal('invalid', fieldIssues(valid.errors));
  const tooBig = planLimitErrors(planSize(valid.zones, profile));
  if (tooBig.length > 0) return fieldsRefusal('invalid', fieldIssues(tooBig));
  if (landed.length === 0) return refusal('conflict', 'no idle drone online');
  const idle = landed.filter((d) => {
    const [x, y] = valid.zones.projection.toLocal(d.telemetry!.lon, d.telemetry!.lat);
    return insideMultiPolygon({ x, y }, valid.zones.geofence);
  });
  if (idle.length === 0) {
    return refusal('conflict', `no idle drone stands inside this zone's geofence (${landed.length} idle elsewhere): bring them to its pads first`);
  }
  const count = Math.min(body.drones ?? Math.min(idle.length, 8), idle.length);
  const planned = await options.planner({ zones: body.zones, profile, drones: count });
  if (!planned.ok) return fieldsRefusal(planned.status === 422 ? 'unprocessable' : planned.status === 503 ? 'unavailable' : 'invalid', fieldIssues(planned.errors));
  const plan = planned.plan;
  const zones = valid.zones;

  // Each plan drone goes to the idle drone nearest its first pad.
  const free = [...idle];
  const jobs: SortieJob[] = [];
  const runs: DroneRun[] = plan.drones.map((d) => {
    const first = d.sorties[0]?.waypoints[0];
    free.sort((a, b) => (first ? dist2(a, first) - dist2(b, first) : 0));
    const drone = free.shift()!;
    const queue = d.sorties.map((s): SortieJob => {
      const job: SortieJob = { id: jobs.length, planDrone: d.drone, planSortie: s.index, waypoints: s.waypoints, done: false };
      jobs.push(job);
      return job;
    });
    return { droneId: drone.id, queue, next: 0, progress: { kind: 'waiting' }, waypoint: 0, breachHold: false, watch: freshWatch() };
  });
  const coverage = new CoverageRaster(zones.projection, body.zones.features as never, profile.swathM, { cellM: options.coverageCellM });
  const setup: MissionSetup = { body, plan, targetDoseLPerHa: profile.doseLPerHa, tankL: profile.tankL, swathM: profile.swathM, coverageCellM: coverage.cellM };
  const mission: Mission = {
    id,
    status: 'planned',
    zoneClear: false,
    createdAtMs: options.nowMs,
    setup,
    zones,
    runs,
    jobs,
    coverage,
    sortiesFlown: 0,
    refills: 0,
    swaps: 0,
    windHold: false,
    log: [],
  };
  if (planned.predicted) planView(mission, planned.predicted);
  return { ok: true, mission };
}

function dist2(d: KnownDrone, p: { lat: number; lon: number }): number {
  const t = d.telemetry;
  return t ? (t.lat - p.lat) ** 2 + ((t.lon - p.lon) * Math.cos((p.lat * Math.PI) / 180)) ** 2 : Infinity;
}
