import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../storage/index.js';

const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/** `GET /api/audit?subject=&limit=`: the append-only audit log, newest first. */
export const auditRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        querystring: z.object({ subject: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: { 200: z.array(auditEntrySchema) },
      },
    },
    async (request) => store.auditLog({ limit: request.query.limit, ...(request.query.subject ? { subject: request.query.subject } : {}) }),
  );
};
