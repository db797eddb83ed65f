/** HTTP contract of the robot list (`GET /api/robots`, and socket.io `fleet` items). */
import { z } from 'zod';

/** What a robot is doing, read off its VDA 5050 state (`offline` when its connection says so or it fell silent). */
export const robotActivitySchema = z.enum(['offline', 'unknown', 'idle', 'driving', 'working', 'paused', 'error']);
export type RobotActivityName = z.infer<typeof robotActivitySchema>;

/** One robot of `GET /api/robots`: `id` is the serial number for our own robots, `MAKER/SERIAL` for another maker's. */
export const robotSummarySchema = z.object({
  id: z.string(),
  manufacturer: z.string(),
  serialNumber: z.string(),
  online: z.boolean(),
  /** Percent 0–100; null before the first state. */
  battery: z.number().nullable(),
  level: z.string().nullable(),
  node: z.string().nullable(),
  state: robotActivitySchema,
  /** On the site map's level `mapId`, metres and radians. */
  position: z.object({ x: z.number(), y: z.number(), theta: z.number(), mapId: z.string() }).nullable(),
  /** Trays that hold something (1-based). */
  loadedTrays: z.array(z.number().int()),
});
export type RobotSummaryView = z.infer<typeof robotSummarySchema>;
