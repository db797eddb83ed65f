/**
 * Independent feasibility checker and cost recomputation for benchmark answers.
 * Deliberately shares no code with the solver: it re-derives leg costs from the raw coordinates
 * and replays arrival times itself, so a solver bug cannot hide behind a shared helper.
 */
import type { VrpInstance } from './instance.js';

/** Outcome of {@link checkAnswer}. */
export interface CheckReport {
  /** True when `errors` is empty. */
  readonly feasible: boolean;
  /** Every violation found, in human-readable form. */
  readonly errors: string[];
  /** Total cost under the instance's convention, recomputed leg by leg. */
  readonly cost: number;
}

/**
 * Checks routes given in file numbering (depot left out): each customer exactly once, capacity,
 * fleet limit, and (Solomon) time windows including the return to the depot.
 */
export function checkAnswer(inst: VrpInstance, routes: readonly (readonly number[])[]): CheckReport {
  const errors: string[] = [];
  const idx = new Map<number, number>();
  inst.fileIds.forEach((id, i) => idx.set(id, i));
  const leg = (a: number, b: number): number => {
    if (inst.explicitMatrix) return inst.explicitMatrix[a * inst.fileIds.length + b]!;
    const p = inst.coords![a]!;
    const q = inst.coords![b]!;
    const d = Math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2);
    return inst.convention === 'round' ? Math.floor(d + 0.5) : Math.trunc(d * 10 + 1e-9) / 10;
  };
  const seen = new Array<number>(inst.fileIds.length).fill(0);
  let cost = 0;
  const used = routes.filter((r) => r.length > 0);
  if (inst.vehicleLimit !== undefined && used.length > inst.vehicleLimit) errors.push(`${used.length} routes exceed the limit of ${inst.vehicleLimit}`);
  used.forEach((route, k) => {
    let load = 0;
    let prev = 0;
    let t = inst.readyS?.[0] ?? 0;
    for (const id of route) {
      const i = idx.get(id);
      if (i === undefined || i === 0) {
        errors.push(`route ${k + 1}: unknown customer ${id}`);
        continue;
      }
      seen[i]!++;
      load += inst.demand[i]!;
      cost += leg(prev, i);
      if (inst.readyS && inst.dueS && inst.serviceS) {
        t = Math.max(t + leg(prev, i), inst.readyS[i]!);
        if (t > inst.dueS[i]! + 1e-9) errors.push(`route ${k + 1}: customer ${id} served at ${t.toFixed(1)} after due ${inst.dueS[i]}`);
        t += inst.serviceS[i]!;
      }
      prev = i;
    }
    cost += leg(prev, 0);
    if (inst.dueS) {
      t += leg(prev, 0);
      if (t > inst.dueS[0]! + 1e-9) errors.push(`route ${k + 1}: returns at ${t.toFixed(1)} after depot due ${inst.dueS[0]}`);
    }
    if (load > inst.capacity) errors.push(`route ${k + 1}: load ${load} exceeds capacity ${inst.capacity}`);
  });
  for (let i = 1; i < seen.length; i++) {
    if (seen[i] !== 1) errors.push(`customer ${inst.fileIds[i]} visited ${seen[i]} times`);
  }
  return { feasible: errors.length === 0, errors, cost: Math.round(cost * 1000) / 1000 };
}
