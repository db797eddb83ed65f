import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { siteSchema, type Site } from '../../protocol/index.js';

/** `GET /api/site` (summary) and `GET /api/site/map` (the whole site file, for drawing). */
export const siteRoutes: FastifyPluginAsyncZod<{ site: Site }> = async (app, { site }) => {
  app.get(
    '/api/site',
    {
      schema: {
        response: {
          200: z.object({ name: z.string(), levels: z.array(z.string()), rooms: z.array(z.string()) }),
        },
      },
    },
    async () => ({
      name: site.name,
      levels: site.levels.map((l) => l.name),
      rooms: site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : [])),
    }),
  );
  app.get('/api/site/map', { schema: { response: { 200: siteSchema } } }, async () => site);
};
