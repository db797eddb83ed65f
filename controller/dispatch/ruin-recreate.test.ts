import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../protocol/index.js';
import { instanceToProblem } from './instance.js';
import { randomInstance } from './random-instance.js';
import { RouteState } from './route-state.js';
import { neighbourLists, recreate } from './ruin-recreate.js';
import { makeProblem, type VrpProblem } from './types.js';

/** Cost of inserting c at `pos` of route r, or Infinity when a window, the end's due time or the capacity breaks. */
function insertionCost(s: RouteState, c: number, r: number, pos: number): number {
  const p = s.p;
  const N = s.n;
  const veh = p.vehicles[r]!;
  const route = [...s.routes[r]!.slice(0, pos), c, ...s.routes[r]!.slice(pos)];
  let load = 0;
  let t = veh.startTimeS;
  let prev = veh.startNode;
  let cost = 0;
  for (const x of route) {
    t += (prev === veh.startNode ? 0 : p.serviceS[prev]!) + p.timeMatrix[prev * N + x]!;
    t = Math.max(t, p.readyS[x]!);
    if (t > p.dueS[x]!) return Infinity;
    cost += p.costMatrix[prev * N + x]!;
    load += p.demand[x]!;
    prev = x;
  }
  if (load > veh.capacity || t + p.serviceS[prev]! + p.timeMatrix[prev * N + veh.endNode]! > veh.endDueS) return Infinity;
  return cost + p.costMatrix[prev * N + veh.endNode]! - s.cost[r]!;
}

/** A random problem with time windows and an asymmetric matrix (a → b dearer than b → a for a < b). */
function asymmetric(seed: number, customers: number): VrpProblem {
  const inst = randomInstance(seed, { customers, timeWindows: true, capacity: 80 });
  const base = instanceToProblem(inst);
  const n = base.nodeCount;
  const m = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) m[a * n + b] = base.costMatrix[a * n + b]! * (a < b ? 1.3 : 1);
  return makeProblem({ ...base, costMatrix: m, timeMatrix: m });
}

describe('granular insertion', () => {
  it('puts a customer at the cheapest feasible position next to one of its nearest customers, the end of their routes or a new route', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 8, max: 40 }), fc.integer({ min: 1, max: 5 }), (seed, customers, k) => {
        const p = asymmetric(seed, customers);
        const s = new RouteState(p);
        const rand = seededRandom(seed);
        recreate(s, Array.from(p.customers), rand, () => {}, []);
        const near = neighbourLists(s);
        const c = p.customers[Math.floor(rand() * customers)]!;
        const from = s.routeOf[c]!;
        s.routeOf[c] = -1;
        s.setRoute(
          from,
          s.routes[from]!.filter((x) => x !== c),
        );
        // The positions granular insertion may use, by brute force over the whole solution.
        let best = Infinity;
        const nearest = new Set(Array.from(near[c]!.slice(0, k)));
        let emptyTried = false;
        s.routes.forEach((route, r) => {
          if (route.length === 0) {
            if (!emptyTried) best = Math.min(best, insertionCost(s, c, r, 0));
            emptyTried = true;
            return;
          }
          for (let pos = 0; pos <= route.length; pos++) {
            const allowed = pos === 0 || pos === route.length || nearest.has(route[pos - 1]!) || nearest.has(route[pos]!);
            const inRouteOfNear = route.some((x) => nearest.has(x));
            if (allowed && inRouteOfNear) best = Math.min(best, insertionCost(s, c, r, pos));
          }
        });
        const before = s.total;
        const left: number[] = [];
        recreate(s, [c], rand, () => {}, left, { near, nearCount: k });
        expect(left).toEqual([]);
        expect(s.total - before).toBeCloseTo(best, 6);
        expect(s.feasible()).toBe(true);
      }),
      { numRuns: 60, seed: 17 },
    );
  });

  it('without neighbour lists puts a customer at the cheapest feasible position of any route, with and without time windows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 5, max: 40 }), fc.boolean(), (seed, customers, timeWindows) => {
        const p = timeWindows ? asymmetric(seed, customers) : instanceToProblem(randomInstance(seed, { customers, timeWindows: false, capacity: 60 }));
        const s = new RouteState(p);
        const rand = seededRandom(seed);
        recreate(s, Array.from(p.customers), rand, () => {}, []);
        const c = p.customers[Math.floor(rand() * customers)]!;
        const from = s.routeOf[c]!;
        s.routeOf[c] = -1;
        s.setRoute(
          from,
          s.routes[from]!.filter((x) => x !== c),
        );
        let best = Infinity;
        s.routes.forEach((route, r) => {
          for (let pos = 0; pos <= route.length; pos++) best = Math.min(best, insertionCost(s, c, r, pos));
        });
        const before = s.total;
        const left: number[] = [];
        recreate(s, [c], rand, () => {}, left);
        expect(left).toEqual([]);
        expect(s.total - before).toBeCloseTo(best, 6);
        expect(s.feasible()).toBe(true);
      }),
      { numRuns: 60, seed: 23 },
    );
  });

  it('tries every position when the fleet is used up and no position near the customer fits', () => {
    // Two routes: the one near customer 1 is full; the far one has room. With no third route to
    // open, the customer goes to the far route rather than being left out.
    const xy = [
      [0, 0],
      [10, 0],
      [11, 0],
      [-50, 0],
    ];
    const n = xy.length;
    const m = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) m[a * n + b] = Math.hypot(xy[a]![0]! - xy[b]![0]!, xy[a]![1]! - xy[b]![1]!);
    const vehicle = { startNode: 0, endNode: 0, startTimeS: 0, endDueS: Infinity, capacity: 10 };
    const p = makeProblem({ name: 'full', nodeCount: n, costMatrix: m, customers: [1, 2, 3], demand: [0, 5, 10, 5], vehicles: [vehicle, vehicle] });
    const s = new RouteState(p);
    s.setRoute(0, [2]);
    s.setRoute(1, [3]);
    const left: number[] = [];
    recreate(s, [1], seededRandom(1), () => {}, left, { near: neighbourLists(s), nearCount: 1 });
    expect(left).toEqual([]);
    expect(s.routeOf[1]).toBe(1);
    expect(s.feasible()).toBe(true);
  });

  it('keeps each route cost and leg cache equal to the routes, on an asymmetric matrix', () => {
    const p = asymmetric(4, 30);
    const s = new RouteState(p);
    recreate(s, Array.from(p.customers), seededRandom(4), () => {}, [], { near: neighbourLists(s), nearCount: 3 });
    const N = p.nodeCount;
    expect(s.assigned).toBe(30);
    s.routes.forEach((route, r) => {
      const nodes = [0, ...route, 0];
      const legs = nodes.slice(1).map((x, i) => p.costMatrix[nodes[i]! * N + x]!);
      expect(Array.from(s.legIn[r]!.subarray(0, legs.length))).toEqual(legs);
      route.forEach((x, i) => expect(s.posOf[x]).toBe(i));
    });
  });
});
