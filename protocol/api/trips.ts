/** HTTP contract of trips: `POST /api/trips`, `GET /api/trips/:id`. */
import { z } from 'zod';
import { roomSchema, trayNumberSchema } from '../robot-actions.js';

export const tripStatusSchema = z.enum(['planned', 'running', 'done', 'failed']);
export type TripStatus = z.infer<typeof tripStatusSchema>;

export const trayStatusSchema = z.enum(['loaded', 'delivered', 'notCollected', 'returned', 'failed']);
export type TrayStatus = z.infer<typeof trayStatusSchema>;

/** Body of `POST /api/trips`: one robot, its trays and the room each goes to. */
export const createTripBodySchema = z.object({
  robot: z.string().min(1).max(128),
  trays: z
    .array(z.object({ tray: trayNumberSchema, room: roomSchema, item: z.string().max(64).optional() }))
    .min(1)
    .max(4)
    .superRefine((trays, ctx) => {
      const seen = new Set<number>();
      trays.forEach((t, i) => {
        if (seen.has(t.tray)) ctx.addIssue({ code: 'custom', path: [i, 'tray'], message: `tray ${t.tray} is used twice` });
        seen.add(t.tray);
      });
    }),
});
export type CreateTripBody = z.infer<typeof createTripBodySchema>;

export const trayViewSchema = z.object({
  tray: z.number().int(),
  room: z.string(),
  item: z.string().optional(),
  status: trayStatusSchema,
  /** ISO time the resident collected it. */
  deliveredAt: z.string().optional(),
  /**
   * ISO time the room's door sensor reported the door open while this tray waited at it: the
   * resident came to the door. A tray the robot reports not collected counts as delivered then.
   */
  doorOpenedAt: z.string().optional(),
});
export type TrayView = z.infer<typeof trayViewSchema>;

/** A trip as the API shows it. */
export const tripViewSchema = z.object({
  id: z.string(),
  robot: z.string(),
  status: tripStatusSchema,
  /** Rooms in the order the robot visits them. */
  visits: z.array(z.string()),
  trays: z.array(trayViewSchema),
  /** Trays the medic confirmed as loaded on the dashboard, while the robot waits at the station. */
  loading: z.object({ confirmedTrays: z.array(z.number().int()) }),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  /** Why it failed, when it did. */
  reason: z.string().optional(),
});
export type TripView = z.infer<typeof tripViewSchema>;

/**
 * Query of `GET /api/trips` and `GET /api/rounds`: a page of the history, newest first, `limit`
 * at a time (default 100, at most 500), older than the trip or round `before` (the last id of
 * the previous page).
 */
export const historyPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.string().min(1).max(64).optional(),
});
export type HistoryPageQuery = z.infer<typeof historyPageQuerySchema>;
