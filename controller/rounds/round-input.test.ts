import { describe, expect, it } from 'vitest';
import { planRound, validateRoundInput } from '../dispatch/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { remainingProblem, roundLifts } from './round-input.js';

describe('roundLifts', () => {
  it('gives each leg the rides of the route a robot drives, within the leg\'s time', async () => {
    const site = await loadSite('hotel');
    const graph = new SiteGraph(site);
    const rooms = ['101', '112', '124', '305', '320', '801'];
    const requests = rooms.map((room) => ({ room, priority: 'meal' as const }));
    const robots = [{ id: 'a', trays: 4, availableInS: 0 }, { id: 'b', trays: 4, availableInS: 0 }];
    const problem = remainingProblem(graph, requests, requests.map((_, i) => i), robots, { doorServiceS: 45, loadSPerTray: 10 }, 0);
    const input = { ...problem.input, lifts: roundLifts(graph, problem.nodes) };
    expect(validateRoundInput(input)).toEqual([]);
    problem.nodes.forEach((a, i) => problem.nodes.forEach((b, j) => {
      const lifts = graph.route(a, b)!.hops.filter((h) => h.lift).map((h) => site.lifts.findIndex((l) => l.id === h.lift));
      const rides = input.lifts.rides[i]![j]!;
      expect(rides.map((r) => r.car)).toEqual(lifts);
      for (const r of rides) expect(r.atS + r.rideS).toBeLessThanOrEqual(input.travelS[i]![j]! + 1e-9);
      if (graph.node(a).level === graph.node(b).level) expect(rides).toEqual([]);
    }));
    const plan = planRound(input, { seed: 1, maxIterations: 50 });
    // Every trip leaves the ground floor and comes back: at least two rides each.
    for (const trip of plan.robots.flatMap((r) => r.trips)) expect(trip.rides.length).toBeGreaterThanOrEqual(2);
  });
});
