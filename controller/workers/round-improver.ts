import { improveRound, type RoundInput, type RoundPlan } from '../dispatch/index.js';
import type { PlannerPool } from './pool.js';

/**
 * Improves a round's plan for `timeLimitMs` (seeded), resolving to the better plan, or to the plan
 * given when there is none (the thread failed or was stopped).
 */
export type RoundImprover = (input: RoundInput, plan: RoundPlan, options: { timeLimitMs: number; seed: number; fresh?: boolean; sent?: readonly number[] }) => Promise<RoundPlan>;

/** On the calling thread, for `timeLimitMs` at a time (the round manager yields between slices). */
export const inProcessRoundImprover: RoundImprover = async (input, plan, options) =>
  improveRound(input, plan, 0, {
    clock: () => performance.now(),
    timeLimitMs: options.timeLimitMs,
    seed: options.seed,
    fresh: options.fresh ?? false,
    ...(options.sent ? { sent: options.sent } : {}),
  });

/**
 * In a planner thread of `pool`: the event loop only copies the input over. A thread that fails
 * (out of memory, stopped) leaves the plan as it was; the round goes on with it.
 */
export function threadRoundImprover(pool: PlannerPool): RoundImprover {
  return async (input, plan, options) => {
    // The budget covers a cold thread's start (loading the planner takes seconds on a busy machine).
    const r = await pool.run(
      'improveRound',
      { input, plan, nowS: 0, options: { timeLimitMs: options.timeLimitMs, seed: options.seed, fresh: options.fresh ?? false, ...(options.sent ? { sent: options.sent } : {}) } },
      { timeMs: options.timeLimitMs + 30_000 },
    );
    return r.ok ? r.value : plan;
  };
}
