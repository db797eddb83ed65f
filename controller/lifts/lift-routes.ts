import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { liftCarViewSchema } from '../../protocol/index.js';
import type { LiftSessionManager } from './lift-session-manager.js';

/** `GET /api/lifts`: every lift car in use or asked for, with its holder and queue. */
export const liftRoutes: FastifyPluginAsyncZod<{ lifts: LiftSessionManager }> = async (app, { lifts }) => {
  app.get('/api/lifts', { schema: { response: { 200: z.array(liftCarViewSchema) } } }, async () => lifts.view());
};
