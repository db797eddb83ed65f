import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alertQuerySchema, alertSchema, settingsSchema, type Settings } from '../../protocol/index.js';
import type { AlertCenter } from '../alerts/index.js';
import { actorOf } from '../auth/index.js';
import { refusal } from '../refusal.js';
import { refusalBodySchema, sendRefusal } from './refusal-reply.js';

/**
 * `GET /api/alerts` (open alerts, newest first; `?status=resolved|all&limit=&before=` pages the
 * history), `POST /api/alerts/:id/ack`.
 */
export const alertRoutes: FastifyPluginAsyncZod<{ alerts: AlertCenter }> = async (app, { alerts }) => {
  app.get('/api/alerts', { schema: { querystring: alertQuerySchema, response: { 200: z.array(alertSchema) } } }, async (request) => alerts.list(request.query));
  app.post('/api/alerts/:id/ack', { schema: { params: z.object({ id: z.string() }), response: { 200: alertSchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const alert = alerts.acknowledge(request.params.id, actorOf(request));
    if (!alert) return sendRefusal(reply, refusal('notFound', `no alert ${request.params.id}`));
    return alert;
  });
};

/** `GET /api/settings`, `PUT /api/settings`: the robots' announcement language. */
export const settingsRoutes: FastifyPluginAsyncZod<{ settings: Settings }> = async (app, { settings }) => {
  app.get('/api/settings', { schema: { response: { 200: settingsSchema } } }, async () => settings);
  app.put('/api/settings', { schema: { body: settingsSchema, response: { 200: settingsSchema } } }, async (request) => Object.assign(settings, request.body));
};
