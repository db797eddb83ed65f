import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createTripBodySchema, tripViewSchema } from '../../protocol/index.js';
import type { TripManager } from '../trips/trip-manager.js';

const errorSchema = z.object({ error: z.string(), message: z.string() });

/** `POST /api/trips`, `GET /api/trips`, `GET /api/trips/:id`. */
export const tripRoutes: FastifyPluginAsyncZod<{ trips: TripManager }> = async (app, { trips }) => {
  app.post(
    '/api/trips',
    { schema: { body: createTripBodySchema, response: { 201: z.object({ id: z.string() }), 409: errorSchema } } },
    async (request, reply) => {
      const result = await trips.create(request.body);
      if (!result.ok) return reply.code(409).send({ error: 'Conflict', message: result.reason });
      return reply.code(201).send({ id: result.trip.id });
    },
  );
  app.get('/api/trips', { schema: { response: { 200: z.array(tripViewSchema) } } }, async () => trips.list());
  app.get(
    '/api/trips/:id',
    { schema: { params: z.object({ id: z.string() }), response: { 200: tripViewSchema, 404: errorSchema } } },
    async (request, reply) => {
      const trip = trips.get(request.params.id);
      if (!trip) return reply.code(404).send({ error: 'Not Found', message: `no trip ${request.params.id}` });
      return trip;
    },
  );
};
