import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { broadcastSummarySchema, createBroadcastBodySchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import { refusalBodySchema, sendRefusal } from '../api/refusal-reply.js';
import { refusal } from '../refusal.js';
import type { BroadcastManager } from './broadcast-manager.js';

const idParams = z.object({ id: z.string() });
const planSchema = z.looseObject({ type: z.literal('FeatureCollection') });

/**
 * Broadcast missions over HTTP: `POST/GET /api/broadcasts` (plan a road, message and QR, and
 * assign a speaker drone), `GET /api/broadcasts/:id`, `GET /api/broadcasts/:id/plan` (the road
 * file and the plan's stops and sorties as GeoJSON), `POST /api/broadcasts/:id/{launch,abort}`.
 */
export const broadcastRoutes: FastifyPluginAsyncZod<{ manager: BroadcastManager }> = async (app, { manager }) => {
  app.post(
    '/api/broadcasts',
    {
      schema: {
        body: createBroadcastBodySchema,
        response: { 201: z.object({ summary: broadcastSummarySchema, plan: planSchema }), 400: refusalBodySchema, 409: refusalBodySchema, 503: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = await manager.create(request.body, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return reply.code(201).send({ summary: result.summary, plan: result.plan });
    },
  );
  app.get('/api/broadcasts', { schema: { response: { 200: z.array(broadcastSummarySchema) } } }, async () => manager.list());
  app.get('/api/broadcasts/:id', { schema: { params: idParams, response: { 200: broadcastSummarySchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const summary = manager.get(request.params.id);
    if (!summary) return sendRefusal(reply, refusal('notFound', `no broadcast ${request.params.id}`));
    return summary;
  });
  app.get(
    '/api/broadcasts/:id/plan',
    { schema: { params: idParams, response: { 200: z.object({ id: z.string(), road: createBroadcastBodySchema.shape.road, plan: planSchema }), 404: refusalBodySchema } } },
    async (request, reply) => {
      const plan = manager.plan(request.params.id);
      if (!plan) return sendRefusal(reply, refusal('notFound', `no broadcast ${request.params.id}`));
      return plan;
    },
  );
  for (const action of ['launch', 'abort'] as const) {
    app.post(
      `/api/broadcasts/:id/${action}`,
      { schema: { params: idParams, response: { 200: broadcastSummarySchema, 404: refusalBodySchema, 409: refusalBodySchema } } },
      async (request, reply) => {
        const result = manager[action](request.params.id, actorOf(request));
        if (!result.ok) return sendRefusal(reply, result);
        return result.summary;
      },
    );
  }
};
