/** HTTP contract of broadcast missions (`/api/broadcasts`): a loudspeaker and QR code flown along a queue of cars. */
import { z } from 'zod';
import { broadcastMessageSchema, qrPayloadSchema, volumePctSchema } from './broadcast.js';

/**
 * Body of `POST /api/broadcasts`. `road` is checked here for its GeoJSON shape only: the planner
 * checks the road (one LineString, role "road", drawn from the checkpoint outwards), the geofence,
 * pads and keepouts, and its problems come back as 400s naming `body.road.…`.
 */
export const createBroadcastBodySchema = z
  .object({
    road: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(z.looseObject({ type: z.literal('Feature'), properties: z.looseObject({}), geometry: z.looseObject({ type: z.string() }) })).min(1),
    }),
    /** Side of the road the drone keeps to, looking along the road as drawn. */
    side: z.enum(['left', 'right']),
    /** Height above the road, m (5–120). */
    heightM: z.number().min(5).max(120),
    /** From the road's centre line, m: outside the carriageway, above the verge (4–200). */
    offsetM: z.number().min(4).max(200),
    /** Hover at each stop, s; default two playings of the message. Not with `forwardMps`. */
    hoverS: z.number().positive().max(3600).optional(),
    /**
     * Fly the line beside the road at this ground speed, m/s, playing the message over and over,
     * instead of hovering at stops (the planner refuses a speed too fast for every car to hear two
     * playings, naming the fastest). Not with `hoverS`.
     */
    forwardMps: z.number().positive().max(30).optional(),
    message: broadcastMessageSchema,
    /** Speaker volume, %; default 100 (the level the plan's hearing range assumes). */
    volumePct: volumePctSchema.optional(),
    /** Shown as a QR code on the drone's display while it flies (the declaration form's URL). */
    qr: qrPayloadSchema,
  })
  .refine((b) => b.hoverS === undefined || b.forwardMps === undefined, { path: ['forwardMps'], message: 'either hover at stops (hoverS) or fly forward (forwardMps), not both' });
export type CreateBroadcastBody = z.infer<typeof createBroadcastBodySchema>;

/** A broadcast mission as the API and the live push show it. */
export const broadcastSummarySchema = z.object({
  id: z.string(),
  status: z.enum(['planned', 'running', 'done', 'aborted']),
  droneId: z.string(),
  createdAtMs: z.number(),
  stops: z.number().int(),
  sorties: z.number().int(),
  /** Stops where the drone has played the message (by its telemetry), by plan index. */
  stopsPlayed: z.array(z.number().int()),
  /** The sortie flown or last flown. */
  sortie: z.number().int().nullable(),
  /** The stop the drone is at or flying to, by plan index. */
  stop: z.number().int().nullable(),
  /** What the drone's speaker plays now, as it reports it. */
  playing: z.string().nullable(),
  /** What its display shows now. */
  showing: z.string().nullable(),
  drone: z.object({ lat: z.number(), lon: z.number(), altM: z.number(), mode: z.string() }).nullable(),
  /** Why it stopped early, when it did. */
  reason: z.string().optional(),
});
export type BroadcastSummary = z.infer<typeof broadcastSummarySchema>;
