import { connectedParts } from './decompose/components.js';
import { boustrophedonCells } from './decompose/boustrophedon.js';
import type { Decomposer } from './decompose/types.js';
import { areaM2, containsPoint } from './geometry/polygon.js';
import { insetHeadland } from './headland/inset-headland.js';
import { partialWidthCorners } from './headland/corner-passes.js';
import type { CornerTreatment, HeadlandGenerator } from './headland/types.js';
import { connectRoute } from './path/connect.js';
import type { FlightSpace } from './path/types.js';
import { visibilityFlightSpace } from './path/visibility.js';
import { flowLPerMin, T20_PROFILE, type SprayDroneProfile } from './profile.js';
import { greedyRoute } from './route/greedy-route.js';
import { loopItem, serpentineItem } from './route/items.js';
import type { RouteOrderer, WorkItem } from './route/types.js';
import { balancedSchedule, makespan, type DroneSchedule } from './sorties/schedule.js';
import { OutOfReachError } from './sorties/cut.js';
import { outOfReachError, unreachableWork } from './sorties/reach.js';
import { stripSwaths } from './swaths/strip-swaths.js';
import { bestSweep, lengthAndTurnsObjective } from './swaths/sweep-angle.js';
import type { SwathGenerator, SweepObjective } from './swaths/types.js';
import { turnAngle } from './time/time-model.js';
import { cosineTurnModel, type TurnModel } from './time/turn-model.js';
import type { DronePlan, SprayPlan, SprayPlanResult, SprayWaypoint } from './types.js';
import { validateZones, type ValidZones } from './zones/validate.js';
import type { MultiPolygon } from './geometry/types.js';

/** Planner options; every stage strategy can be swapped. */
export interface SprayPlanOptions {
  /** Number of drones (default 4). */
  drones?: number;
  /** Clearance of ferry paths from keepouts and the geofence, m (default 2). */
  clearanceM?: number;
  headland?: HeadlandGenerator;
  /** Extra passes into the corners the headland loops leave unsprayed (default {@link partialWidthCorners}). */
  corners?: CornerTreatment;
  decomposer?: Decomposer;
  swaths?: SwathGenerator;
  sweepObjective?: SweepObjective;
  route?: RouteOrderer;
  turnModel?: TurnModel;
  /** Builds the flight space for ferry legs (default: visibility graph, {@link visibilityFlightSpace}). */
  flightSpace?: (keepout: MultiPolygon, geofence: MultiPolygon, clearanceM: number) => FlightSpace;
}

/** Heading change that counts as a turn in {@link PlanStats.turns}, rad (45°). */
export const TURN_THRESHOLD_RAD = Math.PI / 4;

/**
 * Plans spraying of a zones FeatureCollection (WGS84, roles spray/keepout/geofence/pad): pure, no
 * I/O, no clock, deterministic. Stages: validate → headland (+ corner passes) → decompose → swaths (sweep angle per
 * cell) → route (ordering) → path (ferry around keepouts) → sorties (tank/battery cuts, N drones
 * balanced with pad queues). Invalid zones, and work no sortie can reach from any pad, come back as
 * `{ ok: false, errors }` naming the feature.
 */
export function planSpray(zonesInput: unknown, profile: SprayDroneProfile = T20_PROFILE, options: SprayPlanOptions = {}): SprayPlanResult {
  const v = validateZones(zonesInput);
  if (!v.ok) return v;
  const zones = v.zones;
  const turns = options.turnModel ?? cosineTurnModel();
  const headland = (options.headland ?? insetHeadland()).generate(zones.sprayable, profile.swathM);
  if (headland.regionH.length === 0) return { ok: false, errors: [{ path: 'features', message: `sprayable area is nowhere wider than one swath (${profile.swathM} m)` }] };
  const gen = options.swaths ?? stripSwaths();
  const objective = options.sweepObjective ?? lengthAndTurnsObjective();
  const clearanceM = options.clearanceM ?? 2;
  const corners = (options.corners ?? partialWidthCorners()).passes({
    sprayable: zones.sprayable,
    keepout: zones.keepout,
    geofence: zones.geofence,
    regionH: headland.regionH,
    swathM: profile.swathM,
    clearanceM,
  });
  const items: WorkItem[] = headland.loops.map((ring) => loopItem(ring, corners.get(ring)));
  for (const cell of (options.decomposer ?? connectedParts()).decompose(headland.inner)) {
    const sweep = bestSweep(cell, headland.regionH, profile.swathM, gen, objective);
    for (const serp of boustrophedonCells(sweep.transects)) items.push(serpentineItem(serp));
  }
  const entries = (options.route ?? greedyRoute()).order(items, zones.pads[0]!.p);
  const space = (options.flightSpace ?? ((k, g, c) => visibilityFlightSpace(k, g, { clearanceM: c })))(zones.keepout, zones.geofence, clearanceM);
  const { segs, blocked } = connectRoute(entries, space);
  if (blocked > 0) return { ok: false, errors: [{ path: 'features', message: `${blocked} connection(s) have no path clear of keepouts inside the geofence` }] };
  const unreachable = unreachableWork(segs, zones, profile);
  if (unreachable.length > 0) return { ok: false, errors: unreachable };
  let schedule: DroneSchedule[];
  try {
    schedule = balancedSchedule({ segs, profile, space, pads: zones.pads, turns }, { drones: options.drones ?? 4 });
  } catch (error) {
    if (!(error instanceof OutOfReachError)) throw error;
    const pad = zones.pads[error.pad]!;
    const zone = zones.sprayZones.findIndex((z) => containsPoint(z.polys, error.point));
    return { ok: false, errors: [outOfReachError(zones, profile, zone, error.point, Math.hypot(error.point[0] - pad.p[0], error.point[1] - pad.p[1]), pad.name)] };
  }
  return { ok: true, plan: toPlan(zones, profile, schedule) };
}

function toPlan(zones: ValidZones, p: SprayDroneProfile, schedule: DroneSchedule[]): SprayPlan {
  let sprayLengthM = 0;
  let totalLengthM = 0;
  let turnCount = 0;
  let sorties = 0;
  const drones: DronePlan[] = schedule.map((d, drone) => ({
    drone,
    finishS: d.finishS,
    sorties: d.sorties.map((s, index) => {
      sorties++;
      sprayLengthM += s.sprayLengthM;
      totalLengthM += s.totalLengthM;
      for (let i = 1; i + 1 < s.pts.length; i++) if (turnAngle(s.pts[i - 1]!, s.pts[i]!, s.pts[i + 1]!) >= TURN_THRESHOLD_RAD) turnCount++;
      const last = s.pts.length - 1;
      return {
        index,
        fromPad: s.fromPad,
        toPad: s.toPad,
        takeoffS: s.takeoffS,
        landingS: s.landingS,
        flightS: s.flightS,
        sprayL: s.sprayL,
        batteryUsedFrac: s.batteryUsedFrac,
        sprayLengthM: s.sprayLengthM,
        totalLengthM: s.totalLengthM,
        waypoints: s.pts.map((q, i) => {
          const [lon, lat] = zones.projection.toLonLat(q);
          const speedMps = i < last ? s.speedMps[i]! : 0;
          const spray = i < last ? s.spray[i]! : false;
          const swathM = spray ? s.swathM[i]! : p.swathM;
          const w: SprayWaypoint = { lat, lon, altM: i === 0 || i === last ? 0 : p.sprayAltM, speedMps, spray, flowLPerMin: spray ? flowLPerMin(p, speedMps, swathM) : 0 };
          if (swathM < p.swathM) w.swathM = swathM;
          return w;
        }),
      };
    }),
  }));
  return {
    swathM: p.swathM,
    drones,
    stats: { areaM2: areaM2(zones.sprayable), sprayLengthM, totalLengthM, turns: turnCount, sorties, makespanS: makespan(schedule) },
  };
}
