import { z } from 'zod';
import { actionSchema, headerSchema } from './common.js';

export const instantActionsSchema = headerSchema.extend({ actions: z.array(actionSchema) });
export type InstantActions = z.infer<typeof instantActionsSchema>;
