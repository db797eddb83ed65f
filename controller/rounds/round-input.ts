import type { RoundInput, RoundLifts, RoundPlan, Schedule } from '../dispatch/index.js';
import type { SiteGraph } from '../site/index.js';
import type { PlannedWay } from '../trips/lift-balance.js';

/** One room request of a round as the controller keeps it. */
export interface RoundRequest {
  room: string;
  item?: string;
  priority: 'meal' | 'medicine';
  /** Clock ms the delivery should be done by. */
  readyByMs?: number;
}

/** Time model of a round, in seconds. */
export interface RoundTimes {
  /** At each door: the announcement and the expected wait for the resident. */
  doorServiceS: number;
  /** At the station, per tray (the medic). */
  loadSPerTray: number;
}

/** A planner input for the requests not sent yet, with the index maps back to the round. */
export interface RemainingProblem {
  input: RoundInput;
  /** Planner request index → round request index. */
  requestIds: number[];
  robotIds: string[];
  /** Site node id of each matrix index (0: the loading station). */
  nodes: string[];
}

/**
 * Builds the planner's input for `pending` requests: a travel-time matrix over the loading
 * station (index 0) and the doors involved (lifts included), the lift cars the robots queue for
 * (see {@link roundLifts}), and the robots with the seconds until each is back at the station;
 * a robot with `lastRoom` (the last door of its trip under way) is placed at that door when it
 * leaves it, so its way home queues for the cars with the others'. `extraRooms` adds doors to
 * the matrix without requests (for an urgent insertion).
 */
export function remainingProblem(
  graph: SiteGraph,
  requests: readonly RoundRequest[],
  pending: readonly number[],
  robots: readonly { id: string; availableInS: number; trays: number; lastRoom?: string }[],
  times: RoundTimes,
  nowMs: number,
  extraRooms: readonly string[] = [],
): RemainingProblem & { nodeOf: (room: string) => number } {
  const nodes = [graph.loadingStation.id];
  const index = new Map<string, number>();
  const nodeOf = (room: string) => {
    let i = index.get(room);
    if (i === undefined) {
      i = nodes.length;
      index.set(room, i);
      nodes.push(graph.roomNodes.get(room)!.id);
    }
    return i;
  };
  const plannerRequests = pending.map((q) => {
    const r = requests[q]!;
    return {
      room: nodeOf(r.room),
      priority: r.priority,
      ...(r.readyByMs !== undefined ? { readyBy: (r.readyByMs - nowMs) / 1000 } : {}),
    };
  });
  for (const room of extraRooms) nodeOf(room);
  const lastDoors = robots.map((r) => (r.lastRoom !== undefined && graph.roomNodes.has(r.lastRoom) ? nodeOf(r.lastRoom) : undefined));
  const travelS = nodes.map((a) => nodes.map((b) => graph.timeS(a, b)));
  // A robot on a trip leaves its last door that much before it is due back, and queues for the cars on its way home.
  const robotOf = (r: (typeof robots)[number], door: number | undefined) =>
    door === undefined
      ? { id: r.id, trays: r.trays, availableAtS: r.availableInS }
      : { id: r.id, trays: r.trays, availableAtS: Math.max(0, r.availableInS - travelS[door]![0]!), startIndex: door };
  return {
    input: {
      travelS,
      requests: plannerRequests,
      robots: robots.map((r, k) => robotOf(r, lastDoors[k])),
      serviceS: times.doorServiceS,
      loadSPerTray: times.loadSPerTray,
      lifts: roundLifts(graph, nodes),
    },
    requestIds: [...pending],
    robotIds: robots.map((r) => r.id),
    nodes,
    nodeOf,
  };
}

/**
 * The lift cars of a site as the planner's `RoundInput.lifts`, for a matrix over `nodes` (site
 * node ids, as {@link remainingProblem} returns them): robots then queue for the cars in the
 * plan's timing. Cars start at their lowest level, as the simulator's do.
 *
 * {@link remainingProblem} plans with it, and the round's trips ride the cars it times: the
 * car the plan picked up (`ways`, see {@link firstTripWays}), the shortest routes' otherwise
 * (the trip manager's `shortestRoutes`). Measured per trip in the simulated
 * 150-room hotel round (seed 1): driving and the medic's queue agree with the plan to the
 * second and door times on average; the plan without lift queues left out 1,335 s of waiting for
 * cars, and the trip manager's balancing between the cars, unknown to the plan, sent the
 * planner's trips 490 s out of their way. With both (makespan, seeds 1–3): 4184, 4406, 4232 s
 * instead of 4368, 4493, 4439 s.
 */
export function roundLifts(graph: SiteGraph, nodes: readonly string[]): RoundLifts {
  const lifts = graph.site.lifts;
  const rides = nodes.map((a) => {
    const from = graph.routesFrom(a);
    return nodes.map((b) => from.liftRides(b));
  });
  // A trip's way up from the station may ride any car; the plan picks (see RoundLifts.ways) and
  // the trip rides it. The way down keeps its shortest route: picked when the trip is sent, some
  // minutes ahead, its car was a guess (bench:round, seeds 1-3: makespan 1.008 × by-floor with
  // both picked, 0.975 with the way up only). Offering every pair of doors each car made a
  // 150-room input several times as slow to build (250 against 75 ms).
  const ways = nodes.map((a, i) => {
    const byCar = i === 0 && lifts.length > 1 ? lifts.map((lift) => graph.routesFrom(a, { lift: lift.id })) : [];
    return nodes.map((b, j) => {
      const shortest = rides[i]![j]!;
      if (!shortest.length || i > 0) return [];
      return byCar.flatMap((from, c) => {
        if (shortest.every((r) => r.car === c)) return [];
        const other = from.liftRides(b);
        return other.length ? [{ travelS: from.timeS(b), rides: other }] : [];
      });
    });
  });
  return { cars: lifts.map((l) => ({ perFloorS: l.perFloorS })), rides, ways };
}

/**
 * The legs of robot `k`'s first trip in `plan` that ride another car than their shortest way's,
 * as the plan picked them (the way up, see {@link roundLifts}).
 */
export function firstTripWays(graph: SiteGraph, problem: RemainingProblem, plan: RoundPlan, k: number): PlannedWay[] {
  const trip = plan.robots[k]?.trips[0];
  if (!trip) return [];
  const legs = [0, ...trip.stops.map((s) => s.room), 0].map((i) => problem.nodes[i]!);
  return trip.rides.filter((r) => r.way > 0).map((r) => ({ from: legs[r.leg]!, to: legs[r.leg + 1]!, lift: graph.site.lifts[r.car]!.id }));
}

/**
 * The queue of trips per robot (round request indices) as a planner schedule over the robots of
 * `problem`. Trips queued for a robot outside the problem (offline, or not back yet after a
 * controller restart) go to the robot of the problem with the fewest trips: a re-plan from
 * this schedule replaces the whole queue, and it used to drop them, leaving their rooms
 * `pending` with no trip that would ever take them.
 */
export function scheduleOf(problem: RemainingProblem, queue: ReadonlyMap<string, readonly (readonly number[])[]>): Schedule {
  const local = new Map(problem.requestIds.map((q, i) => [q, i]));
  const trip = (requests: readonly number[]) => ({ reqs: requests.map((q) => local.get(q)!), notBeforeS: 0 });
  const schedule = problem.robotIds.map((id) => (queue.get(id) ?? []).map(trip));
  const planned = new Set(problem.robotIds);
  for (const [robot, trips] of queue) {
    if (planned.has(robot) || schedule.length === 0) continue;
    for (const requests of trips) {
      const fewest = schedule.reduce((best, trips, k) => (trips.length < schedule[best]!.length ? k : best), 0);
      schedule[fewest]!.push(trip(requests));
    }
  }
  return schedule;
}

/**
 * Round requests that are neither on a trip sent nor in the queue: rooms no trip would ever
 * take. None, unless a store was written by a version that dropped them (see {@link scheduleOf}).
 */
export function unplannedRequests(requestCount: number, sent: readonly { requests: readonly number[] }[], queue: ReadonlyMap<string, readonly (readonly number[])[]>): number[] {
  const placed = new Set([...sent.flatMap((s) => s.requests), ...[...queue.values()].flat(2)]);
  return Array.from({ length: requestCount }, (_, q) => q).filter((q) => !placed.has(q));
}

/** A planner's plan as the queue of trips per robot (round request indices). */
export function queueOf(problem: RemainingProblem, plan: RoundPlan): Map<string, number[][]> {
  return new Map(plan.robots.map((r) => [r.robotId, r.trips.filter((t) => t.stops.length > 0).map((t) => t.stops.map((s) => problem.requestIds[s.request]!))]));
}
