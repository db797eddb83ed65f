/**
 * Core model of the routing engine: a capacitated vehicle routing problem with optional
 * time windows, service times, priorities and heterogeneous vehicle starts.
 *
 * Nodes are dense indices `0..nodeCount-1`. Matrices are row-major `from * nodeCount + to`
 * and may be asymmetric. Everything here is plain data: no I/O, no clock, no randomness.
 */

/** A routing problem as the solver sees it. Build one with {@link makeProblem}. */
export interface VrpProblem {
  /** Human-readable name, e.g. `A-n32-k5`. */
  readonly name: string;
  /** Number of nodes (depots and customers). */
  readonly nodeCount: number;
  /** Objective cost of each leg, row-major `nodeCount × nodeCount`. */
  readonly costMatrix: Float64Array;
  /** Travel time of each leg in seconds (or the file's time unit), row-major. */
  readonly timeMatrix: Float64Array;
  /** Node indices that must be visited exactly once. */
  readonly customers: Int32Array;
  /** Demand per node (0 for depots). */
  readonly demand: Float64Array;
  /** Service duration per node, same unit as `timeMatrix`. */
  readonly serviceS: Float64Array;
  /** Earliest service start per node (0 when unconstrained). */
  readonly readyS: Float64Array;
  /** Latest service start per node (`Infinity` when unconstrained). */
  readonly dueS: Float64Array;
  /** Vehicles; each may carry at most one route. Their count is the fleet limit. */
  readonly vehicles: readonly Vehicle[];
  /** True when any time window or vehicle return deadline is finite (enables TW checks). */
  readonly hasTimeWindows: boolean;
}

/** One vehicle (one route). Vehicles with equal fields are interchangeable. */
export interface Vehicle {
  /** Node the route starts from. */
  readonly startNode: number;
  /** Node the route ends at. */
  readonly endNode: number;
  /** Time the vehicle leaves `startNode`. */
  readonly startTimeS: number;
  /** Latest arrival at `endNode` (`Infinity` when unconstrained). */
  readonly endDueS: number;
  /** Capacity in demand units. */
  readonly capacity: number;
}

/** A solution: one route per vehicle (customer node indices in visit order, depots left out). */
export interface VrpSolution {
  /** `routes[v]` is the route of `problem.vehicles[v]`; may be empty. */
  readonly routes: number[][];
  /** Customers the solver could not place (only when the fleet limit or time windows forbid). */
  readonly unassigned: number[];
  /** Total cost by `costMatrix`. */
  readonly cost: number;
}

/** Inputs to {@link makeProblem}; omitted arrays default to "no constraint". */
export interface ProblemInput {
  name: string;
  nodeCount: number;
  costMatrix: Float64Array;
  timeMatrix?: Float64Array;
  customers: ArrayLike<number>;
  demand: ArrayLike<number>;
  serviceS?: ArrayLike<number>;
  readyS?: ArrayLike<number>;
  dueS?: ArrayLike<number>;
  vehicles: readonly Vehicle[];
}

/** Builds a {@link VrpProblem}, filling defaults and detecting whether time windows matter. */
export function makeProblem(input: ProblemInput): VrpProblem {
  const n = input.nodeCount;
  if (input.costMatrix.length !== n * n) throw new Error('costMatrix must be nodeCount^2');
  const fill = (a: ArrayLike<number> | undefined, v: number): Float64Array => {
    const out = new Float64Array(n).fill(v);
    if (a) for (let i = 0; i < n; i++) out[i] = a[i] ?? v;
    return out;
  };
  const readyS = fill(input.readyS, 0);
  const dueS = fill(input.dueS, Infinity);
  let hasTimeWindows = input.vehicles.some((v) => Number.isFinite(v.endDueS));
  for (let i = 0; i < n && !hasTimeWindows; i++) {
    if (Number.isFinite(dueS[i]!)) hasTimeWindows = true;
  }
  return {
    name: input.name,
    nodeCount: n,
    costMatrix: input.costMatrix,
    timeMatrix: input.timeMatrix ?? input.costMatrix,
    customers: Int32Array.from(input.customers),
    demand: fill(input.demand, 0),
    serviceS: fill(input.serviceS, 0),
    readyS,
    dueS,
    vehicles: input.vehicles,
    hasTimeWindows,
  };
}

/** A monotonic clock in milliseconds (the CLI passes `performance.now`). */
export type ClockMs = () => number;

/** Ms a {@link workClock} moves on each read: the planners read their clock 20–70 times in a real second of a 150-room round. */
export const WORK_MS_PER_READ = 16;

/**
 * A clock that moves {@link WORK_MS_PER_READ} ms each time it is read, so a time limit becomes
 * a fixed amount of search: the same input and seed give the same plan on any machine at any
 * load (a limit in real time gives another plan on a busier machine). About real time on an
 * unloaded machine of the project's size.
 */
export function workClock(): ClockMs {
  let ms = 0;
  return () => (ms += WORK_MS_PER_READ);
}
