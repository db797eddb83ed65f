/**
 * Timing of a round schedule: the robots' trips played out against the shared resources, the
 * loaders at the station and the lift cars, each served first come, first served as in the
 * simulator. Internal to `dispatch/`.
 */
import type { LiftRide, PlannedRide, PlannedStop, PlannedTrip, RobotPlan, RoundInput, RoundLifts, RoundMetrics, RoundObjective, RoundPlan } from './round-types.js';

/** Internal schedule: per robot, trips of request indices. */
export interface Trip {
  reqs: number[];
  notBeforeS: number;
}
export type Schedule = Trip[][];

/** Door time of a matrix index. */
export function serviceAt(input: RoundInput, room: number): number {
  const s = input.serviceS;
  return typeof s === 'number' ? s : (s as readonly number[])[room]!;
}

/** When robot k can start loading its first trip, its way home from `startIndex` taking its matrix time (no queue for cars). */
function robotReadyS(input: RoundInput, k: number): number {
  const r = input.robots[k]!;
  return r.availableAtS + (r.startIndex ? input.travelS[r.startIndex]![0]! : 0);
}

/**
 * The ways of every leg flattened into typed arrays: leg `a * n + b` has ways `wayFirst[leg]` to
 * `wayFirst[leg + 1] - 1`, its shortest first; way `w` has rides `rideFirst[w]` to
 * `rideFirst[w + 1] - 1` and takes `wayS[w]` seconds (a leg's shortest way: the input's `travelS`).
 */
interface LegWays {
  readonly n: number;
  readonly wayFirst: Int32Array;
  readonly wayS: Float64Array;
  readonly rideFirst: Int32Array;
  readonly car: Int32Array;
  readonly fromLevel: Int32Array;
  readonly toLevel: Int32Array;
  readonly atS: Float64Array;
  readonly rideS: Float64Array;
}

// The search times the same input tens of thousands of times; nested arrays of objects cost a
// pointer chase per ride, so each input's ways are flattened once.
const flattened = new WeakMap<RoundLifts, LegWays>();

function legWays(lifts: RoundLifts): LegWays {
  const cached = flattened.get(lifts);
  if (cached) return cached;
  const n = lifts.rides.length;
  const wayFirst = new Int32Array(n * n + 1);
  const wayS: number[] = [];
  const rideFirst: number[] = [0];
  const rides: LiftRide[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const ways = [{ travelS: Number.NaN, rides: lifts.rides[a]![b]! }, ...(lifts.ways?.[a]?.[b] ?? [])];
      for (const way of ways) {
        wayS.push(way.travelS);
        rides.push(...way.rides);
        rideFirst.push(rides.length);
      }
      wayFirst[a * n + b + 1] = wayS.length;
    }
  }
  const legs: LegWays = {
    n,
    wayFirst,
    wayS: Float64Array.from(wayS),
    rideFirst: Int32Array.from(rideFirst),
    car: Int32Array.from(rides, (r) => r.car),
    fromLevel: Int32Array.from(rides, (r) => r.fromLevel),
    toLevel: Int32Array.from(rides, (r) => r.toLevel),
    atS: Float64Array.from(rides, (r) => r.atS),
    rideS: Float64Array.from(rides, (r) => r.rideS),
  };
  flattened.set(lifts, legs);
  return legs;
}

const LOAD = 0;
const RIDE = 1;
const DONE = 2;
const BACK = 3;
const CHOOSE = 4;
const NO_REQS: readonly number[] = [];

/**
 * Plays a schedule out. Each robot runs until it needs a shared resource (a loader before a
 * trip, its way's car at a landing) or, on a leg with several ways, reaches the first landing of
 * any of them and picks its way (see {@link RoundLifts.ways}); the robot asking earliest (ties:
 * the lower index) is served next, so every resource serves in call order, like the simulator's
 * semaphores: a loader or car starts a robot when it called or when it is free, whichever is
 * later. A car first travels empty to the caller's floor. `finishS[k]` receives when robot k is done (its
 * readiness if it has no trip); `plan`, when given, receives each robot's timed trips.
 */
function walkSchedule(
  input: RoundInput,
  sched: Schedule,
  medicineWeight: number,
  finishS: Float64Array,
  plan: PlannedTrip[][] | null,
  nextLoad: ((k: number) => number[] | undefined) | null = null,
): RoundMetrics {
  const T = input.travelS;
  const reqs = input.requests;
  const loadS = input.loadSPerTray;
  const K = sched.length;
  const loaders = input.stationLoaders ?? 1;
  const loaderFree = Number.isFinite(loaders) ? new Float64Array(loaders).fill(-Infinity) : null;
  const legs = input.lifts ? legWays(input.lifts) : null;
  const cars = input.lifts?.cars ?? [];
  const carFree = new Float64Array(cars.length).fill(-Infinity);
  const carLevel = Int32Array.from(cars, (c) => c.startLevel ?? 0);
  // Per robot: what it waits for and since when, the trip and leg it is on (leg i ends at stop i,
  // the last leg at the station), where the leg started, the leg's way (-1: not picked yet), the
  // next ride of the way and how far into the leg (seconds of the way) the robot is once that
  // ride's predecessor ended.
  const kind = new Int8Array(K);
  const callS = new Float64Array(K);
  const tripOf = new Int32Array(K);
  const legOf = new Int32Array(K);
  const fromOf = new Int32Array(K);
  const wayOf = new Int32Array(K).fill(-1);
  // Robots on their way home from `startIndex` before their first trip (only with lifts: they queue for cars).
  const homing = new Uint8Array(K);
  const tripReqs = (k: number): readonly number[] => (homing[k] ? NO_REQS : sched[k]![tripOf[k]!]!.reqs);
  const rideOf = new Int32Array(K);
  const intoLegS = new Float64Array(K);
  const nowOf = new Float64Array(K);
  const loadStartOf = new Float64Array(K);
  const departOf = new Float64Array(K);
  const stopsOf: PlannedStop[][] = [];
  const ridesOf: PlannedRide[][] = [];
  let makespanS = 0;
  let sum = 0;
  let wsum = 0;
  let wtot = 0;
  let count = 0;
  let latenessS = 0;

  /** Robot k is back at the station at `backS`: it next asks for a loader, or is done. */
  const nextTrip = (k: number, backS: number) => {
    const trips = sched[k]!;
    let i = tripOf[k]!;
    while (i < trips.length && trips[i]!.reqs.length === 0) i++;
    tripOf[k] = i;
    if (i === trips.length) {
      // Asked for a load only once back, in the order robots come back.
      if (nextLoad) {
        kind[k] = BACK;
        callS[k] = backS;
      } else {
        kind[k] = DONE;
        callS[k] = Infinity;
      }
      return;
    }
    kind[k] = LOAD;
    callS[k] = Math.max(backS, trips[i]!.notBeforeS);
  };

  /** Robot k drives from `nowOf[k]` until its next call for a car, or back to the station. */
  const drive = (k: number) => {
    const trip = tripReqs(k);
    let now = nowOf[k]!;
    for (;;) {
      const leg = legOf[k]!;
      const from = fromOf[k]!;
      const to = leg < trip.length ? reqs[trip[leg]!]!.room : 0;
      let legS = T[from]![to]!;
      if (legs) {
        const l = from * legs.n + to;
        let w = wayOf[k]!;
        if (w < 0) {
          const w0 = legs.wayFirst[l]!;
          const w1 = legs.wayFirst[l + 1]!;
          if (w1 - w0 > 1) {
            let firstAtS = Infinity;
            for (let v = w0; v < w1; v++) firstAtS = Math.min(firstAtS, legs.atS[legs.rideFirst[v]!]!);
            nowOf[k] = now;
            kind[k] = CHOOSE;
            callS[k] = now + firstAtS;
            return;
          }
          w = wayOf[k] = w0;
        }
        if (w !== legs.wayFirst[l]) legS = legs.wayS[w]!;
        const r = legs.rideFirst[w]! + rideOf[k]!;
        if (r < legs.rideFirst[w + 1]!) {
          nowOf[k] = now;
          kind[k] = RIDE;
          callS[k] = now + legs.atS[r]! - intoLegS[k]!;
          return;
        }
      }
      const arriveS = now + legS - intoLegS[k]!;
      wayOf[k] = -1;
      rideOf[k] = 0;
      intoLegS[k] = 0;
      if (leg === trip.length && homing[k]) {
        homing[k] = 0;
        finishS[k] = arriveS;
        nextTrip(k, arriveS);
        return;
      }
      if (leg === trip.length) {
        finishS[k] = arriveS;
        if (arriveS > makespanS) makespanS = arriveS;
        if (plan) plan[k]!.push({ loadStartS: loadStartOf[k]!, departS: departOf[k]!, stops: stopsOf[k]!, returnS: arriveS, rides: ridesOf[k]! });
        tripOf[k] = tripOf[k]! + 1;
        nextTrip(k, arriveS);
        return;
      }
      const req = reqs[trip[leg]!]!;
      const w = req.priority === 'medicine' ? medicineWeight : 1;
      sum += arriveS;
      wsum += w * arriveS;
      wtot += w;
      count++;
      if (req.readyBy !== undefined && arriveS > req.readyBy) latenessS += arriveS - req.readyBy;
      now = arriveS + serviceAt(input, to);
      stopsOf[k]?.push({ request: trip[leg]!, room: to, priority: req.priority, tray: leg + 1, arriveS, departS: now });
      legOf[k] = leg + 1;
      fromOf[k] = to;
    }
  };

  for (let k = 0; k < K; k++) {
    const start = input.robots[k]!.startIndex;
    if (legs && start) {
      homing[k] = 1;
      fromOf[k] = start;
      nowOf[k] = input.robots[k]!.availableAtS;
      drive(k);
      continue;
    }
    finishS[k] = robotReadyS(input, k);
    nextTrip(k, finishS[k]!);
  }
  for (;;) {
    let k = -1;
    let firstS = Infinity;
    for (let r = 0; r < K; r++)
      if (callS[r]! < firstS) {
        firstS = callS[r]!;
        k = r;
      }
    if (k < 0) break;
    if (kind[k] === BACK) {
      const reqs = nextLoad!(k);
      if (reqs) {
        sched[k]!.push({ reqs, notBeforeS: 0 });
        nextTrip(k, firstS);
      } else {
        kind[k] = DONE;
        callS[k] = Infinity;
      }
      continue;
    }
    if (kind[k] === LOAD) {
      const trays = sched[k]![tripOf[k]!]!.reqs.length;
      let startS = firstS;
      if (loaderFree) {
        let j = 0;
        for (let l = 1; l < loaderFree.length; l++) if (loaderFree[l]! < loaderFree[j]!) j = l;
        if (loaderFree[j]! > startS) startS = loaderFree[j]!;
        loaderFree[j] = startS + loadS * trays;
      }
      loadStartOf[k] = startS;
      departOf[k] = nowOf[k] = startS + loadS * trays;
      legOf[k] = 0;
      fromOf[k] = 0;
      if (plan) {
        stopsOf[k] = [];
        ridesOf[k] = [];
      }
    } else if (kind[k] === CHOOSE) {
      // The way whose first ride, waiting for its car as the cars stand now, ends the leg first.
      const l = legs!;
      const trip = tripReqs(k);
      const from = fromOf[k]!;
      const to = legOf[k]! < trip.length ? reqs[trip[legOf[k]!]!]!.room : 0;
      const w0 = l.wayFirst[from * l.n + to]!;
      const w1 = l.wayFirst[from * l.n + to + 1]!;
      let best = w0;
      let bestS = Infinity;
      for (let v = w0; v < w1; v++) {
        const r = l.rideFirst[v]!;
        const c = l.car[r]!;
        const startS = Math.max(nowOf[k]! + l.atS[r]!, carFree[c]!);
        const endS = startS + Math.abs(carLevel[c]! - l.fromLevel[r]!) * cars[c]!.perFloorS + l.rideS[r]!;
        const legEndS = endS + (v === w0 ? T[from]![to]! : l.wayS[v]!) - l.atS[r]! - l.rideS[r]!;
        if (legEndS < bestS - 1e-9) {
          best = v;
          bestS = legEndS;
        }
      }
      wayOf[k] = best;
    } else {
      const l = legs!;
      const trip = tripReqs(k);
      const to = legOf[k]! < trip.length ? reqs[trip[legOf[k]!]!]!.room : 0;
      const w = wayOf[k]!;
      const r = l.rideFirst[w]! + rideOf[k]!;
      const c = l.car[r]!;
      const startS = Math.max(firstS, carFree[c]!);
      const endS = startS + Math.abs(carLevel[c]! - l.fromLevel[r]!) * cars[c]!.perFloorS + l.rideS[r]!;
      carFree[c] = endS;
      carLevel[c] = l.toLevel[r]!;
      ridesOf[k]?.push({ car: c, leg: legOf[k]!, way: w - l.wayFirst[fromOf[k]! * l.n + to]!, callS: firstS, startS, endS });
      nowOf[k] = endS;
      intoLegS[k] = l.atS[r]! + l.rideS[r]!;
      rideOf[k] = rideOf[k]! + 1;
    }
    drive(k);
  }
  return { makespanS, meanDeliveryS: count ? sum / count : 0, weightedMeanDeliveryS: wtot ? wsum / wtot : 0, latenessS };
}

/**
 * Fills `sched` as robots come back: whenever a robot is back at the station with no trip left,
 * it gets `nextLoad(k)` (request indices; `undefined` when there is nothing left), timed as in
 * {@link timeSchedule}, so it waits for a loader and for its cars like everyone else.
 */
export function dispatchAsBack(input: RoundInput, sched: Schedule, nextLoad: (k: number) => number[] | undefined): Schedule {
  walkSchedule(input, sched, 1, new Float64Array(sched.length), null, nextLoad);
  return sched;
}

/** Times a schedule and scores it (builds the full plan). */
export function timeSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective): RoundPlan {
  const finishS = new Float64Array(sched.length);
  const trips: PlannedTrip[][] = sched.map(() => []);
  const metrics = walkSchedule(input, sched, objective.medicineWeight, finishS, trips);
  const robots: RobotPlan[] = input.robots.map((robot, k) => ({ robotId: robot.id, trips: trips[k]!, finishS: finishS[k]! }));
  return { robots, metrics, objective: objective.score(metrics) };
}

/**
 * The objective of a schedule without building the plan: the inner loop of the schedule
 * descent. Agrees with `timeSchedule(...).objective`; `finishS`, when given, receives when each
 * robot is done.
 */
export function scoreSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective, finishS: Float64Array = new Float64Array(sched.length)): number {
  return objective.score(walkSchedule(input, sched, objective.medicineWeight, finishS, null));
}
