import type { LocalProjection } from '../spray/geometry/projection.js';
import type { Vec2 } from '../spray/geometry/types.js';
import { visibilityFlightSpace, type PlanError, type ValidZones } from '../spray/index.js';
import type { BroadcastDrone, BroadcastPlan, BroadcastSortie } from './plan.js';

/** What {@link planForward} takes from the hover planner: the road, where the drone may stand beside it, who hears it. */
export interface ForwardContext {
  line: { length: number; at(s: number): { p: Vec2 } };
  /** Where the drone flies beside the road at `s` m along it, or undefined where it may not. */
  standAt(s: number): Vec2 | undefined;
  /** Whether a car at `q` hears the drone at `at` (slant distance, height included). */
  hears(at: Vec2, q: Vec2): boolean;
  forwardMps: number;
  messageS: number;
  rangeM: number;
  /** How far along a straight road a car hears the drone beside it, m. */
  reachAlong: number;
  side: 'left' | 'right';
  zones: ValidZones;
  projection: LocalProjection;
  drone: BroadcastDrone;
  budgetS: number;
  climbS: number;
  clearanceM: number;
}

/** Road samples, m: the check's resolution. */
const STEP_M = 1;
/** The flown line beside the road is given every this many samples in the plan's paths. */
const KEEP_EVERY = 10;

const dist = (a: Vec2, b: Vec2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * A broadcast flown forward instead of hovering: the drone flies the line beside the road (the
 * chosen side, height and offset) at `forwardMps`, playing the message over and over, the road
 * cut into consecutive stretches, one a sortie, each within the endurance with the ferry from
 * and back to its pad. Every car is to hear two playings' time of one sortie (whenever it starts
 * listening, a whole playing falls in it): checked on every metre of road against the metres of
 * flown line within hearing range, so bends count; too fast a speed is refused with the fastest
 * that passes on a straight road, `reachAlong / (2 × message)` (a car at a stretch's end hears
 * only the drone coming or going). The queue is taken as standing still while the drone passes.
 */
export function planForward(ctx: ForwardContext): { ok: true; plan: BroadcastPlan } | { ok: false; errors: PlanError[] } {
  const { line, drone, forwardMps: v, messageS } = ctx;
  const fastest = Math.floor((ctx.reachAlong / (2 * messageS)) * 10) / 10;
  if (!(v > 0 && v <= drone.cruiseMps)) return fail('forwardMps', `${v} m/s: above 0 and at most the drone's cruise, ${drone.cruiseMps} m/s`);
  const n = Math.floor(line.length / STEP_M) + 1;
  const along = (k: number) => Math.min(line.length, k * STEP_M);
  const space = visibilityFlightSpace(ctx.zones.keepout, ctx.zones.geofence, { clearanceM: ctx.clearanceM });
  // The line beside the road; where the drone may not stand there (a keepout on the verge, the
  // inside of a tight bend) it flies the shortest clear way to where it may again, playing on.
  const flown: Vec2[] = [];
  /** Road sample each flown point stands beside (a detour's points: the one before it). */
  const beside: number[] = [];
  for (let k = 0; k < n; k++) {
    const q = ctx.standAt(along(k));
    if (!q) continue;
    const last = flown.at(-1);
    if (last && k - beside.at(-1)! > 1) {
      const way = space.path(last, q);
      if (!way) {
        const [lon, lat] = ctx.projection.toLonLat(line.at(along(k)).p);
        return fail(
          'features',
          `no clear way beside the road to ${along(k).toFixed(0)} m from its start (lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)}) on the ${ctx.side}: hover at stops instead`,
        );
      }
      for (const p of way.slice(1, -1)) {
        flown.push(p);
        beside.push(beside.at(-1)!);
      }
    }
    flown.push(q);
    beside.push(k);
  }
  if (flown.length < 2 || beside[0]! * STEP_M > ctx.reachAlong || (n - 1 - beside.at(-1)!) * STEP_M > ctx.reachAlong)
    return fail('features', `the drone may not fly beside the start or the end of the road on the ${ctx.side}: hover at stops instead`);
  const m = flown.length;
  // Flown distance from the start of the line to point k.
  const cum = [0];
  for (let k = 1; k < m; k++) cum.push(cum[k - 1]! + dist(flown[k - 1]!, flown[k]!));

  const ferries = new Map<string, Vec2[] | null>();
  const ferry = (a: Vec2, b: Vec2, key: string) => {
    if (!ferries.has(key)) ferries.set(key, space.path(a, b));
    return ferries.get(key)!;
  };
  const length = (path: Vec2[]) => path.slice(1).reduce((m, p, i) => m + dist(path[i]!, p), 0);
  /** Pad `pi` → stretch a..b (samples) at v → pad, or null without a clear way. */
  const flight = (pi: number, a: number, b: number) => {
    const pad = ctx.zones.pads[pi]!.p;
    const out = ferry(pad, flown[a]!, `p${pi}>${a}`);
    const back = ferry(flown[b]!, pad, `${b}>p${pi}`);
    if (!out || !back) return null;
    const ferryM = length(out) + length(back);
    return { out, back, distanceM: ferryM + cum[b]! - cum[a]!, flightS: ctx.climbS + ferryM / drone.cruiseMps + (cum[b]! - cum[a]!) / v };
  };

  const stretches: Array<{ pi: number; a: number; b: number; f: NonNullable<ReturnType<typeof flight>> }> = [];
  let a = 0;
  while (a < m - 1) {
    let best: (typeof stretches)[number] | undefined;
    for (let pi = 0; pi < ctx.zones.pads.length; pi++) {
      // The farthest end this pad reaches within the budget (flight time grows with the end).
      let lo = a;
      let hi = m - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        const f = flight(pi, a, mid);
        if (f && f.flightS <= ctx.budgetS) lo = mid;
        else hi = mid - 1;
      }
      const f = lo > a ? flight(pi, a, lo) : null;
      if (f && f.flightS <= ctx.budgetS && (!best || lo > best.b)) best = { pi, a, b: lo, f };
    }
    if (!best) {
      const [lon, lat] = ctx.projection.toLonLat(flown[a]!);
      return fail(
        'features',
        `no pad can reach the road ${along(beside[a]!).toFixed(0)} m from its start (lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)}) and fly on along it at ${v} m/s within the drone's ${Math.round(ctx.budgetS / 60)} min: add a pad nearer, or fly faster`,
      );
    }
    stretches.push(best);
    a = best.b;
  }

  // Every metre of road: the longest time one sortie's drone is within hearing range.
  const needM = 2 * messageS * v;
  const nearK = Math.ceil((2 * ctx.rangeM) / STEP_M) + 2;
  for (let i = 0; i < n; i++) {
    const car = line.at(along(i)).p;
    let heardM = 0;
    for (const s of stretches) {
      let heard = 0;
      for (let k = s.a; k < s.b; k++) {
        if (Math.abs(beside[k]! - i) > nearK) continue;
        if (ctx.hears(flown[k]!, car) && ctx.hears(flown[k + 1]!, car)) heard += cum[k + 1]! - cum[k]!;
      }
      heardM = Math.max(heardM, heard);
    }
    if (heardM + 1e-9 < needM)
      return fail(
        'forwardMps',
        `${v} m/s is too fast: the car ${along(i).toFixed(0)} m along the road hears the drone for ${(heardM / v).toFixed(1)} s, less than two playings of the message (${(2 * messageS).toFixed(1)} s); fly at most ${fastest} m/s${fastest >= v ? ' (less on this road: its bends or a stretch end shorten the time)' : ''}`,
      );
  }

  const toLonLat = (p: Vec2) => {
    const [lon, lat] = ctx.projection.toLonLat(p);
    return { lon, lat };
  };
  const sorties: BroadcastSortie[] = stretches.map(({ pi, a: from, b: to, f }) => {
    const line: Vec2[] = [];
    for (let k = from; k <= to; k++) if ((k - from) % KEEP_EVERY === 0 || k === to) line.push(flown[k]!);
    return {
      pad: ctx.zones.pads[pi]!.name,
      stops: [],
      path: [...f.out, ...line.slice(1), ...f.back.slice(1)].map(toLonLat),
      hoverStartsS: [],
      distanceM: f.distanceM,
      flightS: f.flightS,
      alongFromM: along(beside[from]!),
      alongToM: along(beside[to]!),
      broadcastPath: line.map(toLonLat),
      broadcastFrom: f.out.length - 1,
    };
  });
  return {
    ok: true,
    plan: {
      hearingRangeM: ctx.rangeM,
      messageS,
      hoverS: 0,
      forwardMps: v,
      roadM: line.length,
      stops: [],
      sorties,
      flightS: sorties.reduce((t, s) => t + s.flightS, 0),
    },
  };
}

function fail(path: string, message: string): { ok: false; errors: PlanError[] } {
  return { ok: false, errors: [{ path, message }] };
}
