import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRoundBodySchema, historyPageQuerySchema, roundViewSchema, urgentRequestBodySchema } from '../../protocol/index.js';
import { unknownBefore } from './trip-routes.js';
import { actorOf } from '../auth/index.js';
import { refusal } from '../refusal.js';
import type { RoundManager } from '../rounds/index.js';
import { refusalBodySchema, sendRefusal } from './refusal-reply.js';

/** `POST /api/rounds`, `GET /api/rounds` (newest first, `?limit=&before=` pages every round), `GET /api/rounds/:id`, `POST /api/rounds/:id/urgent`, `POST /api/trips/:id/replan`. */
export const roundRoutes: FastifyPluginAsyncZod<{ rounds: RoundManager }> = async (app, { rounds }) => {
  const created = z.object({ id: z.string(), plan: roundViewSchema.shape.plan });

  app.post('/api/rounds', { schema: { body: createRoundBodySchema, response: { 201: created, 400: refusalBodySchema, 409: refusalBodySchema } } }, async (request, reply) => {
    const result = await rounds.create(request.body, actorOf(request));
    if (!result.ok) return sendRefusal(reply, result);
    return reply.code(201).send({ id: result.round.id, plan: result.round.plan });
  });
  app.get(
    '/api/rounds',
    { schema: { querystring: historyPageQuerySchema, response: { 200: z.array(roundViewSchema), 400: refusalBodySchema } } },
    async (request, reply) => (await rounds.page(request.query)) ?? sendRefusal(reply, unknownBefore('round', request.query.before!)),
  );
  app.get(
    '/api/rounds/:id',
    { schema: { params: z.object({ id: z.string() }), response: { 200: roundViewSchema, 404: refusalBodySchema } } },
    async (request, reply) => rounds.get(request.params.id) ?? sendRefusal(reply, refusal('notFound', `no round ${request.params.id}`)),
  );
  app.post(
    '/api/trips/:id/replan',
    {
      schema: {
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ round: roundViewSchema, rooms: z.array(z.string()) }), 400: refusalBodySchema, 404: refusalBodySchema, 409: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = await rounds.replanFailedTrip(request.params.id, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return { round: result.round, rooms: result.rooms };
    },
  );
  app.post(
    '/api/rounds/:id/urgent',
    {
      schema: {
        params: z.object({ id: z.string() }),
        body: urgentRequestBodySchema,
        response: { 200: roundViewSchema, 400: refusalBodySchema, 404: refusalBodySchema, 409: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = await rounds.urgent(request.params.id, request.body, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return result.round;
    },
  );
};
