/**
 * Schedules of the meal-round planner: trips of request indices per robot, their timing and
 * scoring, the two starting schedules (longest trip first; by floor) and the descent that
 * improves a schedule. Internal to `dispatch/`.
 */
import type { PlannedStop, PlannedTrip, RobotPlan, RoundInput, RoundObjective, RoundPlan } from './round-types.js';

/** Internal schedule: per robot, trips of request indices. */
export interface Trip { reqs: number[]; notBeforeS: number }
export type Schedule = Trip[][];

/** Door time of a matrix index. */
export function serviceAt(input: RoundInput, room: number): number {
  const s = input.serviceS;
  return typeof s === 'number' ? s : (s as readonly number[])[room]!;
}

/** Times a schedule and scores it (builds the full plan). */
export function timeSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective): RoundPlan {
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

/**
 * The objective of a schedule without building the plan (no allocation): the inner loop of
 * {@link improveSchedule}. Must agree with `timeSchedule(...).objective`.
 */
export function scoreSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective): number {
  const T = input.travelS;
  const reqs = input.requests;
  const loadS = input.loadSPerTray;
  const medW = objective.medicineWeight;
  let makespanS = 0;
  let sum = 0;
  let wsum = 0;
  let wtot = 0;
  let count = 0;
  let latenessS = 0;
  for (let k = 0; k < sched.length; k++) {
    const robot = input.robots[k]!;
    let t = robot.availableAtS + (robot.startIndex ? T[robot.startIndex]![0]! : 0);
    let any = false;
    for (const trip of sched[k]!) {
      const stops = trip.reqs;
      if (stops.length === 0) continue;
      any = true;
      let now = (t > trip.notBeforeS ? t : trip.notBeforeS) + loadS * stops.length;
      let at = 0;
      for (let i = 0; i < stops.length; i++) {
        const req = reqs[stops[i]!]!;
        const arrive = now + T[at]![req.room]!;
        const w = req.priority === 'medicine' ? medW : 1;
        sum += arrive; wsum += w * arrive; wtot += w; count++;
        if (req.readyBy !== undefined && arrive > req.readyBy) latenessS += arrive - req.readyBy;
        now = arrive + serviceAt(input, req.room);
        at = req.room;
      }
      t = now + T[at]![0]!;
    }
    if (any && t > makespanS) makespanS = t;
  }
  return objective.score({
    makespanS, meanDeliveryS: count ? sum / count : 0, weightedMeanDeliveryS: wtot ? wsum / wtot : 0, latenessS,
  });
}

/** When robot k can start loading its first trip. */
export function robotReadyS(input: RoundInput, k: number): number {
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

/**
 * Longest trip first onto the robot free first, after the trips already in `base` (kept as its
 * fixed head); new trips load no earlier than `notBeforeS`. Then, per robot, the new trips go
 * medicine first and short first.
 */
export function lptSchedule(input: RoundInput, trips: number[][], base: Schedule, notBeforeS: number): Schedule {
  const sched: Schedule = base.map((t) => t.slice());
  const head = sched.map((t) => t.length);
  const timed = timeSchedule(input, sched, { minimise: true, medicineWeight: 1, score: () => 0 });
  const free = input.robots.map((_, k) => Math.max(notBeforeS, timed.robots[k]!.trips.length ? timed.robots[k]!.finishS : robotReadyS(input, k)));
  const dur = trips.map((t) => tripDurationS(input, t));
  const order = trips.map((_, i) => i).sort((a, b) => dur[b]! - dur[a]! || a - b);
  for (const i of order) {
    let best = -1;
    for (let k = 0; k < free.length; k++) {
      if (trips[i]!.length > input.robots[k]!.trays) continue;
      if (best < 0 || free[k]! < free[best]!) best = k;
    }
    sched[best]!.push({ reqs: trips[i]!, notBeforeS });
    free[best] = free[best]! + dur[i]!;
  }
  const hasMed = (t: Trip) => t.reqs.some((q) => input.requests[q]!.priority === 'medicine');
  for (let k = 0; k < sched.length; k++) {
    const tail = sched[k]!.splice(head[k]!);
    tail.sort((a, b) => Number(hasMed(b)) - Number(hasMed(a)) || tripDurationS(input, a.reqs) - tripDurationS(input, b.reqs));
    sched[k]!.push(...tail);
  }
  return sched;
}

/**
 * First-improvement descent over trip moves between and within robots, trip swaps and trip
 * reversals. `fixed[k]` trips at the head of robot k are not touched (already departed).
 */
export function improveSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective, fixed: readonly number[],
  deadline: () => boolean): Schedule {
  let best = scoreSchedule(input, sched, objective);
  const K = sched.length;
  const tryIt = (): boolean => {
    const v = scoreSchedule(input, sched, objective);
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
    if (!improved && !deadline()) improved = relocateStops(input, sched, fixed, tryIt, deadline);
  }
  for (const trips of sched) for (let i = trips.length - 1; i >= 0; i--) if (trips[i]!.reqs.length === 0) trips.splice(i, 1);
  return sched;
}

/** Moves single stops between (or within) movable trips with a free tray; true if any helped. */
function relocateStops(input: RoundInput, sched: Schedule, fixed: readonly number[], tryIt: () => boolean,
  deadline: () => boolean): boolean {
  let improved = false;
  const K = sched.length;
  for (let a = 0; a < K; a++) {
    for (let i = fixed[a]!; i < sched[a]!.length; i++) {
      const from = sched[a]![i]!.reqs;
      for (let p = 0; p < from.length; p++) {
        if (deadline()) return improved;
        const q = from[p]!;
        from.splice(p, 1);
        let done = false;
        for (let b = 0; b < K && !done; b++) {
          const trays = input.robots[b]!.trays;
          for (let j = fixed[b]!; j < sched[b]!.length && !done; j++) {
            const to = sched[b]![j]!.reqs;
            if (to.length >= trays && to !== from) continue;
            for (let x = 0; x <= to.length; x++) {
              if (to === from && x === p) continue;
              to.splice(x, 0, q);
              if (tryIt()) { done = true; break; }
              to.splice(x, 1);
            }
          }
        }
        if (done) { improved = true; p--; continue; }
        from.splice(p, 0, q);
      }
    }
  }
  return improved;
}

/** By-floor loading: consecutive door indices fill the trays of the robot back first. */
export function byFloorSchedule(input: RoundInput): Schedule {
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
