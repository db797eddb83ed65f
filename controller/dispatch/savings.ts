/**
 * Clarke & Wright (1964) parallel savings: the classic baseline and a fast construction.
 * Merges the route ending in i with the route starting at j in decreasing order of
 * s(i,j) = c(i,depot) + c(depot,j) − c(i,j), keeping capacity and time windows feasible.
 * Route reversal is allowed only for symmetric problems without time windows.
 */
import type { VrpProblem } from './types.js';

/** Result of {@link clarkeWright}: routes (depot left out) and their total cost. */
export interface SavingsResult {
  /** Routes in the order they were built; may exceed the fleet size (savings ignores it). */
  readonly routes: number[][];
  /** Total cost by `costMatrix`, depot of vehicle 0 at both ends. */
  readonly cost: number;
}

/** Builds a savings solution. Uses vehicle 0's start/end node, start time, deadline and capacity. */
export function clarkeWright(p: VrpProblem): SavingsResult {
  const N = p.nodeCount;
  const C = p.costMatrix;
  const veh = p.vehicles[0];
  if (!veh) throw new Error('problem has no vehicles');
  const s0 = veh.startNode;
  const e0 = veh.endNode;
  const symmetric = !p.hasTimeWindows && s0 === e0 && isSymmetric(p);
  const custs = Array.from(p.customers);
  const routeOf = new Int32Array(N).fill(-1);
  const routes: (number[] | null)[] = custs.map((c, k) => {
    routeOf[c] = k;
    return [c];
  });
  const load = custs.map((c) => p.demand[c]!);
  const pairs: { i: number; j: number; s: number }[] = [];
  for (const i of custs)
    for (const j of custs) {
      if (i === j || (symmetric && j < i)) continue;
      pairs.push({ i, j, s: C[i * N + e0]! + C[s0 * N + j]! - C[i * N + j]! });
    }
  pairs.sort((a, b) => b.s - a.s || a.i - b.i || a.j - b.j);
  for (const { i, j, s } of pairs) {
    if (s <= 0) break;
    const ri = routeOf[i]!;
    const rj = routeOf[j]!;
    if (ri === rj) continue;
    const A = routes[ri]!;
    const B = routes[rj]!;
    if (load[ri]! + load[rj]! > veh.capacity) continue;
    let merged: number[] | null = null;
    const iTail = A[A.length - 1] === i;
    const jHead = B[0] === j;
    if (iTail && jHead) merged = A.concat(B);
    else if (symmetric) {
      const iHead = A[0] === i;
      const jTail = B[B.length - 1] === j;
      if (iHead && jHead) merged = A.slice().reverse().concat(B);
      else if (iTail && jTail) merged = A.concat(B.slice().reverse());
      else if (iHead && jTail) merged = B.concat(A);
    }
    if (!merged || (p.hasTimeWindows && !timeFeasible(p, merged))) continue;
    routes[ri] = merged;
    routes[rj] = null;
    load[ri] = load[ri]! + load[rj]!;
    for (const c of B) routeOf[c] = ri;
  }
  const out = routes.filter((r): r is number[] => r !== null);
  let cost = 0;
  for (const r of out) {
    let prev = s0;
    for (const c of r) {
      cost += C[prev * N + c]!;
      prev = c;
    }
    cost += C[prev * N + e0]!;
  }
  return { routes: out, cost };
}

function isSymmetric(p: VrpProblem): boolean {
  const N = p.nodeCount;
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      if (p.costMatrix[i * N + j] !== p.costMatrix[j * N + i]) return false;
    }
  return true;
}

function timeFeasible(p: VrpProblem, route: readonly number[]): boolean {
  const N = p.nodeCount;
  const veh = p.vehicles[0]!;
  let t = veh.startTimeS;
  let prev = veh.startNode;
  for (const c of route) {
    t = Math.max(t + p.timeMatrix[prev * N + c]!, p.readyS[c]!);
    if (t > p.dueS[c]!) return false;
    t += p.serviceS[c]!;
    prev = c;
  }
  return t + p.timeMatrix[prev * N + veh.endNode]! <= veh.endDueS;
}
