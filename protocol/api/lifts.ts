/** HTTP contract of lift sessions: `GET /api/lifts`. */
import { z } from 'zod';

const liftRequestViewSchema = z.object({
  robot: z.string(),
  /** The ride's session id (the `liftRide` actionId, or `ORDER:lift:SEQ`). */
  session: z.string(),
  fromLevel: z.string(),
  toLevel: z.string(),
  /** ISO time the robot asked for the car. */
  since: z.string(),
});

/** One lift car in use or asked for: the robot holding it and the robots queueing, first come first. */
export const liftCarViewSchema = z.object({
  lift: z.string(),
  holder: liftRequestViewSchema
    .extend({
      /** ISO time the car was granted. */
      grantedAt: z.string(),
      /** It reported the ride under way: it may be inside the car. */
      aboard: z.boolean(),
    })
    .optional(),
  queue: z.array(liftRequestViewSchema),
});
export type LiftCarView = z.infer<typeof liftCarViewSchema>;
