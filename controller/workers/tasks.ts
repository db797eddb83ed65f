/**
 * The work planner threads do (loaded by `worker-boot.mjs`). Arguments and results cross the
 * thread boundary by structured clone: plain data only, no functions.
 */
import { improveRound, type RoundInput, type RoundOptions, type RoundPlan } from '../dispatch/index.js';
import { planSpray, predictedCoverage, type SprayDroneProfile, type SprayPlanResult } from '../spray/index.js';
import { planBroadcast, type BroadcastOptions } from '../broadcast/plan.js';

/** Arguments of {@link planSprayTask}. */
export interface PlanSprayArgs {
  zones: unknown;
  profile: SprayDroneProfile;
  drones: number;
}

/** A plan and the coverage it predicts (rasterised here too: on a big zone that takes seconds). */
export type PlannedSpray = SprayPlanResult & { predicted?: { coveragePct: number; oversprayPct: number } };

/** `planSpray` of controller/spray and its predicted coverage, in a worker. */
export function planSprayTask(args: PlanSprayArgs): PlannedSpray {
  const r = planSpray(args.zones, args.profile, { drones: args.drones });
  return r.ok ? { ...r, predicted: predictedCoverage(args.zones as Parameters<typeof predictedCoverage>[0], r.plan) } : r;
}

/** Arguments of {@link improveRoundTask}: `options` without its clock (the worker's own wall clock is used). */
export interface ImproveRoundArgs {
  input: RoundInput;
  plan: RoundPlan;
  nowS: number;
  options: Omit<RoundOptions, 'clock' | 'objective'>;
}

/** `improveRound` of controller/dispatch for `options.timeLimitMs` of the worker's wall time. */
export function improveRoundTask(args: ImproveRoundArgs): RoundPlan {
  return improveRound(args.input, args.plan, args.nowS, { ...args.options, clock: () => performance.now() });
}

/** Arguments of {@link planBroadcastTask}. */
export interface PlanBroadcastArgs {
  road: unknown;
  options: BroadcastOptions;
}

/** `planBroadcast` of controller/broadcast, in a worker (a few kilometres of road take about half a second). */
export function planBroadcastTask(args: PlanBroadcastArgs): ReturnType<typeof planBroadcast> {
  return planBroadcast(args.road, args.options);
}

/** Every task a planner thread runs, by name. */
export interface PlannerTasks {
  planSpray: typeof planSprayTask;
  planBroadcast: typeof planBroadcastTask;
  improveRound: typeof improveRoundTask;
}
