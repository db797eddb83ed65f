/**
 * Solving a parsed benchmark instance end to end: file numbering in and out, cost under the
 * benchmark's convention. Shared by the CLI, the benchmark and the tests.
 */
import { instanceToProblem, type VrpInstance } from './instance.js';
import { clarkeWright } from './savings.js';
import { routesCost, solveVrp, type SolveOptions } from './solve.js';

/** An answer in file numbering. */
export interface InstanceAnswer {
  /** Routes of file node ids, depot left out, empty routes dropped. */
  readonly routes: number[][];
  /** Total cost under the instance's convention (CVRPLIB integer; Solomon one decimal). */
  readonly cost: number;
  /** Customers left unplaced (file ids); non-empty only when the fleet limit made it impossible. */
  readonly unassigned: number[];
  /** Solver iterations run. */
  readonly iterations: number;
}

/** Solves an instance with the SISR engine. */
export function solveInstance(inst: VrpInstance, options: SolveOptions): InstanceAnswer {
  const p = instanceToProblem(inst);
  const sol = solveVrp(p, options);
  const ids = inst.fileIds;
  return {
    routes: sol.routes.filter((r) => r.length > 0).map((r) => r.map((c) => ids[c]!)),
    cost: roundCost(routesCost(p, sol.routes)),
    unassigned: sol.unassigned.map((c) => ids[c]!),
    iterations: sol.stats.iterations,
  };
}

/** The Clarke-Wright savings baseline for an instance, in file numbering. */
export function savingsInstance(inst: VrpInstance): { routes: number[][]; cost: number } {
  const res = clarkeWright(instanceToProblem(inst));
  return { routes: res.routes.map((r) => r.map((c) => inst.fileIds[c]!)), cost: roundCost(res.cost) };
}

/** Rounds away float noise from summing one-decimal legs. */
function roundCost(x: number): number {
  return Math.round(x * 1000) / 1000;
}
