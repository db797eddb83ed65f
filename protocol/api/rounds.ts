/** HTTP contract of meal rounds: `POST /api/rounds`, `GET /api/rounds/:id`, urgent requests. */
import { z } from 'zod';
import { roomSchema } from '../robot-actions.js';

export const roundPrioritySchema = z.enum(['meal', 'medicine']);

const roomRequestSchema = z.object({
  room: roomSchema,
  item: z.string().max(64).optional(),
  priority: roundPrioritySchema.default('meal'),
  /** ISO time the delivery should be done by (meals warm, medicine on time); a soft target. */
  readyBy: z.string().datetime().optional(),
});

/** Body of `POST /api/rounds`. */
export const createRoundBodySchema = z.object({ rooms: z.array(roomRequestSchema).min(1).max(1000) });
export type CreateRoundBody = z.input<typeof createRoundBodySchema>;

/** Body of `POST /api/rounds/:id/urgent`: medicine for one room, inserted into the running round. */
export const urgentRequestBodySchema = z.object({ room: roomSchema, item: z.string().max(64).optional() });

export const roundRoomStatusSchema = z.enum(['pending', 'loaded', 'enRoute', 'delivered', 'notCollected', 'failed']);
export type RoundRoomStatus = z.infer<typeof roundRoomStatusSchema>;

/** The proposed loading plan: per robot, its trips in order, each tray with its room. */
export const roundPlanSchema = z.array(
  z.object({
    robot: z.string(),
    trips: z.array(
      z.object({
        /** Set once the trip was sent. */
        tripId: z.string().optional(),
        trays: z.array(z.object({ tray: z.number().int(), room: z.string() })),
      }),
    ),
  }),
);
export type RoundPlanView = z.infer<typeof roundPlanSchema>;

export const roundViewSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done']),
  createdAt: z.string(),
  rooms: z.array(
    z.object({
      room: z.string(),
      item: z.string().optional(),
      priority: roundPrioritySchema,
      status: roundRoomStatusSchema,
      robot: z.string().nullable(),
      /** Index of the trip in the robot's list. */
      trip: z.number().int().nullable(),
      tray: z.number().int().nullable(),
      tripId: z.string().optional(),
      deliveredAt: z.string().optional(),
      /**
       * When the resident gets the tray, clock ms since the epoch: predicted while the room waits
       * (arrival at the door plus the expected wait for the resident), re-computed as the robots
       * report; once delivered, the actual time (`deliveredAt`). Null when nothing predicts it
       * (before the round's first plan, a room whose tray was not collected or failed).
       */
      etaMs: z.number().int().nullable().describe('When the resident gets the tray (epoch ms): predicted, or the actual time once delivered; null when unknown'),
    }),
  ),
  plan: roundPlanSchema,
  /** Predicted by the planner for what is not sent yet, seconds from now. */
  predictedFinishS: z.number().nullable(),
});
export type RoundView = z.infer<typeof roundViewSchema>;
