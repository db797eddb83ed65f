import type { PlanError, SprayPlan } from '../spray/index.js';
import { planSpray } from '../spray/index.js';
import type { PlannerPool } from './pool.js';
import type { PlanSprayArgs } from './tasks.js';

/** A spray plan, or why there is none with the HTTP status that says whose it is. */
export type SprayPlanOutcome =
  /** `predicted`: the coverage the plan predicts, when the planner measured it. */
  | { ok: true; plan: SprayPlan; predicted?: { coveragePct: number; oversprayPct: number } }
  /** 400: the zones; 422: the planner failed on them; 503: the controller cannot plan now (stopping, busy). */
  | { ok: false; status: 400 | 422 | 503; errors: PlanError[] };

/** Plans spraying; the controller's runs in a planner thread ({@link threadSprayPlanner}). */
export type SprayPlanner = (args: PlanSprayArgs) => Promise<SprayPlanOutcome>;

/** Options of {@link threadSprayPlanner}. */
export interface ThreadSprayPlannerOptions {
  /** Wall-time budget of one plan, ms (default 60 000; the largest allowed plan takes ~5 s). */
  timeMs?: number;
}

/** Plans in a thread of `pool`, within the time budget and the pool's heap limit. */
export function threadSprayPlanner(pool: PlannerPool, options: ThreadSprayPlannerOptions = {}): SprayPlanner {
  const timeMs = options.timeMs ?? 60_000;
  return async (args) => {
    const r = await pool.run('planSpray', args, { timeMs });
    if (r.ok) return r.value.ok ? r.value : { ok: false, status: 400, errors: r.value.errors };
    const fail = (status: 400 | 422 | 503, message: string): SprayPlanOutcome => ({ ok: false, status, errors: [{ path: 'features', message }] });
    switch (r.reason) {
      case 'timeout':
      case 'memory':
        return fail(400, `planning these zones ${r.message}: split the zone into several missions`);
      case 'cancelled':
      case 'busy':
        return fail(503, `planning stopped: ${r.message}`);
      case 'failed':
        return fail(422, `the planner failed on these zones: ${r.message}`);
    }
  };
}

/** Plans on the calling thread: for tools and tests that hold no pool. */
export const inProcessSprayPlanner: SprayPlanner = async (args) => {
  const r = planSpray(args.zones, args.profile, { drones: args.drones });
  return r.ok ? r : { ok: false, status: 400, errors: r.errors };
};
