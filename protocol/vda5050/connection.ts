import { z } from 'zod';
import { headerSchema } from './common.js';

export const connectionStateSchema = z.enum(['ONLINE', 'OFFLINE', 'CONNECTIONBROKEN']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const connectionSchema = headerSchema.extend({ connectionState: connectionStateSchema });
export type Connection = z.infer<typeof connectionSchema>;
