import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { savingsInstance, solveInstance } from './benchmark-run.js';
import { checkAnswer } from './check.js';
import { parseInstance, type VrpInstance } from './instance.js';
import { randomInstance } from './random-instance.js';

const dataDir = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
function load(rel: string): VrpInstance {
  const r = parseInstance(readFileSync(resolve(dataDir, rel), 'utf8'));
  if (!r.ok) throw new Error(r.error.message);
  return r.instance;
}

describe('solver answers are feasible, with the cost recomputed by the independent checker', () => {
  it('random CVRP instances', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 20, max: 80 }),
      (seed, customers, capacity) => {
        const inst = randomInstance(seed, { customers, capacity });
        const ans = solveInstance(inst, { seed, maxIterations: 300 });
        const report = checkAnswer(inst, ans.routes);
        expect(report.errors).toEqual([]);
        expect(ans.unassigned).toEqual([]);
        expect(ans.cost).toBeCloseTo(report.cost, 6);
      }), { numRuns: 40, seed: 42 });
  });

  it('random VRPTW instances', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 40 }), (seed, customers) => {
      const inst = randomInstance(seed, { customers, timeWindows: true, capacity: 60 });
      const ans = solveInstance(inst, { seed, maxIterations: 300 });
      const report = checkAnswer(inst, ans.routes);
      expect(report.errors).toEqual([]);
      expect(ans.unassigned).toEqual([]);
      expect(ans.cost).toBeCloseTo(report.cost, 6);
    }), { numRuns: 40, seed: 7 });
  });

  it('savings baseline answers are feasible too', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.boolean(), (seed, tw) => {
      const inst = randomInstance(seed, { customers: 30, timeWindows: tw });
      const cw = savingsInstance(inst);
      const report = checkAnswer(inst, cw.routes);
      expect(report.errors).toEqual([]);
      expect(cw.cost).toBeCloseTo(report.cost, 6);
    }), { numRuns: 30, seed: 3 });
  });

  it('Solomon C101: time windows and the 25-vehicle limit hold, and it beats savings', () => {
    const inst = load('vrptw/C101.txt');
    const ans = solveInstance(inst, { seed: 5, maxIterations: 1500 });
    const report = checkAnswer(inst, ans.routes);
    expect(report.errors).toEqual([]);
    expect(report.cost).toBeLessThan(savingsInstance(inst).cost);
  });

  it('CVRPLIB A-n32-k5 beats savings and stays within 3 % of the optimum 784 after 3000 iterations', () => {
    const inst = load('cvrp/A-n32-k5.vrp');
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
