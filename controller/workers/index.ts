/** Planner threads: heavy planning off the event loop. */
export { PlannerPool, type PlannerPoolOptions, type RunOptions, type WorkFailure, type WorkResult } from './pool.js';
export { inProcessSprayPlanner, threadSprayPlanner, type SprayPlanner, type SprayPlanOutcome, type ThreadSprayPlannerOptions } from './spray-planner.js';
export type { ImproveRoundArgs, PlanBroadcastArgs, PlanSprayArgs, PlannerTasks } from './tasks.js';
export { inProcessRoundImprover, threadRoundImprover, type RoundImprover } from './round-improver.js';
