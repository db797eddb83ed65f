import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { doorMuteBodySchema, doorParamsSchema, doorViewSchema } from '../../protocol/index.js';
import { refusalBodySchema, sendRefusal } from '../api/refusal-reply.js';
import { actorOf } from '../auth/index.js';
import type { DoorSensors } from './door-sensors.js';

/**
 * `GET /api/doors` (every room's door: open or closed as its sensor last said, isolated, muted),
 * `PUT /api/doors/:room/mute` (a medic mutes or unmutes the room's unexpected-open alert; audited).
 */
export const doorRoutes: FastifyPluginAsyncZod<{ doors: DoorSensors }> = async (app, { doors }) => {
  app.get('/api/doors', { schema: { response: { 200: z.array(doorViewSchema) } } }, async () => doors.list());
  app.put('/api/doors/:room/mute', { schema: { params: doorParamsSchema, body: doorMuteBodySchema, response: { 200: doorViewSchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const result = await doors.setMute(request.params.room, request.body, actorOf(request));
    return 'ok' in result ? sendRefusal(reply, result) : result;
  });
};
