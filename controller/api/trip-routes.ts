import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createTripBodySchema, historyPageQuerySchema, tripViewSchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import type { TripManager } from '../trips/trip-manager.js';

const errorSchema = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

/** The 400 for a page asked after a trip or round that does not exist. */
export function unknownBefore(what: 'trip' | 'round', id: string) {
  const message = `no ${what} ${id}`;
  return { error: 'Bad Request', message: `querystring.before: ${message}`, issues: [{ path: 'querystring.before', message }] };
}

/**
 * `POST /api/trips`, `POST /api/trips/:id/trays/:tray/loaded`, `GET /api/trips` (newest first,
 * `?limit=&before=` pages every trip ever made), `GET /api/trips/:id`.
 */
export const tripRoutes: FastifyPluginAsyncZod<{ trips: TripManager }> = async (app, { trips }) => {
  app.post('/api/trips', { schema: { body: createTripBodySchema, response: { 201: z.object({ id: z.string() }), 400: errorSchema, 409: errorSchema } } }, async (request, reply) => {
    const result = await trips.create(request.body, { actor: actorOf(request) });
    if (!result.ok && result.path)
      return reply.code(400).send({ error: 'Bad Request', message: `${result.path}: ${result.reason}`, issues: [{ path: result.path, message: result.reason }] });
    if (!result.ok) return reply.code(409).send({ error: 'Conflict', message: result.reason });
    return reply.code(201).send({ id: result.trip.id });
  });
  app.post(
    '/api/trips/:id/trays/:tray/loaded',
    {
      schema: {
        params: z.object({ id: z.string(), tray: z.coerce.number().int().min(1).max(4) }),
        response: { 200: tripViewSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const result = await trips.confirmTray(request.params.id, request.params.tray, actorOf(request));
      if (!result.ok) return reply.code(result.status).send({ error: result.status === 404 ? 'Not Found' : 'Conflict', message: result.reason });
      return result.trip;
    },
  );
  app.get(
    '/api/trips',
    { schema: { querystring: historyPageQuerySchema, response: { 200: z.array(tripViewSchema), 400: errorSchema } } },
    async (request, reply) => (await trips.page(request.query)) ?? reply.code(400).send(unknownBefore('trip', request.query.before!)),
  );
  app.get('/api/trips/:id', { schema: { params: z.object({ id: z.string() }), response: { 200: tripViewSchema, 404: errorSchema } } }, async (request, reply) => {
    const trip = trips.get(request.params.id);
    if (!trip) return reply.code(404).send({ error: 'Not Found', message: `no trip ${request.params.id}` });
    return trip;
  });
};
