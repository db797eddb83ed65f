import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { savingsInstance, solveInstance } from './benchmark-run.js';
import { checkAnswer } from './check.js';
import { parseInstance, type VrpInstance } from './instance.js';
import { randomInstance } from './random-instance.js';
import { SISR_DEFAULTS } from './ruin-recreate.js';

const dataDir = resolve(import.meta.dirname, '..', '..', 'test-data');
function load(rel: string): VrpInstance {
  const r = parseInstance(readFileSync(resolve(dataDir, rel), 'utf8'));
  if (!r.ok) throw new Error(r.error.message);
  return r.instance;
}

/** Exact optimum of a tiny CVRP by brute force: every visiting order, split optimally into trips. */
function bruteForceOptimum(inst: VrpInstance): number {
  const n = inst.fileIds.length;
  const d = (a: number, b: number) => Math.round(Math.hypot(inst.coords![a]![0] - inst.coords![b]![0], inst.coords![a]![1] - inst.coords![b]![1]));
  let best = Infinity;
  const perm: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const rec = () => {
    if (perm.length === n - 1) {
      // Split DP over the permutation: f[j] = best cost of serving perm[0..j).
      const f = new Array<number>(n).fill(Infinity);
      f[0] = 0;
      for (let i = 0; i < n - 1; i++) {
        let load = 0;
        let inner = 0;
        for (let j = i; j < n - 1; j++) {
          load += inst.demand[perm[j]!]!;
          if (load > inst.capacity) break;
          if (j > i) inner += d(perm[j - 1]!, perm[j]!);
          const cost = d(0, perm[i]!) + inner + d(perm[j]!, 0);
          f[j + 1] = Math.min(f[j + 1]!, f[i]! + cost);
        }
      }
      best = Math.min(best, f[n - 1]!);
      return;
    }
    for (let c = 1; c < n; c++)
      if (!used[c]) {
        used[c] = true;
        perm.push(c);
        rec();
        perm.pop();
        used[c] = false;
      }
  };
  rec();
  return best;
}

/** Trucks first-fit decreasing needs for the demands: a fleet that can always carry them. */
function firstFitDecreasing(inst: VrpInstance): number {
  const bins: number[] = [];
  for (const d of inst.demand.slice(1).sort((a, b) => b - a)) {
    const i = bins.findIndex((load) => load + d <= inst.capacity);
    if (i >= 0) bins[i]! += d;
    else bins.push(d);
  }
  return Math.max(1, bins.length);
}

describe('solver answers are feasible, with the cost recomputed by the independent checker', () => {
  it('random CVRP instances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 20, max: 80 }), (seed, customers, capacity) => {
        const inst = randomInstance(seed, { customers, capacity });
        const ans = solveInstance(inst, { seed, maxIterations: 300 });
        const report = checkAnswer(inst, ans.routes);
        expect(report.errors).toEqual([]);
        expect(ans.unassigned).toEqual([]);
        expect(ans.cost).toBeCloseTo(report.cost, 6);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('tiny CVRP instances: the solver finds the brute-force optimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 2, max: 7 }), (seed, customers) => {
        const inst = randomInstance(seed, { customers, capacity: 30 });
        const ans = solveInstance(inst, { seed, maxIterations: 2000 });
        expect(checkAnswer(inst, ans.routes).errors).toEqual([]);
        expect(ans.cost).toBe(bruteForceOptimum(inst));
      }),
      { numRuns: 25, seed: 23 },
    );
  });

  it('random VRPTW instances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 40 }), (seed, customers) => {
        const inst = randomInstance(seed, { customers, timeWindows: true, capacity: 60 });
        const ans = solveInstance(inst, { seed, maxIterations: 300 });
        const report = checkAnswer(inst, ans.routes);
        expect(report.errors).toEqual([]);
        expect(ans.unassigned).toEqual([]);
        expect(ans.cost).toBeCloseTo(report.cost, 6);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it("a fleet limit holds: every customer placed within first-fit-decreasing's truck count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 5, max: 40 }), fc.boolean(), (seed, customers, tw) => {
        const base = randomInstance(seed, { customers, capacity: 40, timeWindows: tw });
        const inst = { ...base, vehicleLimit: tw ? customers : firstFitDecreasing(base) };
        const ans = solveInstance(inst, { seed, maxIterations: 2000 });
        const report = checkAnswer(inst, ans.routes);
        expect(report.errors).toEqual([]);
        expect(ans.routes.length).toBeLessThanOrEqual(inst.vehicleLimit);
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('with granular insertion (few neighbours, a tight fleet): every customer placed, within the limit, feasible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 10, max: 40 }), fc.boolean(), (seed, customers, tw) => {
        const base = randomInstance(seed, { customers, capacity: 40, timeWindows: tw });
        const inst = { ...base, vehicleLimit: tw ? customers : firstFitDecreasing(base) };
        const params = { ...SISR_DEFAULTS, insertNeighbours: 3, granularFrom: 10 };
        const ans = solveInstance(inst, { seed, maxIterations: 2000, params });
        const report = checkAnswer(inst, ans.routes);
        expect(report.errors).toEqual([]);
        expect(ans.unassigned).toEqual([]);
        expect(ans.routes.length).toBeLessThanOrEqual(inst.vehicleLimit);
        expect(ans.cost).toBeCloseTo(report.cost, 6);
      }),
      { numRuns: 30, seed: 13 },
    );
  });

  it('savings baseline answers are feasible too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.boolean(), (seed, tw) => {
        const inst = randomInstance(seed, { customers: 30, timeWindows: tw });
        const cw = savingsInstance(inst);
        const report = checkAnswer(inst, cw.routes);
        expect(report.errors).toEqual([]);
        expect(cw.cost).toBeCloseTo(report.cost, 6);
      }),
      { numRuns: 30, seed: 3 },
    );
  });

  it('Solomon C101: time windows and the 25-vehicle limit hold, and it beats savings', () => {
    const inst = load('solomon/C101.txt');
    const ans = solveInstance(inst, { seed: 5, maxIterations: 1500 });
    const report = checkAnswer(inst, ans.routes);
    expect(report.errors).toEqual([]);
    expect(report.cost).toBeLessThan(savingsInstance(inst).cost);
  });

  it('CVRPLIB A-n32-k5 beats savings and stays within 3 % of the optimum 784 after 3000 iterations', () => {
    const inst = load('cvrplib/A-n32-k5.vrp');
    const ans = solveInstance(inst, { seed: 1, maxIterations: 3000 });
    const report = checkAnswer(inst, ans.routes);
    expect(report.errors).toEqual([]);
    expect(report.cost).toBeLessThan(savingsInstance(inst).cost);
    expect(report.cost).toBeLessThanOrEqual(784 * 1.03);
  });

  it('is deterministic for a seed (no clock)', () => {
    const inst = randomInstance(99, { customers: 30, timeWindows: true });
    const a = solveInstance(inst, { seed: 4, maxIterations: 500 });
    const b = solveInstance(inst, { seed: 4, maxIterations: 500 });
    expect(a).toEqual(b);
  });

  it('stops at the time limit of an injected clock (anytime)', () => {
    let now = 0;
    const clock = () => (now += 1); // each reading advances 1 ms
    const inst = randomInstance(5, { customers: 30 });
    const ans = solveInstance(inst, { seed: 1, timeLimitMs: 50, clock });
    expect(ans.iterations).toBeLessThanOrEqual(50 * 64);
    expect(checkAnswer(inst, ans.routes).errors).toEqual([]);
  });
});
