/**
 * Schedules of the meal-round planner: the two starting schedules (longest trip first; by
 * floor) and the descent that improves a schedule (timed by `round-timing.ts`). Internal to
 * `dispatch/`.
 */
import type { RoundInput, RoundObjective } from './round-types.js';
import type { workClock } from './types.js';
import { dispatchAsBack, scoreSchedule, serviceAt, timeSchedule, type Schedule, type Trip } from './round-timing.js';

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
  const free = input.robots.map((_, k) => Math.max(notBeforeS, timed.robots[k]!.finishS));
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
 * Weight of the balance term the descent adds to the objective: the squared seconds by which
 * each robot ends within one mean trip of the makespan, over that trip. Once several robots tie
 * at the makespan, moving work off one of them leaves the makespan where it is; the term lets
 * the descent take such steps. Small, so it never buys balance with makespan (0.2 did: 3790 s
 * instead of 3652 s on the 150-room hotel round); 0.05 gave 5–15 s shorter rounds than 0 over
 * four seeds.
 */
const BALANCE_WEIGHT = 0.05;

/**
 * Schedules the descent times between two looks at its deadline: a look is cheap on a real
 * clock, but a {@link workClock} moves 16 ms per look, and the descent used to look once per
 * robot and once per stop, so a 200 ms budget of work was about one pass of trip moves. 128
 * timings take 5–10 ms of real time on a 150-room round with lift queues (this machine, loaded).
 */
const EVALUATIONS_PER_CHECK = 128;

/**
 * First-improvement descent over trip moves between and within robots, trip swaps, trip
 * reversals, and single stops moved or exchanged between trips. `fixed[k]` trips at the head
 * of robot k are not touched (already departed). Moves are judged by the objective plus a
 * balance term (robot time within one mean trip of the makespan), so the descent can unload
 * robots tied at the makespan one by one; the schedule returned is the best seen by the
 * objective alone.
 */
export function improveSchedule(input: RoundInput, sched: Schedule, objective: RoundObjective, fixed: readonly number[], until: () => boolean): Schedule {
  const K = sched.length;
  const finishS = new Float64Array(K);
  let evaluations = 0;
  let checkAt = 0;
  let over = false;
  const deadline = (): boolean => {
    if (!over && evaluations >= checkAt) {
      checkAt = evaluations + EVALUATIONS_PER_CHECK;
      over = until();
    }
    return over;
  };
  const trips = sched.flat().filter((t) => t.reqs.length > 0);
  const windowS = trips.reduce((a, t) => a + tripDurationS(input, t.reqs), 0) / Math.max(1, trips.length);
  const evaluate = (): [number, number] => {
    evaluations++;
    const score = scoreSchedule(input, sched, objective, finishS);
    let makespanS = 0;
    for (let k = 0; k < K; k++) if (sched[k]!.length && finishS[k]! > makespanS) makespanS = finishS[k]!;
    let near = 0;
    for (let k = 0; k < K; k++) {
      const e = finishS[k]! - (makespanS - windowS);
      if (sched[k]!.length && e > 0) near += (e * e) / windowS;
    }
    return [score, score + BALANCE_WEIGHT * near];
  };
  const copy = () => sched.map((ts) => ts.map((t) => ({ reqs: t.reqs.slice(), notBeforeS: t.notBeforeS })));
  let [bestScore, current] = evaluate();
  let bestSched = copy();
  const tryIt = (): boolean => {
    const [score, value] = evaluate();
    if (value >= current - 1e-9) return false;
    current = value;
    if (score < bestScore - 1e-9) {
      bestScore = score;
      bestSched = copy();
    }
    return true;
  };
  let improved = true;
  while (improved && !deadline()) {
    improved = false;
    for (let a = 0; a < K && !deadline(); a++) {
      for (let i = fixed[a]!; i < sched[a]!.length; i++) {
        const trip = sched[a]![i]!;
        // Reverse the trip.
        trip.reqs.reverse();
        if (tryIt()) {
          improved = true;
          continue;
        }
        trip.reqs.reverse();
        // Move it to another robot or position.
        sched[a]!.splice(i, 1);
        const moved = placeFirstBetter(sched, fixed, trip, tryIt, (b, j) => trip.reqs.length > input.robots[b]!.trays || (b === a && j === i));
        if (moved) {
          improved = true;
          break;
        }
        sched[a]!.splice(i, 0, trip);
        // Swap with a trip of another robot.
        for (let b = a + 1; b < K; b++) {
          for (let j = fixed[b]!; j < sched[b]!.length; j++) {
            const other = sched[b]![j]!;
            if (trip.reqs.length > input.robots[b]!.trays || other.reqs.length > input.robots[a]!.trays) continue;
            sched[a]![i] = other;
            sched[b]![j] = trip;
            if (tryIt()) {
              improved = true;
              break;
            }
            sched[a]![i] = trip;
            sched[b]![j] = other;
          }
          if (sched[a]![i] !== trip) break;
        }
      }
    }
    if (!improved && !deadline()) improved = relocateStops(input, sched, fixed, tryIt, deadline);
    if (!improved && !deadline()) improved = exchangeStops(sched, fixed, tryIt, deadline);
    if (!improved && !deadline()) improved = splitStops(sched, fixed, tryIt, deadline);
  }
  for (let k = 0; k < K; k++) sched[k] = bestSched[k]!.filter((t) => t.reqs.length > 0);
  return sched;
}

/** Exchanges two stops of different movable trips (each takes the other's place); true if any helped. */
function exchangeStops(sched: Schedule, fixed: readonly number[], tryIt: () => boolean, deadline: () => boolean): boolean {
  const movable = sched.flatMap((trips, k) => trips.slice(fixed[k]!)).map((t) => t.reqs);
  let improved = false;
  for (let x = 0; x < movable.length; x++) {
    if (deadline()) return improved;
    const a = movable[x]!;
    for (let p = 0; p < a.length; p++) {
      for (let y = x + 1; y < movable.length; y++) {
        const b = movable[y]!;
        for (let q = 0; q < b.length; q++) {
          const u = a[p]!;
          a[p] = b[q]!;
          b[q] = u;
          if (tryIt()) {
            improved = true;
            continue;
          }
          b[q] = a[p]!;
          a[p] = u;
        }
      }
    }
  }
  return improved;
}

/**
 * Takes single stops out of movable trips of two or more stops onto a trip of their own, at any
 * movable position of any robot; true if any helped. Trips are built for least total travel,
 * and full: at the end of a round that leaves robots idle while others still have four doors to
 * go (in the simulated 150-room hotel round, robots came back up to 500 s apart), and only a
 * new trip lets an idle robot take some of them.
 */
function splitStops(sched: Schedule, fixed: readonly number[], tryIt: () => boolean, deadline: () => boolean): boolean {
  let improved = false;
  const K = sched.length;
  for (let a = 0; a < K; a++) {
    for (let i = fixed[a]!; i < sched[a]!.length; i++) {
      const from = sched[a]![i]!;
      for (let p = 0; p < from.reqs.length && from.reqs.length > 1; p++) {
        if (deadline()) return improved;
        const [q] = from.reqs.splice(p, 1);
        const own: Trip = { reqs: [q!], notBeforeS: from.notBeforeS };
        if (placeFirstBetter(sched, fixed, own, tryIt)) {
          improved = true;
          break;
        }
        from.reqs.splice(p, 0, q!);
      }
    }
  }
  return improved;
}

/** Moves single stops between (or within) movable trips with a free tray; true if any helped. */
function relocateStops(input: RoundInput, sched: Schedule, fixed: readonly number[], tryIt: () => boolean, deadline: () => boolean): boolean {
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
              if (tryIt()) {
                done = true;
                break;
              }
              to.splice(x, 1);
            }
          }
        }
        if (done) {
          improved = true;
          p--;
          continue;
        }
        from.splice(p, 0, q);
      }
    }
  }
  return improved;
}

/**
 * By-floor loading: consecutive door indices fill the trays of the robot back first, timed as
 * in {@link timeSchedule} (it waits for a loader and for its lift cars; the medic serves robots
 * as they come).
 */
export function byFloorSchedule(input: RoundInput): Schedule {
  const order = input.requests.map((_, i) => i).sort((a, b) => input.requests[a]!.room - input.requests[b]!.room || a - b);
  let i = 0;
  return dispatchAsBack(
    input,
    input.robots.map(() => []),
    (k) => {
      if (i === order.length) return undefined;
      const reqs = order.slice(i, i + input.robots[k]!.trays);
      i += reqs.length;
      return reqs;
    },
  );
}

/**
 * Puts `trip` at the first free position (robot by robot, after each robot's fixed trips) where
 * `tryIt` accepts the schedule, skipping positions `skip` rules out; leaves it there and returns
 * true, or leaves the schedule as it was and returns false.
 */
function placeFirstBetter(sched: Schedule, fixed: readonly number[], trip: Trip, tryIt: () => boolean, skip: (robot: number, position: number) => boolean = () => false): boolean {
  for (let b = 0; b < sched.length; b++) {
    for (let j = fixed[b]!; j <= sched[b]!.length; j++) {
      if (skip(b, j)) continue;
      sched[b]!.splice(j, 0, trip);
      if (tryIt()) return true;
      sched[b]!.splice(j, 1);
    }
  }
  return false;
}
