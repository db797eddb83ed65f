import { describe, expect, it } from 'vitest';
import { improveRound, MAKESPAN_THEN_DELIVERY, planRound, timeSchedule, validateRoundInput } from '../dispatch/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { queueOf, remainingProblem, roundLifts, scheduleOf, unplannedRequests } from './round-input.js';

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
