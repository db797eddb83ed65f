/** HTTP contract of the in-process simulation's controls (`/api/sim/…`). */
import { z } from 'zod';

/** Faults a developer can inject: robots get stuck, lose their link or sag; drones also lose their pump or do not come back. */
export const simFaultSchema = z.enum(['stuck', 'linkLoss', 'batterySag', 'pumpFailure', 'noReturn']);
export type SimFault = z.infer<typeof simFaultSchema>;
