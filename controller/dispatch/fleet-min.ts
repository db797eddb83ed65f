/**
 * Route minimisation for time windows (SISR's fleet minimisation, Christiaens & Vanden Berghe
 * 2020, section 5): take a route out, keep its customers in a bank, and ruin-and-recreate with no
 * more routes than are left. An attempt is kept when it leaves fewer customers in the bank, or
 * customers that were left out less often so far (the absence counts steer the search towards
 * placing the hard ones). When the bank empties, the solution has one route less; take the next.
 *
 * Why: with wide windows the cost search alone stagnates at one route too many (Solomon C204 at
 * 617.2 with 4 routes for 2 to 30 s, against 588.1 with 3): the states between 4 and 3 routes
 * cost more, so annealing never crosses them.
 */
import { recreate, ruin, sortRemoved, type RuinRecreateParams } from './ruin-recreate.js';
import { RouteUndo, type RouteState } from './route-state.js';
import type { Random } from '../../protocol/index.js';

/**
 * Takes up to `routes` routes out of the complete solution in `s`, one after the other, until
 * `stop(attempts)` says so (attempts may empty further routes on the way). Leaves in `s` the complete solution with the fewest routes found (the
 * one it was given when none).
 * @returns the number of attempts made.
 */
export function minimiseRoutes(s: RouteState, adj: readonly Int32Array[], params: RuinRecreateParams, rand: Random, routes: number, stop: (attempt: number) => boolean): number {
  if (s.assigned < s.p.customers.length) return 0;
  const V = s.routes.length;
  const absences = new Int32Array(s.n);
  const undo = new RouteUndo(s);
  let best = s.routes.map((r) => r.slice());
  // Fewer routes than the demand needs (at the largest capacity) cannot be reached.
  let demand = 0;
  for (const c of s.p.customers) demand += s.p.demand[c]!;
  const minRoutes = Math.max(1, Math.ceil(demand / Math.max(...s.p.vehicles.map((v) => v.capacity)) - 1e-9));
  let maxRoutes = usedRoutes(s);
  let bank = maxRoutes > minRoutes ? takeRouteOut(s, rand) : [];
  maxRoutes = usedRoutes(s);
  const removed: number[] = [];
  const left: number[] = [];
  let attempt = 0;
  let taken = 0;
  for (; bank.length > 0 && !stop(attempt); attempt++) {
    removed.length = 0;
    left.length = 0;
    for (const c of bank) removed.push(c);
    ruin(s, adj, params, rand, removed, undo.touch);
    sortRemoved(s, removed, rand);
    recreate(s, removed, rand, undo.touch, left, {
      blinkRate: params.blinkRate,
      maxRoutes,
      near: s.p.customers.length >= params.granularFrom ? adj : null,
      nearCount: params.insertNeighbours,
    });
    const kept = left.length < bank.length || absenceSum(absences, left) < absenceSum(absences, bank);
    for (const c of left) absences[c]!++;
    if (kept) {
      undo.commit();
      bank = left.slice();
      if (bank.length === 0) {
        best = s.routes.map((r) => r.slice());
        bank = maxRoutes > minRoutes && ++taken < routes ? takeRouteOut(s, rand) : [];
        maxRoutes = usedRoutes(s);
      }
    } else {
      undo.revert();
    }
  }
  if (bank.length > 0) {
    for (const r of s.routes) for (const c of r) s.routeOf[c] = -1;
    for (let r = 0; r < V; r++) s.setRoute(r, best[r]!);
  }
  return attempt;
}

/** Empties the route with the fewest customers (ties at random) and returns its customers. */
function takeRouteOut(s: RouteState, rand: Random): number[] {
  let pick = -1;
  let ties = 0;
  for (let r = 0; r < s.routes.length; r++) {
    const len = s.routes[r]!.length;
    if (len === 0) continue;
    const best = pick < 0 ? Infinity : s.routes[pick]!.length;
    if (len < best) {
      pick = r;
      ties = 1;
    } else if (len === best && rand() * ++ties < 1) pick = r;
  }
  if (pick < 0) return [];
  const out = s.routes[pick]!.slice();
  for (const c of out) s.routeOf[c] = -1;
  s.setRoute(pick, []);
  return out;
}

function usedRoutes(s: RouteState): number {
  let k = 0;
  for (const r of s.routes) if (r.length > 0) k++;
  return k;
}

function absenceSum(absences: Int32Array, customers: readonly number[]): number {
  let sum = 0;
  for (const c of customers) sum += absences[c]!;
  return sum;
}
