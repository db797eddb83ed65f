import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sitesReplySchema, type SiteEntry } from '../../protocol/index.js';

/** `GET /api/sites` (admin): every site of the district with its fleet's health (see `startSiteReports`). */
export const sitesRoutes: FastifyPluginAsyncZod<{ list: () => Promise<SiteEntry[]> }> = async (app, { list }) => {
  app.get('/api/sites', { schema: { response: { 200: sitesReplySchema } } }, async () => list());
};
