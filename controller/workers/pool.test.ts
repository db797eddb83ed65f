import { afterAll, describe, expect, it } from 'vitest';
import { zonesFromMetres } from '../spray/test-helpers.js';
import { planSpray, T20_PROFILE } from '../spray/index.js';
import { syntheticRound } from '../dispatch/random-building.js';
import { planRoundByFloor } from '../dispatch/index.js';
import { PlannerPool } from './pool.js';
import type { Clock } from '../../protocol/index.js';

type P = [number, number];
const square = (x: number, y: number, s: number): P[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];
const yard = zonesFromMetres({ spray: [[square(0, 0, 100)]], geofence: square(-20, -20, 140), pads: [[-10, -10]] });
/** A strip big enough to keep a thread busy for seconds. */
const bigStrip = (l: number) =>
  zonesFromMetres({
    spray: [[square(0, 0, 1).map(([x, y]) => [x * l, y * 1500] as P)]],
    geofence: [
      [-20, -20],
      [l + 20, -20],
      [l + 20, 1520],
      [-20, 1520],
    ],
    pads: Array.from({ length: Math.floor(l / 1000) + 1 }, (_, k): P => [k * 1000 + 5, -10]),
  });

describe('PlannerPool', () => {
  const pool = new PlannerPool({ threads: 1, maxHeapMb: 256 });
  afterAll(() => pool.close());

  it('plans a spray mission in a thread, the same plan as in process, with its predicted coverage', async () => {
    const r = await pool.run('planSpray', { zones: yard, profile: { ...T20_PROFILE }, drones: 2 }, { timeMs: 60_000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { predicted, ...plan } = r.value;
    expect(plan).toEqual(planSpray(yard, T20_PROFILE, { drones: 2 }));
    expect(predicted!.coveragePct).toBeGreaterThan(95);
  });

  it('improves a round in a thread', async () => {
    const input = syntheticRound(3, { floors: 3, roomsPerFloor: 10 });
    const plan = planRoundByFloor(input);
    const r = await pool.run('improveRound', { input, plan, nowS: 0, options: { timeLimitMs: 100, seed: 1 } }, { timeMs: 60_000 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.objective).toBeLessThanOrEqual(plan.objective + 1e-6);
  });

  it('stops a task past its time budget, and the pool serves the next one', async () => {
    const r = await pool.run('planSpray', { zones: bigStrip(6000), profile: { ...T20_PROFILE }, drones: 4 }, { timeMs: 50 });
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
    const next = await pool.run('planSpray', { zones: yard, profile: { ...T20_PROFILE }, drones: 1 }, { timeMs: 60_000 });
    expect(next.ok).toBe(true);
  });

  it("counts the time budget on the pool's clock", async () => {
    // A clock that moves only when the test says: its 60 s pass after 30 ms of real time.
    const due: Array<() => void> = [];
    const clock: Clock = { now: () => 0, setTimeout: (fn) => ({ id: due.push(fn) }), clearTimeout: () => {} };
    const onClock = new PlannerPool({ threads: 1, maxHeapMb: 256, clock });
    try {
      const running = onClock.run('planSpray', { zones: bigStrip(6000), profile: { ...T20_PROFILE }, drones: 4 }, { timeMs: 60_000 });
      setTimeout(() => {
        for (const fn of due.splice(0)) fn();
      }, 30);
      expect(await running).toMatchObject({ ok: false, reason: 'timeout', message: 'took longer than its 60 s budget' });
    } finally {
      await onClock.close();
    }
  });

  it('cancels a running task on its signal', async () => {
    const abort = new AbortController();
    const running = pool.run('planSpray', { zones: bigStrip(6000), profile: { ...T20_PROFILE }, drones: 4 }, { timeMs: 60_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 30);
    expect(await running).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  it('ends a task that outgrows the heap limit with memory, and the pool serves the next one', async () => {
    const small = new PlannerPool({ threads: 1, maxHeapMb: 48 });
    try {
      // A travel-time matrix of 2,500 × 2,500 doubles (~50 MB) does not fit a 48 MB heap.
      const input = syntheticRound(5, { floors: 2, roomsPerFloor: 5 });
      const plan = planRoundByFloor(input);
      const huge = { ...input, travelS: Array.from({ length: 2500 }, () => new Array<number>(2500).fill(1)) };
      const r = await small.run('improveRound', { input: huge, plan, nowS: 0, options: { timeLimitMs: 100 } }, { timeMs: 120_000 });
      expect(r).toMatchObject({ ok: false, reason: 'memory' });
      const next = await small.run('planSpray', { zones: yard, profile: { ...T20_PROFILE }, drones: 1 }, { timeMs: 60_000 });
      expect(next.ok).toBe(true);
    } finally {
      await small.close();
    }
  }, 120_000);
});
