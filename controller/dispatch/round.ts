/**
 * Meal-round planner: which robot takes which rooms on which trip, with predicted times.
 * Two stages with swappable parts: (1) build trips of at most `trays` rooms with the routing
 * engine (min total travel: total work is what the robots share, so it bounds the makespan),
 * (2) schedule the trips on robots (longest trip first onto the robot free first) and improve
 * the schedule by moving, swapping, reordering and reversing trips and by moving and exchanging
 * single stops between trips, under the objective. Robots queue for the loaders at the station
 * (`stationLoaders`, one medic by default) and, when the input lists them, for the lift cars
 * (`lifts`), as in the simulator.
 * Pure: no clock unless one is passed, deterministic for a seed.
 */
import { MAKESPAN_THEN_DELIVERY, type LiftRide, type RoundInput, type RoundLifts, type RoundObjective, type RoundPlan, type RoomRequest } from './round-types.js';
import { byFloorSchedule, improveSchedule, lptSchedule } from './round-schedule.js';
import { timeSchedule, type Schedule } from './round-timing.js';
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
  /**
   * {@link improveRound} only: the routing engine builds the trips not fixed from scratch instead
   * of starting from the plan's. For a plan that is a quick construction (by floor): started from
   * its trips the engine stays near them (150-room hotel round in the model, seeds 1-3, the first
   * trips fixed: makespan 4188 s, mean delivery 2034 s seeded, 4171 / 2018 s fresh).
   */
  readonly fresh?: boolean;
  /**
   * {@link improveRound} only: per robot, how many trips at the head of its plan are sent
   * already though not departed (loading at the station): kept as they are, like departed ones.
   * Default none.
   */
  readonly sent?: readonly number[];
}

/** Options of {@link insertUrgent}. */
export interface UrgentOptions {
  /** How plans are scored (default {@link MAKESPAN_THEN_DELIVERY}). */
  readonly objective?: RoundObjective;
  /** Seconds of objective worth one second earlier urgent delivery (default 1). */
  readonly urgentWeight?: number;
}

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
  const loaders = input.stationLoaders;
  if (loaders !== undefined && !(loaders === Infinity || (Number.isInteger(loaders) && loaders >= 1))) errs.push('stationLoaders must be a positive integer or Infinity');
  if (input.lifts) errs.push(...liftErrors(input.lifts, input.travelS));
  return errs;
}

function liftErrors(lifts: RoundLifts, travelS: RoundInput['travelS']): string[] {
  const errs: string[] = [];
  const n = travelS.length;
  lifts.cars.forEach((c, i) => {
    if (!(c.perFloorS >= 0) || !Number.isFinite(c.perFloorS)) errs.push(`lifts.cars[${i}].perFloorS must be a finite number ≥ 0`);
    if (c.startLevel !== undefined && !(Number.isInteger(c.startLevel) && c.startLevel >= 0)) errs.push(`lifts.cars[${i}].startLevel must be an integer ≥ 0`);
  });
  if (lifts.rides.length !== n || lifts.rides.some((row) => row.length !== n)) {
    errs.push(`lifts.rides must be ${n} × ${n}, like travelS`);
    return errs;
  }
  const ridesErrors = (rides: readonly LiftRide[], legS: number, path: string) =>
    rides.forEach((r, i) => {
      const at = `${path}[${i}]`;
      if (!Number.isInteger(r.car) || r.car < 0 || r.car >= lifts.cars.length) errs.push(`${at}.car is not a car index`);
      if (!Number.isInteger(r.fromLevel) || r.fromLevel < 0 || !Number.isInteger(r.toLevel) || r.toLevel < 0) errs.push(`${at} levels must be integers ≥ 0`);
      const before = i ? rides[i - 1]!.atS + rides[i - 1]!.rideS : 0;
      if (!(r.atS >= before) || !(r.rideS >= 0) || r.atS + r.rideS > legS + 1e-6) errs.push(`${at} is not within its leg`);
    });
  lifts.rides.forEach((row, a) => row.forEach((rides, b) => ridesErrors(rides, travelS[a]![b]!, `lifts.rides[${a}][${b}]`)));
  if (!lifts.ways) return errs;
  if (lifts.ways.length !== n || lifts.ways.some((row) => row.length !== n)) {
    errs.push(`lifts.ways must be ${n} × ${n}, like travelS`);
    return errs;
  }
  lifts.ways.forEach((row, a) =>
    row.forEach((ways, b) =>
      ways.forEach((way, i) => {
        const at = `lifts.ways[${a}][${b}][${i}]`;
        if (!(way.travelS >= 0) || !Number.isFinite(way.travelS)) errs.push(`${at}.travelS must be a finite number ≥ 0`);
        if (way.rides.length === 0 || lifts.rides[a]![b]!.length === 0) errs.push(`${at}: a leg's other ways and its shortest need a ride each`);
        ridesErrors(way.rides, way.travelS, `${at}.rides`);
      }),
    ),
  );
  return errs;
}

/**
 * Builds trips (request-index lists) with the routing engine; one node per request. `initial`
 * trips (requests of `subset`) seed the search, so repeated short calls keep what earlier ones
 * found instead of starting over.
 */
function buildTrips(
  input: RoundInput,
  opts: RoundOptions,
  budgetMs: number,
  subset: readonly number[] = input.requests.map((_, i) => i),
  initial?: readonly (readonly number[])[],
): number[][] {
  const R = subset.length;
  const n = R + 1;
  const nodeRoom = [0, ...subset.map((q) => input.requests[q]!.room)];
  const cost = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cost[a * n + b] = input.travelS[nodeRoom[a]!]![nodeRoom[b]!]!;
  const trays = Math.min(...input.robots.map((r) => r.trays));
  const nodeOf = new Map(subset.map((q, i) => [q, i + 1]));
  const vehicle: Vehicle = { startNode: 0, endNode: 0, startTimeS: 0, endDueS: Infinity, capacity: trays };
  const customers = Array.from({ length: R }, (_, i) => i + 1);
  const p = makeProblem({
    name: 'round',
    nodeCount: n,
    costMatrix: cost,
    customers,
    demand: [0, ...customers.map(() => 1)],
    vehicles: Array.from({ length: R }, () => vehicle),
  });
  const sol = solveVrp(p, {
    seed: opts.seed ?? 1,
    clock: opts.clock,
    timeLimitMs: opts.clock ? budgetMs : undefined,
    maxIterations: opts.maxIterations ?? (opts.clock && opts.timeLimitMs !== undefined ? undefined : 2000),
    softCapacity: false,
    ...(initial ? { initialRoutes: initial.filter((trip) => trip.length <= trays).map((trip) => trip.map((q) => nodeOf.get(q)!)) } : {}),
  });
  return sol.routes.filter((r) => r.length > 0).map((r) => r.map((node) => subset[node - 1]!));
}

/**
 * Plans a meal round. Objective (default): makespan of the round first, then priority-weighted
 * mean delivery time, with `readyBy` lateness penalised. Each robot loads at the station
 * (index 0) before every trip, waiting for a free loader; the i-th stop of a trip uses tray i. Trips hold at most the
 * smallest tray count among the robots. Anytime under `timeLimitMs` with a `clock`.
 * @throws Error on invalid input (see {@link validateRoundInput})
 */
export function planRound(input: RoundInput, options: RoundOptions = {}): RoundPlan {
  const errs = validateRoundInput(input);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  const objective = options.objective ?? MAKESPAN_THEN_DELIVERY;
  if (input.requests.length === 0)
    return timeSchedule(
      input,
      input.robots.map(() => []),
      objective,
    );
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
  for (const sched of [
    lptSchedule(
      input,
      trips,
      input.robots.map(() => []),
      0,
    ),
    byFloorSchedule(input),
  ]) {
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
 * than `nowS`). Departed trips keep their rooms and times. A position costs the plan's objective
 * plus `urgentWeight` × the urgent stop's arrival time: under the default round objective alone
 * (makespan first) an urgent stop could land at the end of the round.
 * @returns the new plan; its `RoundInput` is `input` with `request` appended to `requests`.
 */
export function insertUrgent(input: RoundInput, plan: RoundPlan, request: RoomRequest, nowS: number, options: UrgentOptions = {}): { input: RoundInput; plan: RoundPlan } {
  const objective = options.objective ?? MAKESPAN_THEN_DELIVERY;
  const urgentWeight = options.urgentWeight ?? 1;
  const next: RoundInput = { ...input, requests: [...input.requests, request] };
  const errs = validateRoundInput(next);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  const q = input.requests.length;
  const sched: Schedule = plan.robots.map((r) => r.trips.map((t) => ({ reqs: t.stops.map((s) => s.request), notBeforeS: t.loadStartS })));
  const fixed = plan.robots.map((r) => {
    const i = r.trips.findIndex((t) => t.departS > nowS);
    return i < 0 ? r.trips.length : i;
  });
  let best: RoundPlan | null = null;
  let bestCost = Infinity;
  const consider = () => {
    const p = timeSchedule(next, sched, objective);
    const stop = p.robots.flatMap((r) => r.trips.flatMap((t) => t.stops)).find((x) => x.request === q)!;
    const cost = p.objective + urgentWeight * stop.arriveS;
    if (cost < bestCost - 1e-9) {
      best = p;
      bestCost = cost;
    }
  };
  sched.forEach((trips, k) => {
    const trays = next.robots[k]!.trays;
    for (let i = fixed[k]!; i < trips.length; i++) {
      const reqs = trips[i]!.reqs;
      if (reqs.length >= trays) continue;
      for (let j = 0; j <= reqs.length; j++) {
        reqs.splice(j, 0, q);
        consider();
        reqs.splice(j, 1);
      }
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
 * Improves an existing plan for incremental use (plan fast, send the first trips, improve the
 * rest): trips that left the station by `nowS`, and those `options.sent` names, stay as they
 * are; the others may change and load no earlier than `nowS`. Returns the better of the current
 * schedule improved and the remaining requests replanned by the engine after each robot's
 * departed trips.
 */
export function improveRound(input: RoundInput, plan: RoundPlan, nowS: number, options: RoundOptions = {}): RoundPlan {
  const errs = validateRoundInput(input);
  if (errs.length) throw new Error(`invalid round input: ${errs.join('; ')}`);
  const objective = options.objective ?? MAKESPAN_THEN_DELIVERY;
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const limit = options.timeLimitMs ?? Infinity;
  const deadline = () => (clock ? clock() - t0 >= limit : false);
  const fixed = plan.robots.map((r, k) => {
    const i = r.trips.findIndex((t) => t.departS > nowS);
    return Math.min(r.trips.length, Math.max(i < 0 ? r.trips.length : i, options.sent?.[k] ?? 0));
  });
  const current: Schedule = plan.robots.map((r, k) =>
    r.trips.map((t, i) => ({
      reqs: t.stops.map((s) => s.request),
      notBeforeS: i < fixed[k]! ? t.loadStartS : nowS,
    })),
  );
  const base: Schedule = current.map((trips, k) => trips.slice(0, fixed[k]!).map((t) => ({ reqs: t.reqs.slice(), notBeforeS: t.notBeforeS })));
  const rest = current.flatMap((trips, k) => trips.slice(fixed[k]!).flatMap((t) => t.reqs));
  const movable = current.flatMap((trips, k) => trips.slice(fixed[k]!).map((t) => t.reqs)).filter((t) => t.length > 0);
  const replanned = lptSchedule(input, rest.length ? buildTrips(input, options, 0.5 * limit, rest, options.fresh ? undefined : movable) : [], base, nowS);
  // Each start gets its share of what is left: the descent on the current plan rarely ends
  // before the deadline, and the replanned start would otherwise never be improved at all.
  const split = clock ? clock() + (limit - (clock() - t0)) / 2 : 0;
  const firstDeadline = () => (clock ? clock() >= split : false);
  let best: RoundPlan | null = null;
  for (const [sched, until] of [
    [current, firstDeadline],
    [replanned, deadline],
  ] as const) {
    improveSchedule(input, sched, objective, fixed, until);
    const p = timeSchedule(input, sched, objective);
    if (!best || p.objective < best.objective) best = p;
  }
  return best!;
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
