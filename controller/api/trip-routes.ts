import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createTripBodySchema, historyPageQuerySchema, tripViewSchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import { refusal, type Refusal } from '../refusal.js';
import type { TripManager } from '../trips/trip-manager.js';
import { refusalBodySchema, sendRefusal } from './refusal-reply.js';

/** The 400 for a page asked after a trip or round that does not exist. */
export function unknownBefore(what: 'trip' | 'round', id: string): Refusal {
  return refusal('invalid', `no ${what} ${id}`, 'querystring.before');
}

/**
 * `POST /api/trips`, `POST /api/trips/:id/trays/:tray/loaded`, `GET /api/trips` (newest first,
 * `?limit=&before=` pages every trip ever made), `GET /api/trips/:id`.
 */
export const tripRoutes: FastifyPluginAsyncZod<{ trips: TripManager }> = async (app, { trips }) => {
  app.post(
    '/api/trips',
    { schema: { body: createTripBodySchema, response: { 201: z.object({ id: z.string() }), 400: refusalBodySchema, 409: refusalBodySchema } } },
    async (request, reply) => {
      const result = await trips.create(request.body, { actor: actorOf(request) });
      if (!result.ok) return sendRefusal(reply, result);
      return reply.code(201).send({ id: result.trip.id });
    },
  );
  app.post(
    '/api/trips/:id/trays/:tray/loaded',
    {
      schema: {
        params: z.object({ id: z.string(), tray: z.coerce.number().int().min(1).max(4) }),
        response: { 200: tripViewSchema, 404: refusalBodySchema, 409: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = await trips.confirmTray(request.params.id, request.params.tray, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return result.trip;
    },
  );
  app.get(
    '/api/trips',
    { schema: { querystring: historyPageQuerySchema, response: { 200: z.array(tripViewSchema), 400: refusalBodySchema } } },
    async (request, reply) => (await trips.page(request.query)) ?? sendRefusal(reply, unknownBefore('trip', request.query.before!)),
  );
  app.get('/api/trips/:id', { schema: { params: z.object({ id: z.string() }), response: { 200: tripViewSchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const trip = trips.get(request.params.id);
    if (!trip) return sendRefusal(reply, refusal('notFound', `no trip ${request.params.id}`));
    return trip;
  });
};
