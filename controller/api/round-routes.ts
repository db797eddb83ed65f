import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRoundBodySchema, historyPageQuerySchema, roundViewSchema, urgentRequestBodySchema } from '../../protocol/index.js';
import { unknownBefore } from './trip-routes.js';
import { actorOf } from '../auth/index.js';
import type { RoundManager, RoundRefusal } from '../rounds/index.js';

const errorSchema = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

/** `POST /api/rounds`, `GET /api/rounds` (newest first, `?limit=&before=` pages every round), `GET /api/rounds/:id`, `POST /api/rounds/:id/urgent`, `POST /api/trips/:id/replan`. */
export const roundRoutes: FastifyPluginAsyncZod<{ rounds: RoundManager }> = async (app, { rounds }) => {
  const refuse = (refusal: RoundRefusal) => ({
    error: refusal.status === 400 ? 'Bad Request' : refusal.status === 404 ? 'Not Found' : 'Conflict',
    message: refusal.path ? `${refusal.path}: ${refusal.reason}` : refusal.reason,
    ...(refusal.path ? { issues: [{ path: refusal.path, message: refusal.reason }] } : {}),
  });
  const created = z.object({ id: z.string(), plan: roundViewSchema.shape.plan });

  app.post('/api/rounds', { schema: { body: createRoundBodySchema, response: { 201: created, 400: errorSchema, 409: errorSchema } } }, async (request, reply) => {
    const result = await rounds.create(request.body, actorOf(request));
    if (!result.ok) return reply.code(result.status).send(refuse(result));
    return reply.code(201).send({ id: result.round.id, plan: result.round.plan });
  });
  app.get(
    '/api/rounds',
    { schema: { querystring: historyPageQuerySchema, response: { 200: z.array(roundViewSchema), 400: errorSchema } } },
    async (request, reply) => (await rounds.page(request.query)) ?? reply.code(400).send(unknownBefore('round', request.query.before!)),
  );
  app.get(
    '/api/rounds/:id',
    { schema: { params: z.object({ id: z.string() }), response: { 200: roundViewSchema, 404: errorSchema } } },
    async (request, reply) => rounds.get(request.params.id) ?? reply.code(404).send({ error: 'Not Found', message: `no round ${request.params.id}` }),
  );
  app.post(
    '/api/trips/:id/replan',
    {
      schema: {
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ round: roundViewSchema, rooms: z.array(z.string()) }), 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const result = await rounds.replanFailedTrip(request.params.id, actorOf(request));
      if (!result.ok) return reply.code(result.status).send(refuse(result));
      return { round: result.round, rooms: result.rooms };
    },
  );
  app.post(
    '/api/rounds/:id/urgent',
    {
      schema: {
        params: z.object({ id: z.string() }),
        body: urgentRequestBodySchema,
        response: { 200: roundViewSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const result = await rounds.urgent(request.params.id, request.body, actorOf(request));
      if (!result.ok) return reply.code(result.status).send(refuse(result));
      return result.round;
    },
  );
};
