/**
 * SISR ruin-and-recreate operators (Christiaens & Vanden Berghe 2020, "Slack Induction by String
 * Removals for Vehicle Routing Problems", Transportation Science 54(2)): adjacent string removal
 * (with split strings) and greedy insertion with blinks. Parameters follow the paper:
 * c̄ = 10 average removed customers, L_max = 10, split probability 0.5, split-depth β = 0.01,
 * blink rate 0.01, sort orders random:demand:far:close = 4:4:2:1.
 */
import type { RouteState } from './route-state.js';
import type { Random } from '../../protocol/index.js';

/** Tunable parameters of the ruin and recreate operators. */
export interface RuinRecreateParams {
  /** Average number of customers removed per ruin (paper: 10). */
  readonly avgRemoved: number;
  /** Maximum string length (paper: 10). */
  readonly maxStringLength: number;
  /** Probability of skipping an insertion position (paper: 0.01). */
  readonly blinkRate: number;
  /**
   * Insertion tries only the positions next to this many of a customer's nearest customers
   * (granular insertion, see {@link RecreateOptions.near}); all positions when the instance has
   * no more customers than this plus one. 40 measured best of 25, 40, 60 and 100 on Gehring &
   * Homberger R1, R2, RC1 (1,000 customers) at 15 s CPU: mean gap 4.44, 3.60, 3.42, 4.20 % with
   * seed 1, and 3.60 % (40) against 5.18 % (60) with seed 2. Fewer neighbours open more routes:
   * R2 (wide windows, 37 routes in the best known) gains, R1 (tight windows, 95) loses.
   */
  readonly insertNeighbours: number;
  /**
   * Granular insertion only for instances of at least this many customers. Below, trying every
   * position costs little, and granularity opened routes the search did not close again: Solomon
   * C201 (100 customers) ended at 4 routes, 6.4 % above the best known's 3, at 10 s with seed 1.
   */
  readonly granularFrom: number;
}

/** The paper's parameter values, and granular insertion from 400 customers. */
export const SISR_DEFAULTS: RuinRecreateParams = { avgRemoved: 10, maxStringLength: 10, blinkRate: 0.01, insertNeighbours: 40, granularFrom: 400 };

/** Customers of each customer sorted by increasing symmetrised cost (the paper's adj lists). */
export function neighbourLists(s: RouteState): Int32Array[] {
  const { p, n } = s;
  const C = p.costMatrix;
  const out: Int32Array[] = [];
  const custs = Int32Array.from(p.customers);
  // Keys in a typed array and a comparator without calls: 1.2 s at 1,000 customers with a key function.
  const key = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (const x of custs) key[x] = C[c * n + x]! + C[x * n + c]!;
    const others = custs.filter((x) => x !== c);
    others.sort((a, b) => key[a]! - key[b]! || a - b);
    out.push(others);
  }
  return out;
}

/**
 * Removes strings of consecutive customers from routes near a random seed customer.
 * Removed customers are appended to `removed`; touched routes are reported through `touch`.
 */
export function ruin(s: RouteState, adj: readonly Int32Array[], params: RuinRecreateParams, rand: Random, removed: number[], touch: (r: number) => void): void {
  const custs = s.p.customers;
  let nonEmpty = 0;
  for (const r of s.routes) if (r.length > 0) nonEmpty++;
  if (nonEmpty === 0) return;
  const lsMax = Math.min(params.maxStringLength, s.assigned / nonEmpty);
  const ksMax = (4 * params.avgRemoved) / (1 + lsMax) - 1;
  const ks = Math.floor(rand() * ksMax) + 1;
  let seed = custs[Math.floor(rand() * custs.length)]!;
  for (let tries = 0; s.routeOf[seed] === -1 && tries < 20; tries++) seed = custs[Math.floor(rand() * custs.length)]!;
  if (s.routeOf[seed] === -1) return;
  const ruined: number[] = [];
  const list = adj[seed]!;
  for (let k = -1; k < list.length && ruined.length < ks; k++) {
    const c = k < 0 ? seed : list[k]!;
    const r = s.routeOf[c]!;
    if (r < 0 || ruined.includes(r)) continue;
    ruined.push(r);
    touch(r);
    const route = s.routes[r]!;
    const len = route.length;
    const lMax = Math.min(len, lsMax);
    const l = Math.floor(rand() * lMax) + 1;
    const pos = route.indexOf(c);
    if (l < len && rand() < 0.5) {
      // Split string: a string of l + m customers around c, keeping m consecutive ones inside.
      let m = 1;
      while (l + m < len && rand() >= 0.01) m++;
      const span = l + m;
      const lo = Math.max(0, pos - span + 1);
      const hi = Math.min(pos, len - span);
      const start = lo + Math.floor(rand() * (hi - lo + 1));
      const keepAt = start + Math.floor(rand() * (l + 1));
      const kept: number[] = [];
      for (let i = 0; i < len; i++) {
        const inString = i >= start && i < start + span;
        const preserved = i >= keepAt && i < keepAt + m;
        if (inString && !preserved) {
          removed.push(route[i]!);
          s.routeOf[route[i]!] = -1;
        } else kept.push(route[i]!);
      }
      s.setRoute(r, kept);
    } else {
      const lo = Math.max(0, pos - l + 1);
      const hi = Math.min(pos, len - l);
      const start = lo + Math.floor(rand() * (hi - lo + 1));
      const cut = route.slice(start, start + l);
      for (const x of cut) {
        removed.push(x);
        s.routeOf[x] = -1;
      }
      const kept = route.slice(0, start).concat(route.slice(start + l));
      s.setRoute(r, kept);
    }
  }
}

/** Orders `removed` in place by one of the paper's criteria, chosen at random 4:4:2:1. */
export function sortRemoved(s: RouteState, removed: number[], rand: Random): void {
  const p = s.p;
  const u = rand() * 11;
  if (u < 4) {
    for (let i = removed.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = removed[i]!;
      removed[i] = removed[j]!;
      removed[j] = t;
    }
    return;
  }
  const depot = p.vehicles[0]?.startNode ?? 0;
  const N = s.n;
  if (u < 8) removed.sort((a, b) => p.demand[b]! - p.demand[a]! || a - b);
  else if (u < 10) removed.sort((a, b) => p.costMatrix[depot * N + b]! - p.costMatrix[depot * N + a]! || a - b);
  else removed.sort((a, b) => p.costMatrix[depot * N + a]! - p.costMatrix[depot * N + b]! || a - b);
}

/** Optional settings of {@link recreate}. */
export interface RecreateOptions {
  /** Probability of skipping an insertion position (default 0). */
  readonly blinkRate?: number;
  /**
   * Cost per demand unit above capacity (default Infinity: capacity is hard). With a finite one,
   * overloads are allowed at that cost (the search passes through overloaded states, as HGS does;
   * only feasible bests count).
   */
  readonly capacityPenalty?: number;
  /** At most this many routes are non-empty afterwards (the route-minimisation phase's cap). */
  readonly maxRoutes?: number;
  /**
   * Granular insertion (as HGS's granular neighbourhoods, Vidal 2022): each customer's customers
   * by closeness ({@link neighbourLists}). Only the positions next to its first `nearCount` of
   * them and the two ends of their routes are tried, besides an empty route; every position only
   * when none of those fits without overloading a route. Without it every position of every route
   * is tried: at 1,000 customers that was 70 % of the run's time, on positions far from the
   * customer that are almost never the cheapest.
   */
  readonly near?: readonly Int32Array[] | null;
  /** How many of `near` to use (default all). */
  readonly nearCount?: number;
}

/**
 * Greedily inserts each removed customer at its cheapest feasible position (skipping positions
 * with the blink probability). Customers with no feasible position are returned in `left`.
 * Time-window feasibility of a position is O(1) from the route's earliest and latest service
 * starts (Savelsbergh 1992).
 */
export function recreate(s: RouteState, removed: readonly number[], rand: Random, touch: (r: number) => void, left: number[], options: RecreateOptions = {}): void {
  const p = s.p;
  const N = s.n;
  const V = p.vehicles.length;
  const blinkRate = options.blinkRate ?? 0;
  const capacityPenalty = options.capacityPenalty ?? Infinity;
  const maxRoutes = options.maxRoutes ?? Infinity;
  const near = options.near ?? null;
  const nearCount = near ? Math.min(options.nearCount ?? Infinity, N) : 0;
  const granular = near !== null && nearCount < p.customers.length - 1;
  const groupSeen = new Int32Array(s.groupCount);
  const routeSeen = new Int32Array(V);
  let stamp = 0;
  let used = 0;
  if (maxRoutes < V) for (const r of s.routes) if (r.length > 0) used++;
  const best: Best = { cost: Infinity, route: -1, pos: -1, overloads: false, untilBlink: blinkGap(blinkRate, rand) };
  // No closures here: the loader's keepNames wraps each one created, a cost on every call.
  for (const c of removed) {
    stamp++;
    best.cost = Infinity;
    best.route = -1;
    best.pos = -1;
    best.overloads = false;
    if (granular) {
      const list = near[c]!;
      const k = Math.min(nearCount, list.length);
      for (let i = 0; i < k; i++) {
        const d = list[i]!;
        const r = s.routeOf[d]!;
        if (r < 0) continue;
        const at = s.posOf[d]!;
        if (routeSeen[r] !== stamp) {
          routeSeen[r] = stamp;
          const len = s.routes[r]!.length;
          bestInRoute(s, c, r, 0, 0, blinkRate, capacityPenalty, rand, best);
          bestInRoute(s, c, r, len, len, blinkRate, capacityPenalty, rand, best);
        }
        bestInRoute(s, c, r, at, at + 1, blinkRate, capacityPenalty, rand, best);
      }
      // One empty route per group of identical vehicles; stop once every group had its chance.
      for (let r = 0, groups = 0; r < V && groups < s.groupCount && used < maxRoutes; r++)
        if (s.routes[r]!.length === 0 && groupSeen[s.group[r]!] !== stamp) {
          groupSeen[s.group[r]!] = stamp;
          groups++;
          bestInRoute(s, c, r, 0, 0, blinkRate, capacityPenalty, rand, best);
        }
    }
    if (!granular || best.route < 0 || best.overloads) {
      // Every position: without granularity, or when neither a position near the customer nor a
      // new route fits (the fleet is used up) without overloading a route: with a tight fleet the
      // room is often in a far route, and the penalised near ones left customers unplaced. Far
      // positions while a new route fits are not tried: that made R2 (wide windows) end with 31
      // long routes at 8.6 % above the best known instead of 41 at 4.9 %.
      bestAnywhere(s, c, used < maxRoutes, groupSeen, stamp, blinkRate, capacityPenalty, rand, best);
    }
    const bestR = best.route;
    if (bestR < 0) {
      left.push(c);
      continue;
    }
    if (s.routes[bestR]!.length === 0) used++;
    touch(bestR);
    s.routes[bestR]!.splice(best.pos, 0, c);
    s.assigned++;
    s.recompute(bestR);
  }
}

/** The cheapest insertion found so far: its cost, route and position (route -1: none). */
interface Best {
  cost: number;
  route: number;
  pos: number;
  /** Whether the position overloads its route (a capacity penalty is part of its cost). */
  overloads: boolean;
  /** Positions still to try before the next blink (skipped one); Infinity without blinks. */
  untilBlink: number;
}

/**
 * How many positions to try before the next blink: geometric with the blink rate, so a position
 * is skipped with probability `blinkRate` as with a draw per position, at one draw per blink
 * instead of one per position. 40,000 iterations on CVRPLIB E-n101-k14 took 411 ms CPU against
 * 628 ms with a draw per position (best of 8 each, in one process on a loaded machine).
 */
function blinkGap(blinkRate: number, rand: Random): number {
  return blinkRate > 0 ? Math.floor(Math.log(1 - rand()) / Math.log(1 - blinkRate)) : Infinity;
}

/**
 * Tries every position of every route for customer c (one empty route per group of identical
 * vehicles, and none when `openNew` is false; `groupSeen` marks the groups tried with `stamp`)
 * and records in `best` any cheaper feasible one. The position loop of {@link bestInRoute} with
 * the matrices and the customer's data read once per customer, not once per route: with routes
 * of 5 to 15 customers (CVRPLIB E, Solomon) a call per route cost as much as its positions, and
 * an iteration on E-n76-k7 took about a tenth longer than this loop.
 */
function bestAnywhere(s: RouteState, c: number, openNew: boolean, groupSeen: Int32Array, stamp: number, blinkRate: number, capacityPenalty: number, rand: Random, best: Best): void {
  const p = s.p;
  const V = p.vehicles.length;
  const C = p.costMatrix;
  const T = p.timeMatrix;
  const CT = s.costTo;
  const TT = s.timeTo;
  const serviceS = p.serviceS;
  const tw = p.hasTimeWindows;
  const cn = c * s.n;
  const dem = p.demand[c]!;
  const ready = p.readyS[c]!;
  const due = p.dueS[c]!;
  const svc = serviceS[c]!;
  let b = best.cost;
  let untilBlink = best.untilBlink;
  let bestR = -1;
  let bestPos = -1;
  let bestOver = false;
  for (let r = 0; r < V; r++) {
    const route = s.routes[r]!;
    const len = route.length;
    if (len === 0) {
      if (!openNew || groupSeen[s.group[r]!] === stamp) continue;
      groupSeen[s.group[r]!] = stamp;
    }
    const veh = p.vehicles[r]!;
    const load = s.load[r]!;
    const over = load + dem - veh.capacity;
    let extra = 0;
    if (over > 1e-9) {
      if (capacityPenalty === Infinity) continue;
      extra = capacityPenalty * (over - Math.max(0, load - veh.capacity));
      if (extra >= b) continue;
    }
    const st = s.startT[r]!;
    const lt = s.latest[r]!;
    const legIn = s.legIn[r]!;
    for (let pos = 0; pos <= len; pos++) {
      if (--untilBlink < 0) {
        untilBlink = blinkGap(blinkRate, rand);
        continue;
      }
      const prev = pos === 0 ? veh.startNode : route[pos - 1]!;
      const next = pos === len ? veh.endNode : route[pos]!;
      const delta = CT[cn + prev]! + C[cn + next]! - legIn[pos]! + extra;
      if (delta >= b) continue;
      if (tw) {
        const depart = pos === 0 ? veh.startTimeS : st[pos - 1]! + serviceS[prev]!;
        let sc = depart + TT[cn + prev]!;
        if (sc < ready) sc = ready;
        if (sc > due) continue;
        const arrNext = sc + svc + T[cn + next]!;
        const lateNext = pos === len ? veh.endDueS : lt[pos]!;
        if (arrNext > lateNext) continue;
      }
      b = delta;
      bestR = r;
      bestPos = pos;
      bestOver = extra > 0;
    }
  }
  best.untilBlink = untilBlink;
  if (bestR >= 0) {
    best.cost = b;
    best.route = bestR;
    best.pos = bestPos;
    best.overloads = bestOver;
  }
}

/**
 * Tries positions lo..hi of route r for customer c and records in `best` any cheaper feasible
 * one. A function of its own rather than a closure in {@link recreate}: a closure's captured
 * variables are read from its context on every position, which made an iteration on Solomon
 * RC201 about a third slower.
 */
function bestInRoute(s: RouteState, c: number, r: number, lo: number, hi: number, blinkRate: number, capacityPenalty: number, rand: Random, best: Best): void {
  const p = s.p;
  const route = s.routes[r]!;
  const len = route.length;
  if (hi > len) hi = len;
  const veh = p.vehicles[r]!;
  let b = best.cost;
  let untilBlink = best.untilBlink;
  const over = s.load[r]! + p.demand[c]! - veh.capacity;
  let extra = 0;
  if (over > 1e-9) {
    if (capacityPenalty === Infinity) return;
    extra = capacityPenalty * (over - Math.max(0, s.load[r]! - veh.capacity));
    if (extra >= b) return;
  }
  const C = p.costMatrix;
  const T = p.timeMatrix;
  const CT = s.costTo;
  const TT = s.timeTo;
  const serviceS = p.serviceS;
  const tw = p.hasTimeWindows;
  const st = s.startT[r]!;
  const lt = s.latest[r]!;
  const legIn = s.legIn[r]!;
  const cn = c * s.n;
  const ready = p.readyS[c]!;
  const due = p.dueS[c]!;
  const svc = serviceS[c]!;
  let at = -1;
  for (let pos = lo; pos <= hi; pos++) {
    if (--untilBlink < 0) {
      untilBlink = blinkGap(blinkRate, rand);
      continue;
    }
    const prev = pos === 0 ? veh.startNode : route[pos - 1]!;
    const next = pos === len ? veh.endNode : route[pos]!;
    const delta = CT[cn + prev]! + C[cn + next]! - legIn[pos]! + extra;
    if (delta >= b) continue;
    if (tw) {
      const depart = pos === 0 ? veh.startTimeS : st[pos - 1]! + serviceS[prev]!;
      let sc = depart + TT[cn + prev]!;
      if (sc < ready) sc = ready;
      if (sc > due) continue;
      const arrNext = sc + svc + T[cn + next]!;
      const lateNext = pos === len ? veh.endDueS : lt[pos]!;
      if (arrNext > lateNext) continue;
    }
    b = delta;
    at = pos;
  }
  best.untilBlink = untilBlink;
  if (at >= 0) {
    best.cost = b;
    best.route = r;
    best.pos = at;
    best.overloads = extra > 0;
  }
}
