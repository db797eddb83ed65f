import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('./dist/', import.meta.url));

/** Paths of the single-page app that are not files: they all get index.html (the app reads the path). */
const SPA_ROUTES = ['/medic', '/fleet', '/operator', '/dev', '/admin', '/bench', '/kiosk/*'];

export interface DashboardRoutesOptions {
  /** Folder with the built dashboard (`index.html`, `assets/`). Default `dashboard/dist`. */
  root?: string;
  /**
   * The path base a request came under (`/sites/hotel-a` through a site's path, `''` at the
   * root): index.html's links to the assets start with it. Default `''`.
   */
  pathBase?: (request: FastifyRequest) => string;
}

/**
 * index.html for a page under `base`: Vite builds with a relative base (`./assets/…`), which holds
 * only for pages in the base's own folder; made absolute, the assets load from `/kiosk/robot-1`
 * and `/sites/hotel-a/kiosk/robot-1` alike.
 */
const indexHtmlUnder = (html: string, base: string): string => html.replaceAll(/(src|href)="\.\/assets\//g, `$1="${base}/assets/`);

/**
 * Serves the built dashboard at `/`: hashed assets cached for a year, `index.html` never cached
 * (read at each request, so a new build is served at once), and SPA paths such as
 * `/kiosk/robot-1` answered with `index.html`. Without a build it answers
 * those paths with a 503 that says to run `npm run build`. Register it at the root (no prefix);
 * the API's own routes are more specific and keep winning.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, options) => {
  const root = options.root ?? DASHBOARD_DIST;
  const notBuilt = async (_request: unknown, reply: FastifyReply) =>
    reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send(`The dashboard is not built: run \`npm run build\` (vite build --config dashboard/vite.config.ts), then reload. Looked in ${root}`);
  if (!existsSync(`${root}/index.html`)) {
    for (const path of ['/', '/index.html', '/assets/*', ...SPA_ROUTES]) app.get(path, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // index.html is served by the routes below, for the base it is asked under.
    index: false,
    // Our own cache-control below: with send's (max-age=0), which comes after, it would be lost.
    cacheControl: false,
    setHeaders: (res, path) => {
      // Vite puts a content hash in every asset name; index.html must always be fresh.
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const pathBase = options.pathBase ?? (() => '');
  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    // Gone while a build empties the folder: the same 503 as before any build.
    const html = await readFile(`${root}/index.html`, 'utf8').catch(() => undefined);
    if (html === undefined) return notBuilt(request, reply);
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(indexHtmlUnder(html, pathBase(request)));
  };
  for (const path of ['/', '/index.html', ...SPA_ROUTES]) app.get(path, sendIndex);
};
