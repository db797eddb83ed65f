/**
 * Meal-round benchmark: a synthetic 150-room building (10 floors × 15 rooms, 5 robots, 4 trays,
 * delivery-robot profile), planned by construction only, with a 1 s limit, and by the by-floor
 * baseline a medic would use.
 */
import { performance } from 'node:perf_hooks';
import { planRound, planRoundByFloor } from '../../controller/dispatch/round.js';
import { syntheticRound } from '../../controller/dispatch/random-building.js';
import type { RoundPlan } from '../../controller/dispatch/round-types.js';

/** Returns Markdown lines: one row per planner. */
export function roundBenchmark(seed: number): string[] {
  const input = syntheticRound(seed);
  const clock = () => performance.now();
  const rows: [string, RoundPlan, number][] = [];
  const time = (label: string, f: () => RoundPlan) => {
    const t0 = clock();
    const p = f();
    rows.push([label, p, clock() - t0]);
  };
  time('by floor (baseline)', () => planRoundByFloor(input));
  time('construction only', () => planRound(input, { seed, maxIterations: 0, timeLimitMs: 0, clock }));
  time('planRound, 1000 ms limit', () => planRound(input, { seed, timeLimitMs: 1000, clock }));
  const out = [
    `Meal round: ${input.requests.length} rooms, ${input.robots.length} robots × 4 trays (synthetic building, seed ${seed}).`,
    '',
    '| planner | makespan s | mean delivery s | weighted mean delivery s | trips | ms |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [label, p, ms] of rows) {
    const trips = p.robots.reduce((a, r) => a + r.trips.length, 0);
    out.push(`| ${label} | ${p.metrics.makespanS.toFixed(0)} | ${p.metrics.meanDeliveryS.toFixed(0)} | ${p.metrics.weightedMeanDeliveryS.toFixed(0)} | ${trips} | ${ms.toFixed(0)} |`);
  }
  return out;
}
