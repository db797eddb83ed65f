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
  /** An isolated (red) room's door opened with no delivery due and no mute: the resident may have left the room. */
  'doorOpenedUnexpectedly',
  /** A robot was seen (from its states) entering the green zone contaminated: in red since its last disinfection. One per breach. */
  'isolationBreach',
  /** A door on a robot's way did not open (jammed, or its port did not answer): names the door and the robot. */
  'doorNotOpened',
  /**
   * The robot holding a single-width way is offline, stuck or in error inside it: the robots
   * queued at the way's ends wait for it. Names the way (`way`) and the robots waiting
   * (`robotsWaiting`); resolved when the way is free again or the robot goes on.
   */
  'wayBlocked',
]);
export type AlertKind = z.infer<typeof alertKindSchema>;

/** Where a robot is, as people on the site say it: the floor and what it is at or nearest to. */
export const alertPlaceSchema = z.object({
  /** Site level name (`G`, `F3`). */
  level: z.string(),
  /** What it stands at (`at: true`) or is nearest to on that level. */
  landmark: z.enum(['room', 'lift', 'loading', 'charger', 'disinfection', 'corridor']),
  /** Room number or lift id, when the landmark has one. */
  name: z.string().optional(),
  at: z.boolean(),
  /** English, e.g. "F3, at lift A", "F5, in the corridor near room 512". */
  text: z.string(),
});
export type AlertPlace = z.infer<typeof alertPlaceSchema>;

export const alertStatusSchema = z.enum(['open', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

/**
 * One alert: a cause (kind, subject, room, tray) and its life. Raised again while open or soon
 * after it resolved, it stays the same alert (`count`, `lastSeenAt`); it resolves by itself
 * when its cause is gone (`resolvedAt`, `resolution`), and is kept in the history.
 */
export const alertSchema = z.object({
  id: z.string(),
  kind: alertKindSchema,
  /** The robot or drone it is about. */
  subject: z.string(),
  room: z.string().optional(),
  tray: z.number().int().optional(),
  /** The door on a robot's way it is about (a site door id, `doorNotOpened`). */
  door: z.string().optional(),
  /** The single-width way it is about (the site's lane `way` id, `wayBlocked`). */
  way: z.string().optional(),
  /** ISO time it was first raised. */
  at: z.string(),
  /** ISO time it was last raised (see `count`). */
  lastSeenAt: z.string(),
  /** How many times the cause was raised as this alert. */
  count: z.number().int().positive(),
  status: alertStatusSchema,
  /** ISO time its cause went away; set when resolved. */
  resolvedAt: z.string().optional(),
  /** Why it resolved, in English ("robot-2 is back online"). */
  resolution: z.string().optional(),
  /** English text for logs; screens translate from kind and fields. */
  message: z.string(),
  acknowledged: z.boolean(),
  /** Rooms whose trays the robot carries. */
  roomsOnBoard: z.array(z.string()).optional(),
  /** Robots queued for the way the alert is about (`wayBlocked`), first in line first. */
  robotsWaiting: z.array(z.string()).optional(),
  /** Where the robot is. */
  where: alertPlaceSchema.optional(),
  /** What the controller is doing about it, or what a person can do, in English. */
  doing: z.string().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/**
 * Query of `GET /api/alerts`: without `status` the open alerts (acknowledged or not); with
 * `status=resolved` or `all` the history, newest first, `limit` at a time, `before` an alert id
 * (the last of the previous page).
 */
export const alertQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z
    .string()
    .regex(/^a\d+$/, 'an alert id, like a12')
    .optional(),
});
export type AlertQuery = z.infer<typeof alertQuerySchema>;

/** `POST /api/ways/:way/robot-removed`: staff took this robot (dead inside the way) out of it. */
export const robotRemovedFromWayBodySchema = z.object({
  /** The robot's id (`robotId`, as in `GET /api/robots`). */
  robot: z.string().min(1, 'the robot taken out of the way'),
});
export type RobotRemovedFromWayBody = z.infer<typeof robotRemovedFromWayBodySchema>;

/** Reply of `POST /api/ways/:way/robot-removed`: the robots the way went to (none when nobody waited). */
export const robotRemovedFromWayReplySchema = z.object({ way: z.string(), robot: z.string(), granted: z.array(z.string()) });
export type RobotRemovedFromWayReply = z.infer<typeof robotRemovedFromWayReplySchema>;

/** `GET /api/settings`, `PUT /api/settings`: the robots' announcement language. */
export const settingsSchema = z.object({ language: z.enum(['zh', 'en']) });
export type Settings = z.infer<typeof settingsSchema>;
