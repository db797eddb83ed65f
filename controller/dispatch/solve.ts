/**
 * The routing engine: SISR ruin-and-recreate under simulated annealing, optionally with cycles of
 * route removal (`fleet-min.ts`); anytime under a time limit, deterministic for a seed and a
 * clock. See `ruin-recreate.ts` for the operators.
 */
import { neighbourLists, recreate, ruin, sortRemoved, SISR_DEFAULTS, type RuinRecreateParams } from './ruin-recreate.js';
import { RouteState, RouteUndo } from './route-state.js';
import { minimiseRoutes } from './fleet-min.js';
import { seededRandom } from '../../protocol/index.js';
import type { ClockMs, VrpProblem, VrpSolution } from './types.js';

/** Options of {@link solveVrp}. */
export interface SolveOptions {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Wall-clock budget in ms; requires `clock`. */
  readonly timeLimitMs?: number;
  /** Monotonic clock in ms. Without one, only `maxIterations` bounds the run. */
  readonly clock?: ClockMs;
  /** Iteration budget (default 20 000 without a clock, unbounded with one). */
  readonly maxIterations?: number;
  /** Start from these routes (per vehicle) instead of an empty solution; unplaced customers are inserted. */
  readonly initialRoutes?: readonly (readonly number[])[];
  /**
   * Initial SA temperature as a fraction of the mean leg cost (default 0.1 without time windows,
   * 0.2 with them; the paper's 100 on 1000-wide maps is about 0.2). At 2 s CPU on CVRPLIB
   * E-n76-k8/k10/k14 and E-n101-k8/k14, seeds 1-3, the mean gap was 0.22 % at 0.1 against 0.31 %
   * at 0.2 (0.30 % with a ten times lower end temperature, 0.35 % with 15 customers removed on
   * average); on Solomon at 10 s, 0.1 left R101 at 19 routes, 0.49 % above the best known.
   */
  readonly startTemperature?: number;
  /** Final SA temperature as a fraction of the mean leg cost (default 0.002). */
  readonly endTemperature?: number;
  /**
   * Allow capacity overloads during the search at an adaptive penalty (default true). Only
   * capacity-feasible solutions become the best. Set false to keep capacity hard throughout.
   */
  readonly softCapacity?: boolean;
  /**
   * After 40 % of the budget (time, or iterations without a clock), try three times to take a
   * route out of the best solution (`fleet-min.ts`) and anneal again from there (default false).
   * For time windows wide enough that one route less is cheaper (Solomon C2), where the cost
   * search alone can stay one route too many. Off by default: on the six Solomon instances of
   * bench:dispatch it did not help (R101, R201, RC101, RC201 × 3 seeds, mean gap 0.125 % without,
   * 0.233 % with at 200 000 iterations; RC201 ends at 8 routes where the best known has 9).
   */
  readonly routeRemoval?: boolean;
  /** Operator parameters (default: the paper's). */
  readonly params?: RuinRecreateParams;
  /** Called with each new best solution (e.g. to release a first trip early). */
  readonly onImprove?: (best: VrpSolution, iteration: number) => void;
}

/** Statistics of a run. */
export interface SolveStats {
  readonly iterations: number;
  readonly elapsedMs: number;
}

/**
 * Solves a routing problem. Minimises the number of unplaced customers first, then total cost.
 * With a deterministic clock (or none) the result is a pure function of problem and options.
 */
export function solveVrp(problem: VrpProblem, options: SolveOptions = {}): VrpSolution & { stats: SolveStats } {
  const rand = seededRandom(options.seed ?? 1);
  const clock = options.clock;
  const t0 = clock ? clock() : 0;
  const limitMs = clock && options.timeLimitMs !== undefined ? options.timeLimitMs : Infinity;
  const maxIter = options.maxIterations ?? (Number.isFinite(limitMs) ? Infinity : 20_000);
  const params = options.params ?? SISR_DEFAULTS;
  const s = new RouteState(problem);
  const V = problem.vehicles.length;
  const meanLeg = meanCustomerLeg(problem);
  const T0 = (options.startTemperature ?? (problem.hasTimeWindows ? 0.2 : 0.1)) * meanLeg;
  const Tf = (options.endTemperature ?? 0.002) * meanLeg;
  const penalty = 1e6 * (maxLeg(problem) + 1);

  // Initial solution: given routes (if any), then greedy insertion of everything else.
  let unassigned: number[] = [];
  if (options.initialRoutes) {
    options.initialRoutes.forEach((r, v) => {
      if (v < V && r.length) s.setRoute(v, r);
    });
  }
  // Neighbour lists only when the search runs, so construction-only calls (maxIterations 0) stay fast.
  const adj = maxIter > 0 ? neighbourLists(s) : null;
  const near = problem.customers.length >= params.granularFrom ? adj : null;
  {
    const todo = Array.from(problem.customers).filter((c) => s.routeOf[c] === -1);
    sortRemoved(s, todo, rand);
    recreate(s, todo, rand, () => {}, unassigned, { near, nearCount: params.insertNeighbours });
  }
  const soft = options.softCapacity ?? true;
  let lambda = soft ? meanLeg / Math.max(1e-9, meanDemand(problem)) : Infinity;
  const objOf = (total: number, excess: number, left: number) => total + (excess > 0 ? lambda * excess : 0) + penalty * left;
  let bestObj = objOf(s.total, s.excess, unassigned.length);
  let bestRoutes = s.routes.map((r) => r.slice());
  let bestUnassigned = unassigned.slice();
  let iter = 0;
  const budgetUsed = (it = iter) => Math.max(clock && Number.isFinite(limitMs) ? (clock() - t0) / limitMs : 0, Number.isFinite(maxIter) ? it / maxIter : 0);
  const undo = new RouteUndo(s);
  const removed: number[] = [];
  const left: number[] = [];

  /** SISR under simulated annealing from the solution in `s` until `until` of the budget is used. */
  const anneal = (until: number) => {
    const from = budgetUsed();
    let curTotal = s.total;
    let curExcess = s.excess;
    let curObj = objOf(curTotal, curExcess, unassigned.length);
    let frac = 0;
    let feasibleSeen = 0;
    for (let k = 0; iter < maxIter; iter++, k++) {
      if ((k & 63) === 0 || !clock) {
        const u = budgetUsed();
        if (u >= until) break;
        frac = (u - from) / (until - from);
      }
      if (soft && k % 100 === 99) {
        // Keep the walk near the capacity border: about half of the visited states feasible.
        if (feasibleSeen < 30) lambda *= 1.3;
        else if (feasibleSeen > 70) lambda /= 1.3;
        feasibleSeen = 0;
        curObj = objOf(curTotal, curExcess, unassigned.length);
      }
      const T = T0 * (Tf / T0) ** frac;
      removed.length = 0;
      left.length = 0;
      for (const c of unassigned) removed.push(c);
      ruin(s, adj!, params, rand, removed, undo.touch);
      sortRemoved(s, removed, rand);
      recreate(s, removed, rand, undo.touch, left, { blinkRate: params.blinkRate, capacityPenalty: lambda, near, nearCount: params.insertNeighbours });
      const newObj = objOf(s.total, s.excess, left.length);
      if (newObj < curObj - T * Math.log(rand())) {
        undo.commit();
        curObj = newObj;
        curTotal = s.total;
        curExcess = s.excess;
        unassigned = left.slice();
        const cand = s.total + penalty * left.length;
        if (s.excess === 0 && cand < bestObj - 1e-9) {
          bestObj = cand;
          bestRoutes = s.routes.map((r) => r.slice());
          bestUnassigned = unassigned.slice();
          options.onImprove?.(snapshot(problem, bestRoutes, bestUnassigned), iter);
        }
      } else {
        undo.revert();
      }
      if (curExcess === 0) feasibleSeen++;
    }
  };

  if (!options.routeRemoval) anneal(1);
  else {
    // The cost search, then three cycles of: take a route out of the best solution and place its
    // customers in the others (fleet-min.ts), anneal again from there. A cycle whose fewer routes
    // cost more leaves the best as it was; its annealing was a restart.
    anneal(0.4);
    for (const end of [0.6, 0.8, 1]) {
      if (iter >= maxIter) break;
      loadRoutes(s, bestRoutes);
      unassigned = bestUnassigned.slice();
      const stopAt = end - 0.13;
      iter += minimiseRoutes(s, adj!, params, rand, 1, (a) => iter + a >= maxIter || ((!clock || (a & 63) === 0) && budgetUsed(iter + a) >= stopAt));
      anneal(end);
    }
  }
  const elapsedMs = clock ? clock() - t0 : 0;
  return { ...snapshot(problem, bestRoutes, bestUnassigned), stats: { iterations: iter, elapsedMs } };
}

/** Puts per-vehicle `routes` into `s` (every customer not in them unassigned). */
function loadRoutes(s: RouteState, routes: readonly (readonly number[])[]): void {
  for (const r of s.routes) for (const c of r) s.routeOf[c] = -1;
  routes.forEach((r, v) => s.setRoute(v, r));
}

function snapshot(p: VrpProblem, routes: number[][], unassigned: number[]): VrpSolution {
  return { routes: routes.map((r) => r.slice()), unassigned: unassigned.slice(), cost: routesCost(p, routes) };
}

/** Total cost of per-vehicle routes under `costMatrix`. */
export function routesCost(p: VrpProblem, routes: readonly (readonly number[])[]): number {
  const N = p.nodeCount;
  let cost = 0;
  routes.forEach((route, v) => {
    if (route.length === 0) return;
    const veh = p.vehicles[v]!;
    let prev = veh.startNode;
    for (const c of route) {
      cost += p.costMatrix[prev * N + c]!;
      prev = c;
    }
    cost += p.costMatrix[prev * N + veh.endNode]!;
  });
  return cost;
}

function meanCustomerLeg(p: VrpProblem): number {
  const N = p.nodeCount;
  let sum = 0;
  let k = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++)
      if (i !== j) {
        sum += p.costMatrix[i * N + j]!;
        k++;
      }
  return k ? sum / k : 1;
}

function meanDemand(p: VrpProblem): number {
  let sum = 0;
  for (const c of p.customers) sum += p.demand[c]!;
  return p.customers.length ? sum / p.customers.length : 0;
}

function maxLeg(p: VrpProblem): number {
  let m = 0;
  for (const x of p.costMatrix) if (x > m && Number.isFinite(x)) m = x;
  return m;
}
