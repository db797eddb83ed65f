/**
 * Mutable working solution of the routing engine with per-route caches (load, cost, earliest
 * service start, latest feasible service start) that make insertion checks O(1).
 * Internal to the engine; planners outside `dispatch/` use {@link solveVrp}.
 */
import type { VrpProblem } from './types.js';

/** Working solution. All arrays are owned; `recompute(r)` must follow any edit of `routes[r]`. */
export class RouteState {
  readonly p: VrpProblem;
  readonly n: number;
  readonly routes: number[][];
  readonly load: Float64Array;
  readonly cost: Float64Array;
  /**
   * Cost and travel time into each node, row by destination: `costTo[c * n + a]` is the leg a → c
   * (the matrices themselves when symmetric). Insertion of c reads rows of c only, which stay in
   * cache; reading the column of c from an 8 MB matrix at 1,000 customers cost a cache miss per
   * position tried.
   */
  readonly costTo: Float64Array;
  readonly timeTo: Float64Array;
  /**
   * Per route, the cost of the leg into each position (the first `length + 1` entries are valid,
   * the last into the end). Typed and sized for the longest route, so a route's change of length
   * never reshapes it.
   */
  readonly legIn: Float64Array[];
  /** Service start time per position (kept only when the problem has time windows). */
  readonly startT: number[][];
  /** Latest service start per position that keeps the rest of the route feasible (time windows only). */
  readonly latest: number[][];
  /** Vehicle index of each node, -1 when unassigned (or a depot). */
  readonly routeOf: Int32Array;
  /** Position of each assigned node in its route (stale when `routeOf` is -1). */
  readonly posOf: Int32Array;
  /** Equivalence class per vehicle (identical vehicles share one). */
  readonly group: Int32Array;
  readonly groupCount: number;
  total = 0;
  /** Sum over routes of load above capacity (0 when capacity-feasible). */
  excess = 0;
  assigned = 0;

  constructor(p: VrpProblem) {
    this.p = p;
    this.n = p.nodeCount;
    const V = p.vehicles.length;
    this.routes = Array.from({ length: V }, () => []);
    this.startT = Array.from({ length: V }, () => []);
    this.latest = Array.from({ length: V }, () => []);
    this.legIn = Array.from({ length: V }, (_, r) => {
      const legs = new Float64Array(p.nodeCount + 1);
      legs[0] = p.costMatrix[p.vehicles[r]!.startNode * p.nodeCount + p.vehicles[r]!.endNode]!;
      return legs;
    });
    this.costTo = transposed(p.costMatrix, p.nodeCount);
    this.timeTo = p.timeMatrix === p.costMatrix ? this.costTo : transposed(p.timeMatrix, p.nodeCount);
    this.load = new Float64Array(V);
    this.cost = new Float64Array(V);
    this.routeOf = new Int32Array(p.nodeCount).fill(-1);
    this.posOf = new Int32Array(p.nodeCount);
    this.group = new Int32Array(V);
    const keys = new Map<string, number>();
    p.vehicles.forEach((v, i) => {
      const k = `${v.startNode},${v.endNode},${v.startTimeS},${v.endDueS},${v.capacity}`;
      let g = keys.get(k);
      if (g === undefined) {
        g = keys.size;
        keys.set(k, g);
      }
      this.group[i] = g;
    });
    this.groupCount = keys.size;
  }

  /**
   * Recomputes the caches of route `r` from `routes[r]`. Service starts and latest starts only
   * with time windows: without, nothing reads them.
   */
  recompute(r: number): void {
    const p = this.p;
    const N = this.n;
    const C = p.costMatrix;
    const route = this.routes[r]!;
    const veh = p.vehicles[r]!;
    const len = route.length;
    let prev = veh.startNode;
    let load = 0;
    let cost = 0;
    const legIn = this.legIn[r]!;
    for (let i = 0; i < len; i++) {
      const c = route[i]!;
      this.routeOf[c] = r;
      this.posOf[c] = i;
      load += p.demand[c]!;
      const leg = C[prev * N + c]!;
      legIn[i] = leg;
      cost += leg;
      prev = c;
    }
    legIn[len] = C[prev * N + veh.endNode]!;
    if (len > 0) cost += legIn[len]!;
    if (p.hasTimeWindows) this.recomputeTimes(r);
    this.total += cost - this.cost[r]!;
    const cap = veh.capacity;
    this.excess += Math.max(0, load - cap) - Math.max(0, this.load[r]! - cap);
    if (Math.abs(this.excess) < 1e-9) this.excess = 0;
    this.cost[r] = cost;
    this.load[r] = load;
  }

  /** Earliest service starts forwards and latest feasible service starts backwards of route `r`. */
  private recomputeTimes(r: number): void {
    const p = this.p;
    const N = this.n;
    const T = p.timeMatrix;
    const route = this.routes[r]!;
    const veh = p.vehicles[r]!;
    const len = route.length;
    const st = this.startT[r]!;
    st.length = len;
    let prev = veh.startNode;
    let t = veh.startTimeS;
    let prevSvc = 0;
    for (let i = 0; i < len; i++) {
      const c = route[i]!;
      t = t + prevSvc + T[prev * N + c]!;
      const ready = p.readyS[c]!;
      if (t < ready) t = ready;
      st[i] = t;
      prevSvc = p.serviceS[c]!;
      prev = c;
    }
    const lt = this.latest[r]!;
    lt.length = len;
    let next = veh.endNode;
    let late = veh.endDueS;
    for (let i = len - 1; i >= 0; i--) {
      const c = route[i]!;
      const l = late - T[c * N + next]! - p.serviceS[c]!;
      const due = p.dueS[c]!;
      late = Math.min(l, due);
      lt[i] = late;
      next = c;
    }
  }

  /**
   * Replaces route `r` with a copy of `nodes`, updating caches and the assigned count.
   * Does not clear `routeOf` of nodes that leave the route: callers moving nodes between routes
   * clear first (restoring several routes in sequence would otherwise unmark moved nodes).
   */
  setRoute(r: number, nodes: readonly number[]): void {
    const route = this.routes[r]!;
    this.assigned += nodes.length - route.length;
    route.length = 0;
    for (const c of nodes) route.push(c);
    this.recompute(r);
  }

  /** True when every route's time windows, deadlines and capacities hold. */
  feasible(): boolean {
    for (let r = 0; r < this.routes.length; r++) {
      if (this.load[r]! > this.p.vehicles[r]!.capacity + 1e-9) return false;
      const st = this.startT[r]!;
      const lt = this.latest[r]!;
      for (let i = 0; i < st.length; i++) if (st[i]! > lt[i]! + 1e-6) return false;
    }
    return true;
  }
}

/**
 * Undo log of one ruin-and-recreate attempt: `touch(r)` saves route `r` before its first edit,
 * `revert` restores every saved route, `commit` forgets them.
 */
export class RouteUndo {
  private readonly touched: number[] = [];
  private readonly backup: number[][] = [];
  private readonly saved: Uint8Array;

  constructor(private readonly s: RouteState) {
    this.saved = new Uint8Array(s.routes.length);
  }

  /** Saves route `r` unless already saved in this attempt. */
  readonly touch = (r: number): void => {
    if (this.saved[r]) return;
    this.saved[r] = 1;
    this.touched.push(r);
    this.backup.push(this.s.routes[r]!.slice());
  };

  /** Restores the saved routes; customers the attempt moved between them get their old route back. */
  revert(): void {
    const s = this.s;
    for (const r of this.touched) for (const c of s.routes[r]!) s.routeOf[c] = -1;
    for (const [k, r] of this.touched.entries()) s.setRoute(r, this.backup[k]!);
    this.commit();
  }

  /** Keeps the routes as they are. */
  commit(): void {
    for (const r of this.touched) this.saved[r] = 0;
    this.touched.length = 0;
    this.backup.length = 0;
  }
}

/** The transpose of an n × n matrix, or the matrix itself when it is symmetric. */
function transposed(m: Float64Array, n: number): Float64Array {
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++)
    for (let j = i + 1; j < n; j++)
      if (m[i * n + j] !== m[j * n + i]) {
        symmetric = false;
        break;
      }
  if (symmetric) return m;
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j]!;
  return t;
}
