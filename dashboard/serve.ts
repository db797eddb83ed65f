import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build` puts the dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('./dist/', import.meta.url));

/** Paths of the single-page app that are not files: they all get index.html (the app reads the path). */
const SPA_ROUTES = ['/medic', '/fleet', '/operator', '/dev', '/admin', '/bench', '/kiosk/*'];

export interface DashboardRoutesOptions {
  /** Folder with the built dashboard (`index.html`, `assets/`). Default `dashboard/dist`. */
  root?: string;
}

/**
 * Serves the built dashboard at `/`: hashed assets cached for a year, `index.html` never cached,
 * and SPA paths such as `/kiosk/robot-1` answered with `index.html`. Without a build it answers
 * those paths with a 503 that says to run `npm run build`. Register it at the root (no prefix);
 * the API's own routes are more specific and keep winning.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, options) => {
  const root = options.root ?? DASHBOARD_DIST;
  if (!existsSync(`${root}/index.html`)) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The dashboard is not built: run \`npm run build\` (vite build --config dashboard/vite.config.ts), then reload. Looked in ${root}`);
    for (const path of ['/', '/index.html', '/assets/*', ...SPA_ROUTES]) app.get(path, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    setHeaders: (res, path) => {
      // Vite puts a content hash in every asset name; index.html must always be fresh.
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  for (const path of SPA_ROUTES) app.get(path, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root));
};
