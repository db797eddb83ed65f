import { describe, expect, it } from 'vitest';
import { improveRound, MAKESPAN_THEN_DELIVERY, planRound, timeSchedule, validateRoundInput } from '../dispatch/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { firstTripWays, queueOf, remainingProblem, roundLifts, scheduleOf, unplannedRequests } from './round-input.js';

describe('roundLifts', () => {
  it("gives each leg the rides of the route a robot drives, within the leg's time", async () => {
    const site = await loadSite('hotel');
    const graph = new SiteGraph(site);
    const rooms = ['101', '112', '124', '305', '320', '801'];
    const requests = rooms.map((room) => ({ room, priority: 'meal' as const }));
    const robots = [
      { id: 'a', trays: 4, availableInS: 0 },
      { id: 'b', trays: 4, availableInS: 0 },
    ];
    const problem = remainingProblem(
      graph,
      requests,
      requests.map((_, i) => i),
      robots,
      { doorServiceS: 45, loadSPerTray: 10 },
      0,
    );
    const input = { ...problem.input, lifts: roundLifts(graph, problem.nodes) };
    expect(validateRoundInput(input)).toEqual([]);
    problem.nodes.forEach((a, i) =>
      problem.nodes.forEach((b, j) => {
        const lifts = graph
          .route(a, b)!
          .hops.filter((h) => h.lift)
          .map((h) => site.lifts.findIndex((l) => l.id === h.lift));
        const rides = input.lifts.rides[i]![j]!;
        expect(rides.map((r) => r.car)).toEqual(lifts);
        for (const r of rides) expect(r.atS + r.rideS).toBeLessThanOrEqual(input.travelS[i]![j]! + 1e-9);
        if (graph.node(a).level === graph.node(b).level) expect(rides).toEqual([]);
      }),
    );
    const plan = planRound(input, { seed: 1, maxIterations: 50 });
    // Every trip leaves the ground floor and comes back: at least two rides each.
    for (const trip of plan.robots.flatMap((r) => r.trips)) expect(trip.rides.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the cars a trip rides', () => {
  it("offers a trip's way up the other car, not the legs between doors or down, and hands a trip the car the plan picked", async () => {
    const site = await loadSite('hotel');
    const graph = new SiteGraph(site);
    const requests = ['301', '302', '303', '304', '305', '306', '307', '308'].map((room) => ({ room, priority: 'meal' as const }));
    const robots = [
      { id: 'a', trays: 4, availableInS: 0 },
      { id: 'b', trays: 4, availableInS: 0 },
    ];
    const problem = remainingProblem(graph, requests, [0, 1, 2, 3, 4, 5, 6, 7], robots, { doorServiceS: 45, loadSPerTray: 10 }, 0);
    const { lifts } = problem.input;
    expect(validateRoundInput(problem.input)).toEqual([]);
    // Station to a third-floor door: the shortest way rides one car, the other way the other car, and takes longer.
    const ways = lifts!.ways![0]![1]!;
    expect(ways).toHaveLength(1);
    expect(ways[0]!.rides.map((r) => r.car)).toEqual(lifts!.rides[0]![1]!.map((r) => 1 - r.car));
    expect(ways[0]!.travelS).toBeGreaterThanOrEqual(problem.input.travelS[0]![1]!);
    expect(lifts!.ways![1]![2]).toEqual([]);
    expect(lifts!.rides[1]![0]!.length).toBeGreaterThan(0);
    expect(lifts!.ways![1]![0]).toEqual([]);

    // Both robots leave one load apart for the same floor: the second takes the other car up.
    const queue = new Map([
      ['a', [[0, 1, 2, 3]]],
      ['b', [[4, 5, 6, 7]]],
    ]);
    const plan = timeSchedule(problem.input, scheduleOf(problem, queue), MAKESPAN_THEN_DELIVERY);
    const [up] = plan.robots[1]!.trips[0]!.rides;
    expect(up).toMatchObject({ leg: 0, way: 1 });
    const picked = firstTripWays(graph, problem, plan, 1);
    expect(picked[0]).toEqual({ from: graph.loadingStation.id, to: graph.roomNodes.get('305')!.id, lift: site.lifts[up!.car]!.id });
    // The route that car gives rides it.
    expect(
      graph
        .route(picked[0]!.from, picked[0]!.to, { lift: picked[0]!.lift })!
        .hops.filter((h) => h.lift)
        .map((h) => h.lift),
    ).toEqual([picked[0]!.lift]);
  });

  it('a robot on a round trip queues for the cars on its way home from its last door', async () => {
    const graph = new SiteGraph(await loadSite('hotel'));
    const requests = ['301', '302', '501'].map((room) => ({ room, priority: 'meal' as const }));
    const robots = [
      { id: 'a', trays: 4, availableInS: 300, lastRoom: '501' },
      { id: 'b', trays: 4, availableInS: 0 },
    ];
    const problem = remainingProblem(graph, requests, [0, 1], robots, { doorServiceS: 45, loadSPerTray: 10 }, 0);
    const door = problem.nodeOf('501');
    expect(problem.input.robots[0]).toEqual({ id: 'a', trays: 4, availableAtS: 300 - problem.input.travelS[door]![0]!, startIndex: door });
    expect(problem.input.robots[1]).toEqual({ id: 'b', trays: 4, availableAtS: 0 });
  });
});

describe('scheduleOf', () => {
  const requests = ['101', '102', '103', '104', '201', '202', '203', '204', '301', '302'].map((room) => ({ room, priority: 'meal' as const }));
  const times = { doorServiceS: 45, loadSPerTray: 10 };

  it('keeps the trips queued for a robot that is not online, so a re-plan does not drop their rooms', async () => {
    const graph = new SiteGraph(await loadSite('hotel'));
    // robot-3 went offline (or is not back after a restart) with two trips queued.
    const queue = new Map([
      ['robot-1', [[0, 1]]],
      ['robot-2', [[2, 3], [4]]],
      [
        'robot-3',
        [
          [5, 6, 7],
          [8, 9],
        ],
      ],
    ]);
    const pending = [...queue.values()].flat(2);
    const online = [
      { id: 'robot-1', trays: 4, availableInS: 0 },
      { id: 'robot-2', trays: 4, availableInS: 0 },
    ];
    const problem = remainingProblem(graph, requests, pending, online, times, 0);
    const schedule = scheduleOf(problem, queue);
    expect(schedule).toHaveLength(2);
    const scheduled = schedule.flat().flatMap((t) => t.reqs.map((r) => problem.requestIds[r]));
    expect(scheduled.sort((a, b) => a! - b!)).toEqual([...pending].sort((a, b) => a - b));
    // The orphaned trips go to the robot with fewest trips first.
    expect(schedule.map((trips) => trips.length)).toEqual([3, 2]);

    // And a re-plan from it keeps every room.
    const current = timeSchedule(problem.input, schedule, MAKESPAN_THEN_DELIVERY);
    const better = improveRound(problem.input, current, 0, { seed: 3, maxIterations: 200 });
    const requeued = [...queueOf(problem, better).values()].flat(2);
    expect(requeued.sort((a, b) => a - b)).toEqual([...pending].sort((a, b) => a - b));
    expect(unplannedRequests(requests.length, [], queueOf(problem, better))).toEqual([]);
  });

  it('with every robot online is the queue as it stands', async () => {
    const graph = new SiteGraph(await loadSite('hotel'));
    const queue = new Map([
      ['robot-1', [[0, 1]]],
      ['robot-2', [[2, 3]]],
    ]);
    const online = [
      { id: 'robot-1', trays: 4, availableInS: 0 },
      { id: 'robot-2', trays: 4, availableInS: 0 },
    ];
    const problem = remainingProblem(graph, requests, [0, 1, 2, 3], online, times, 0);
    expect(scheduleOf(problem, queue).map((trips) => trips.map((t) => t.reqs.map((r) => problem.requestIds[r])))).toEqual([[[0, 1]], [[2, 3]]]);
  });
});
