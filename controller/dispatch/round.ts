/**
 * Meal-round planner: which robot takes which rooms on which trip, with predicted times.
 * Two stages with swappable parts: (1) build trips of at most `trays` rooms with the routing
 * engine (min total travel: total work is what the robots share, so it bounds the makespan),
 * (2) schedule the trips on robots (longest trip first onto the robot free first) and improve
 * the schedule by moving, swapping, reordering and reversing trips under the objective.
 * Pure: no clock unless one is passed, deterministic for a seed.
 */
import { MAKESPAN_THEN_DELIVERY, type PlannedStop, type PlannedTrip, type RobotPlan, type RoundInput,
  type RoundObjective, type RoundPlan, type RoomRequest } from './round-types.js';
import { solveVrp } from './solve.js';
import { makeProblem, type ClockMs, type Vehicle } from './types.js';

/** Options of {@link planRound}. */
export interface RoundOptions {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Total budget in ms (needs `clock`); about 70 % builds trips, the rest improves the schedule. */
  readonly timeLimitMs?: number;
  readonly clock?: ClockMs;
  /** Routing-engine iterations without a clock (default 2000). 0 = construction only (fast first plan). */
  readonly maxIterations?: number;
  /** How plans are scored (default {@link MAKESPAN_THEN_DELIVERY}). */
  readonly objective?: RoundObjective;
}

/** Internal schedule: per robot, trips of request indices. */
interface Trip { reqs: number[]; notBeforeS: number }
type Schedule = Trip[][];

/** Returns what is wrong with an input (empty when valid). Call at the edge before planning. */
export function validateRoundInput(input: RoundInput): string[] {
  const errs: string[] = [];
  const n = input.travelS.length;
  if (n < 1) errs.push('travelS is empty');
  input.travelS.forEach((row, i) => {
    if (row.length !== n) errs.push(`travelS[${i}] has ${row.length} entries, expected ${n}`);
    else if (row.some((x) => !(x >= 0) || !Number.isFinite(x))) errs.push(`travelS[${i}] has a negative or non-finite entry`);
  });
  input.requests.forEach((r, i) => {
    if (!Number.isInteger(r.room) || r.room < 1 || r.room >= n) errs.push(`requests[${i}].room ${r.room} is not a door index 1..${n - 1}`);
  });
  if (input.robots.length === 0 && input.requests.length > 0) errs.push('no robots');
  input.robots.forEach((r, i) => {
    if (!Number.isInteger(r.trays) || r.trays < 1) errs.push(`robots[${i}].trays must be a positive integer`);
    if (r.startIndex !== undefined && (r.startIndex < 0 || r.startIndex >= n)) errs.push(`robots[${i}].startIndex out of range`);
  });
  if (Array.isArray(input.serviceS) && input.serviceS.length !== n) errs.push('serviceS array must have one entry per matrix index');
  return errs;
}

function serviceAt(input: RoundInput, room: number): number {
  const s = input.serviceS;
  return typeof s === 'number' ? s : (s as readonly number[])[room]!;
}

/** Times a schedule and scores it. */
function timeSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective): RoundPlan {
  const T = input.travelS;
  let makespanS = 0;
  let sum = 0;
  let wsum = 0;
  let wtot = 0;
  let count = 0;
  let latenessS = 0;
  const robots: RobotPlan[] = input.robots.map((robot, k) => {
    let t = robot.availableAtS + (robot.startIndex ? T[robot.startIndex]![0]! : 0);
    const trips: PlannedTrip[] = [];
    for (const trip of sched[k]!) {
      if (trip.reqs.length === 0) continue;
      const loadStartS = Math.max(t, trip.notBeforeS);
      const departS = loadStartS + input.loadSPerTray * trip.reqs.length;
      let at = 0;
      let now = departS;
      const stops: PlannedStop[] = trip.reqs.map((q, i) => {
        const req = input.requests[q]!;
        const arriveS = now + T[at]![req.room]!;
        const departStop = arriveS + serviceAt(input, req.room);
        at = req.room;
        now = departStop;
        const w = req.priority === 'medicine' ? objective.medicineWeight : 1;
        sum += arriveS; wsum += w * arriveS; wtot += w; count++;
        if (req.readyBy !== undefined && arriveS > req.readyBy) latenessS += arriveS - req.readyBy;
        return { request: q, room: req.room, priority: req.priority, tray: i + 1, arriveS, departS: departStop };
      });
      const returnS = now + T[at]![0]!;
      trips.push({ loadStartS, departS, stops, returnS });
      t = returnS;
    }
    if (trips.length && t > makespanS) makespanS = t;
    return { robotId: robot.id, trips, finishS: t };
  });
  const metrics = {
    makespanS, meanDeliveryS: count ? sum / count : 0, weightedMeanDeliveryS: wtot ? wsum / wtot : 0, latenessS,
  };
  return { robots, metrics, objective: objective.score(metrics) };
}

/** Builds trips (request-index lists) with the routing engine; one node per request. */
function buildTrips(input: RoundInput, opts: RoundOptions, budgetMs: number): number[][] {
  const R = input.requests.length;
  const n = R + 1;
  const nodeRoom = [0, ...input.requests.map((r) => r.room)];
  const cost = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cost[a * n + b] = input.travelS[nodeRoom[a]!]![nodeRoom[b]!]!;
  const trays = Math.min(...input.robots.map((r) => r.trays));
  const vehicle: Vehicle = { startNode: 0, endNode: 0, startTimeS: 0, endDueS: Infinity, capacity: trays };
  const customers = Array.from({ length: R }, (_, i) => i + 1);
  const p = makeProblem({
    name: 'round', nodeCount: n, costMatrix: cost, customers, demand: [0, ...customers.map(() => 1)],
    vehicles: Array.from({ length: R }, () => vehicle),
  });
  const sol = solveVrp(p, {
    seed: opts.seed ?? 1, clock: opts.clock, timeLimitMs: opts.clock ? budgetMs : undefined,
    maxIterations: opts.maxIterations ?? (opts.clock && opts.timeLimitMs !== undefined ? undefined : 2000),
    softCapacity: false,
  });
  return sol.routes.filter((r) => r.length > 0).map((r) => r.map((node) => node - 1));
}

function robotReadyS(input: RoundInput, k: number): number {
  const r = input.robots[k]!;
  return r.availableAtS + (r.startIndex ? input.travelS[r.startIndex]![0]! : 0);
}

function tripDurationS(input: RoundInput, reqs: readonly number[]): number {
  let at = 0;
  let d = input.loadSPerTray * reqs.length;
  for (const q of reqs) {
    const room = input.requests[q]!.room;
    d += input.travelS[at]![room]! + serviceAt(input, room);
    at = room;
  }
  return d + input.travelS[at]![0]!;
}

/** Longest trip first onto the robot free first; then medicine trips first, short trips first. */
function lptSchedule(input: RoundInput, trips: number[][]): Schedule {
  const sched: Schedule = input.robots.map(() => []);
  const free = input.robots.map((_, k) => robotReadyS(input, k));
  const dur = trips.map((t) => tripDurationS(input, t));
  const order = trips.map((_, i) => i).sort((a, b) => dur[b]! - dur[a]! || a - b);
  for (const i of order) {
    let best = -1;
    for (let k = 0; k < free.length; k++) {
      if (trips[i]!.length > input.robots[k]!.trays) continue;
      if (best < 0 || free[k]! < free[best]!) best = k;
    }
    sched[best]!.push({ reqs: trips[i]!, notBeforeS: 0 });
    free[best] = free[best]! + dur[i]!;
  }
  const hasMed = (t: Trip) => t.reqs.some((q) => input.requests[q]!.priority === 'medicine');
  for (const robotTrips of sched) {
    robotTrips.sort((a, b) => Number(hasMed(b)) - Number(hasMed(a)) || tripDurationS(input, a.reqs) - tripDurationS(input, b.reqs));
  }
  return sched;
}

/**
 * First-improvement descent over trip moves between and within robots, trip swaps and trip
 * reversals. `fixed[k]` trips at the head of robot k are not touched (already departed).
 */
function improveSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective, fixed: readonly number[],
  deadline: () => boolean): Schedule {
  let best = timeSchedule(input, sched, objective).objective;
  const K = sched.length;
  const tryIt = (): boolean => {
    const v = timeSchedule(input, sched, objective).objective;
    if (v < best - 1e-9) { best = v; return true; }
    return false;
  };
  let improved = true;
  while (improved && !deadline()) {
    improved = false;
    for (let a = 0; a < K && !deadline(); a++) {
      for (let i = fixed[a]!; i < sched[a]!.length; i++) {
        const trip = sched[a]![i]!;
        // Reverse the trip.
        trip.reqs.reverse();
        if (tryIt()) { improved = true; continue; }
        trip.reqs.reverse();
        // Move it to another robot or position.
        sched[a]!.splice(i, 1);
        let moved = false;
        for (let b = 0; b < K && !moved; b++) {
          if (trip.reqs.length > input.robots[b]!.trays) continue;
          for (let j = fixed[b]!; j <= sched[b]!.length; j++) {
            if (b === a && j === i) continue;
            sched[b]!.splice(j, 0, trip);
            if (tryIt()) { moved = true; break; }
            sched[b]!.splice(j, 1);
          }
        }
        if (moved) { improved = true; break; }
        sched[a]!.splice(i, 0, trip);
        // Swap with a trip of another robot.
        for (let b = a + 1; b < K; b++) {
          for (let j = fixed[b]!; j < sched[b]!.length; j++) {
            const other = sched[b]![j]!;
            if (trip.reqs.length > input.robots[b]!.trays || other.reqs.length > input.robots[a]!.trays) continue;
            sched[a]![i] = other; sched[b]![j] = trip;
            if (tryIt()) { improved = true; break; }
            sched[a]![i] = trip; sched[b]![j] = other;
          }
          if (sched[a]![i] !== trip) break;
        }
      }
    }
  }
  return sched;
}

/**
 * Plans a meal round. Objective (default): makespan of the round first, then priority-weighted
 * mean delivery time, with `readyBy` lateness penalised. Each robot loads at the station
 * (index 0) before every trip; the i-th stop of a trip uses tray i. Trips hold at most the
 * smallest tray count among the robots. Anytime under `timeLimitMs` with a `clock`.
 * @throws Error on invalid input (see {@link validateRoundInput})
 */
export function planRound(input: RoundInput, options: RoundOptions = {}): RoundPlan {
  const errs = validateRoundInput(input);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  const objective = options.objective ?? MAKESPAN_THEN_DELIVERY;
  if (input.requests.length === 0) return timeSchedule(input, input.robots.map(() => []), objective);
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const limit = options.timeLimitMs ?? Infinity;
  const trips = buildTrips(input, options, 0.7 * limit);
  const deadline = () => (clock ? clock() - t0 >= limit : false);
  const noneFixed = input.robots.map(() => 0);
  // Two starts: engine trips scheduled longest-first, and the by-floor loading. Minimum total
  // travel is not minimum makespan on small rounds (few trips per robot), where the by-floor
  // start sometimes wins; improving both and keeping the better makes the plan never worse.
  let best: RoundPlan | null = null;
  for (const sched of [lptSchedule(input, trips), byFloorSchedule(input)]) {
    improveSchedule(input, sched, objective, noneFixed, deadline);
    const plan = timeSchedule(input, sched, objective);
    if (!best || plan.objective < best.objective) best = plan;
  }
  return best!;
}

/**
 * Inserts an urgent request into an existing plan without replanning: the cheapest (by the
 * objective) of every position in every trip that has not left the station by `nowS` and has a
 * free tray, and of a new trip at any not-yet-started position of any robot (loading no earlier
 * than `nowS`). Departed trips keep their rooms and times.
 * @returns the new plan; its `RoundInput` is `input` with `request` appended to `requests`.
 */
export function insertUrgent(input: RoundInput, plan: RoundPlan, request: RoomRequest, nowS: number,
  objective: RoundObjective = MAKESPAN_THEN_DELIVERY): { input: RoundInput; plan: RoundPlan } {
  const next: RoundInput = { ...input, requests: [...input.requests, request] };
  const errs = validateRoundInput(next);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  const q = input.requests.length;
  const sched: Schedule = plan.robots.map((r) => r.trips.map((t) => ({ reqs: t.stops.map((s) => s.request), notBeforeS: t.loadStartS })));
  const fixed = plan.robots.map((r) => { const i = r.trips.findIndex((t) => t.departS > nowS); return i < 0 ? r.trips.length : i; });
  let best: RoundPlan | null = null;
  const consider = () => {
    const p = timeSchedule(next, sched, objective);
    if (!best || p.objective < best.objective - 1e-9) best = p;
  };
  sched.forEach((trips, k) => {
    const trays = next.robots[k]!.trays;
    for (let i = fixed[k]!; i < trips.length; i++) {
      const reqs = trips[i]!.reqs;
      if (reqs.length >= trays) continue;
      for (let j = 0; j <= reqs.length; j++) { reqs.splice(j, 0, q); consider(); reqs.splice(j, 1); }
    }
    for (let i = fixed[k]!; i <= trips.length; i++) {
      trips.splice(i, 0, { reqs: [q], notBeforeS: nowS });
      consider();
      trips.splice(i, 1);
    }
  });
  if (!best) throw new Error('no robot can take the request');
  return { input: next, plan: best };
}

/**
 * Baseline "by floor", as a medic does by hand: requests sorted by door index (doors numbered
 * floor by floor), consecutive ones fill a robot's trays, and each full load goes to the robot
 * that is back at the station first. Visit order within a trip is the sorted order.
 */
export function planRoundByFloor(input: RoundInput, objective: RoundObjective = MAKESPAN_THEN_DELIVERY): RoundPlan {
  const errs = validateRoundInput(input);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  return timeSchedule(input, byFloorSchedule(input), objective);
}

function byFloorSchedule(input: RoundInput): Schedule {
  const order = input.requests.map((_, i) => i).sort((a, b) => input.requests[a]!.room - input.requests[b]!.room || a - b);
  const sched: Schedule = input.robots.map(() => []);
  const free = input.robots.map((_, k) => robotReadyS(input, k));
  let i = 0;
  while (i < order.length) {
    let k = 0;
    for (let j = 1; j < free.length; j++) if (free[j]! < free[k]!) k = j;
    const reqs = order.slice(i, i + input.robots[k]!.trays);
    i += reqs.length;
    sched[k]!.push({ reqs, notBeforeS: 0 });
    free[k] = free[k]! + tripDurationS(input, reqs);
  }
  return sched;
}
