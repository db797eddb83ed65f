/** HTTP contract of alerts: `GET /api/alerts`, `POST /api/alerts/:id/ack`. */
import { z } from 'zod';

export const alertKindSchema = z.enum([
  'robotOffline',
  'robotStuck',
  'trayNotCollected',
  /** A trip ended failed with rooms unserved (robot error, no progress, order refused): one per room. */
  'tripFailed',
  'geofenceBreach',
  'keepoutBreach',
  'externalControl',
  'windTooStrong',
  'droneLinkLost',
  'droneNotReturned',
  'batteryLow',
]);
export type AlertKind = z.infer<typeof alertKindSchema>;

export const alertSchema = z.object({
  id: z.string(),
  kind: alertKindSchema,
  /** The robot or drone it is about. */
  subject: z.string(),
  room: z.string().optional(),
  tray: z.number().int().optional(),
  /** ISO time it was raised. */
  at: z.string(),
  /** English text for logs; screens translate from kind and fields. */
  message: z.string(),
  acknowledged: z.boolean(),
});
export type Alert = z.infer<typeof alertSchema>;

/** `GET /api/settings`, `PUT /api/settings`: the robots' announcement language. */
export const settingsSchema = z.object({ language: z.enum(['zh', 'en']) });
export type Settings = z.infer<typeof settingsSchema>;
