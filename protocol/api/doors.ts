/** HTTP contract of room doors and their sensors: `GET /api/doors`, `PUT /api/doors/:room/mute`. */
import { z } from 'zod';
import { roomSchema } from '../robot-actions.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM (24 h)');

/**
 * A span of quiet hours in the site's local time, `from` inclusive, `to` exclusive; one that
 * ends before it starts runs past midnight (`22:00`–`06:30`).
 */
export const quietHoursSchema = z.object({ from: clockTime, to: clockTime });
/** A span of quiet hours. */
export type QuietHours = z.infer<typeof quietHoursSchema>;

/**
 * How the controller reads the rooms' door sensors (the site file's `doorAlerts`):
 * - `timeZone`: IANA zone the quiet hours are in (default `UTC`);
 * - `quietHours`: when an unexpected open raises no alert (it is still logged and audited);
 * - `graceAfterDeliveryS`: seconds after a tray for the room was offered at its door during which an open is expected (the resident fetches it late, or puts the tray back out); default 600.
 */
export const doorAlertSettingsSchema = z.object({
  timeZone: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, like Asia/Shanghai')
    .default('UTC'),
  quietHours: z.array(quietHoursSchema).default([]),
  graceAfterDeliveryS: z.number().nonnegative().max(86_400).default(600),
});
/** Door alert settings as written (defaults optional). */
export type DoorAlertSettingsInput = z.input<typeof doorAlertSettingsSchema>;
/** Door alert settings with defaults applied. */
export type DoorAlertSettings = z.infer<typeof doorAlertSettingsSchema>;

/** One room's door as the controller knows it. */
export const doorViewSchema = z.object({
  room: z.string(),
  /** Isolated (red zone) rooms raise the unexpected-open alert; others are only shown. */
  isolated: z.boolean(),
  /** Open now, as the sensor last said; absent until it has been heard. */
  open: z.boolean().optional(),
  /** ISO time of the sensor's last message. */
  lastSeenAt: z.string().optional(),
  /** The sensor hardware's own id, from its last message. */
  sensorId: z.string().optional(),
  /** A medic muted this room's unexpected-open alert. */
  muted: z.boolean(),
  /** ISO time the mute ends by itself; absent for a mute until lifted. */
  mutedUntil: z.string().optional(),
  /** Who muted it. */
  mutedBy: z.string().optional(),
});
/** One room's door. */
export type DoorView = z.infer<typeof doorViewSchema>;

/** `PUT /api/doors/:room/mute` params. */
export const doorParamsSchema = z.object({ room: roomSchema });

/**
 * `PUT /api/doors/:room/mute` body: mute the room's unexpected-open alert (a visit, a resident
 * allowed out) for `minutes` (1 to 1440), or until lifted when absent; `muted: false` lifts it.
 */
export const doorMuteBodySchema = z
  .object({ muted: z.boolean(), minutes: z.number().int().min(1).max(1440).optional() })
  .refine((body) => body.muted || body.minutes === undefined, { path: ['minutes'], message: 'only a mute takes minutes' });
/** `PUT /api/doors/:room/mute` body. */
export type DoorMuteBody = z.infer<typeof doorMuteBodySchema>;
