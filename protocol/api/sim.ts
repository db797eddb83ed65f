/** HTTP contract of the in-process simulation's controls (`/api/sim/…`). */
import { z } from 'zod';

/**
 * Simulated seconds per real second the scaled clock may run at (SIM_SPEED, `PUT /api/sim/speed`):
 * below 0.1 a minute's timer is more than Node's longest delay (2^31 ms, about 24.8 days), which
 * Node fires at once instead; above 1000 the simulated robots outrun their own messages.
 */
export const SIM_SPEED_RANGE = { min: 0.1, max: 1000 } as const;
/** A speed within {@link SIM_SPEED_RANGE}. */
export const simSpeedSchema = z
  .number()
  .min(SIM_SPEED_RANGE.min, `at least ${SIM_SPEED_RANGE.min} (simulated seconds per real second)`)
  .max(SIM_SPEED_RANGE.max, `at most ${SIM_SPEED_RANGE.max} (simulated seconds per real second)`);

/** Faults a developer can inject: robots get stuck, lose their link or sag; drones also lose their pump or do not come back. */
export const simFaultSchema = z.enum(['stuck', 'linkLoss', 'batterySag', 'pumpFailure', 'noReturn']);
export type SimFault = z.infer<typeof simFaultSchema>;
