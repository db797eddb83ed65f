/**
 * One traffic run on a grid: the controller's traffic rules plan the robots' errands and the
 * world drives them (see `traffic-world.ts`). Shared by `npm run -s traffic` and
 * `npm run bench:traffic`.
 */
import { performance } from 'node:perf_hooks';
import { planTraffic, type Errand } from '../../controller/traffic/plan.js';
import { seededRandom } from '../../protocol/random.js';
import type { GridMap } from './movingai.js';
import { driveWays, type DriveResult } from './traffic-world.js';

export interface TrafficRunOptions {
  seed?: number;
  /** Drive the plan a second time, each move slowed with this chance by up to its own length again (see `DriveOptions.delay`). */
  delayChance?: number;
  /** See `PlanOptions`. */
  attempts?: number;
  improve?: number;
}

export interface TrafficRunResult {
  robots: number;
  arrived: number;
  deadlocks: number;
  headOn: number;
  meetings: number;
  /** Seconds, each robot's arrival at its goal summed; cells 1 m apart at 1 m/s. */
  sumOfCosts: number;
  /** Each robot's shortest way alone, summed: no plan can beat it. */
  lowerBound: number;
  makespan: number;
  waitS: number;
  longWaits: number;
  /** Planning time, milliseconds. */
  ms: number;
  /** Robot orders the planner tried. */
  attempts: number;
  /** Set when the planner found no plan for every robot. */
  unplanned?: string;
  /** The same plan driven with delays, when asked. */
  delayed?: DriveResult;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function runTraffic(map: GridMap, errands: readonly Errand[], options: TrafficRunOptions = {}): TrafficRunResult {
  const random = seededRandom(options.seed ?? 1);
  const t0 = performance.now();
  const plan = planTraffic(map, errands, { random, improve: options.improve, attempts: options.attempts });
  const ms = Math.round(performance.now() - t0);
  if (!plan.ok) {
    return {
      robots: errands.length,
      arrived: 0,
      deadlocks: 0,
      headOn: 0,
      meetings: 0,
      sumOfCosts: 0,
      lowerBound: 0,
      makespan: 0,
      waitS: 0,
      longWaits: 0,
      ms,
      attempts: plan.attempts,
      unplanned: plan.reason,
    };
  }
  const starts = errands.map((e) => e.start);
  const r = driveWays(plan.moves, starts, { random });
  const delayed = options.delayChance ? driveWays(plan.moves, starts, { random, delay: { chance: options.delayChance, max: 1 } }) : undefined;
  return trafficResult(errands.length, r, delayed, plan.alone, ms, plan.attempts);
}

/** A drive (and the delayed one, if driven) as a run's result: seconds to hundredths, the lower bound from each robot's time `alone`. */
export function trafficResult(robots: number, r: DriveResult, delayed: DriveResult | undefined, alone: readonly number[], ms: number, attempts: number): TrafficRunResult {
  const rounded = (d: DriveResult) => ({ ...d, sumOfCosts: round(d.sumOfCosts), makespan: round(d.makespan), waitS: round(d.waitS) });
  return { robots, ...rounded(r), lowerBound: round(alone.reduce((a, b) => a + b, 0)), ms, attempts, ...(delayed ? { delayed: rounded(delayed) } : {}) };
}
