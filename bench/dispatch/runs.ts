/**
 * One benchmark run of the routing engine: read an instance and its best-known solution, solve
 * under a time limit, check the answer with the independent checker, report the gap and routes.
 */
import { readFileSync } from 'node:fs';
import { solveInstance } from '../../controller/dispatch/benchmark-run.js';
import { checkAnswer } from '../../controller/dispatch/check.js';
import { parseInstance, parseSolutionFile, type VrpInstance } from '../../controller/dispatch/instance.js';
import type { SolveOptions } from '../../controller/dispatch/solve.js';

/** An instance with its best-known cost and route count. */
export interface Benchmark {
  readonly inst: VrpInstance;
  readonly bks: number;
  readonly bksRoutes: number;
}

/** The outcome of one checked run. */
export interface Run {
  readonly cost: number;
  /** Percent above the best-known cost. */
  readonly gap: number;
  readonly routes: number;
  /** CPU time used. */
  readonly ms: number;
  readonly iterations: number;
  /** Checker errors, cost mismatches and unplaced customers; empty when the answer is sound. */
  readonly problems: string[];
}

/** Reads `path` and the `.sol` beside it; exits the process with `FILE:LINE: message` on a bad file. */
export function loadBenchmark(path: string): Benchmark {
  const parsed = parseInstance(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}:${parsed.error.line}: ${parsed.error.message}`);
  const sol = parseSolutionFile(readFileSync(path.replace(/\.(vrp|txt)$/, '.sol'), 'utf8'));
  return { inst: parsed.instance, bks: sol.cost, bksRoutes: sol.routes.length };
}

/**
 * CPU time of this process in ms. Budgets are CPU time, not wall time: on a machine shared with
 * other work a wall-clock second buys a fraction of the iterations (a tenth at a load of 15 on
 * two cores), which made the figures depend on the neighbours rather than on the engine.
 */
export function cpuClockMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Solves within `timeLimitMs` of CPU time and checks the answer. `ms` is the CPU time used. */
export function runOnce(b: Benchmark, seed: number, timeLimitMs: number, options: Partial<SolveOptions> = {}): Run {
  const t0 = cpuClockMs();
  const ans = solveInstance(b.inst, { ...options, seed, timeLimitMs, clock: cpuClockMs });
  const ms = cpuClockMs() - t0;
  const chk = checkAnswer(b.inst, ans.routes);
  const problems = [...chk.errors];
  if (Math.abs(chk.cost - ans.cost) > 1e-6) problems.push(`cost mismatch: solver ${ans.cost}, checker ${chk.cost}`);
  return { cost: chk.cost, gap: gapPct(chk.cost, b.bks), routes: ans.routes.length, ms, iterations: ans.iterations, problems };
}

/** Percent of `x` above `ref`. */
export function gapPct(x: number, ref: number): number {
  return ((x - ref) / ref) * 100;
}

/** A cost as the files write it (integers bare, else one decimal). */
export function fmtCost(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
