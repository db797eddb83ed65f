/**
 * The controller's site path (`/sites/{site}/…`, `protocol/site-path.ts`): everything it serves at
 * the root it also serves under its site's path, so several controllers share one host name
 * behind a reverse proxy that passes paths on unchanged (all but `/metrics`, kept to the controller's
 * own port). A request under another site's path is refused with a 404 naming the site this
 * controller serves.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sitePath, sitePathBase, siteOfPath, withoutSitePath } from '../../protocol/index.js';
import { refusal } from '../refusal.js';
import { sendRefusal } from './refusal-reply.js';

/**
 * Fastify's options for the controller of `site` behind the district's reverse proxy: its site's
 * path ({@link rewriteSiteUrl}), and the client's address from `X-Forwarded-For` when the request
 * comes from this machine (the proxy of `deploy/nginx-isofleet.conf` runs beside the controllers).
 * Without that every person reaching a site through the proxy had the proxy's address, so the
 * failed-login limit (per address) locked everybody out after 30 wrong passwords from anyone.
 * A client elsewhere cannot set its address: only loopback is trusted.
 */
export function siteHttpOptions(site: string): { rewriteUrl: (request: IncomingMessage) => string; trustProxy: string } {
  return { rewriteUrl: rewriteSiteUrl(site), trustProxy: 'loopback' };
}

/**
 * Fastify's `rewriteUrl` option for the controller of `site`: a URL under its site's path is
 * routed as the same URL at the root (`/sites/hotel-a/api/robots` as `/api/robots`); Fastify keeps
 * the URL as it came in `request.originalUrl` ({@link pathBaseOf}). Other URLs stay as they are.
 */
export function rewriteSiteUrl(site: string): (request: IncomingMessage) => string {
  return (request) => {
    const url = request.url ?? '/';
    const stripped = withoutSitePath(url, site);
    return stripped === undefined || rootOnly(stripped) ? url : stripped;
  };
}

/**
 * `/metrics` is answered without sign-in, for a scraper on the site's network: under the site's
 * path the district's reverse proxy (which passes `/sites/{site}/…` on whole) would publish it.
 */
const rootOnly = (url: string): boolean => /^\/metrics(?:[/?]|$)/.test(url);

/**
 * The path base `request` came under: `/sites/{site}` through the site's path, `''` at the root.
 * Only the own site's path reaches a route: another site's is refused ({@link otherSiteRoutes}).
 */
export const pathBaseOf = (request: FastifyRequest): string => sitePathBase(request.originalUrl);

/**
 * The API's documentation under the site's path asked for without its last slash
 * (`/sites/{site}/api/docs`) is sent to `/sites/{site}/api/docs/`: swagger-ui's page there links
 * its files from the root (`/api/docs/static/…`), which the reverse proxy does not serve, so the
 * page came up empty; with the slash it links them relatively.
 */
export function docsUnderSitePath(app: FastifyInstance, site: string): void {
  const docs = `${sitePath(site)}/api/docs`;
  app.addHook('onRequest', async (request, reply) => {
    const [path, query] = request.originalUrl.split(/\?(.*)/s, 2);
    if (path === docs) return reply.redirect(`${docs}/${query ? `?${query}` : ''}`, 301);
  });
}

/**
 * socket.io under the site's path too: socket.io answers its requests and WebSocket upgrades on
 * the HTTP server before Fastify routes anything (so `rewriteUrl` never sees them), and knows one
 * path, `/socket.io/`. A listener put before socket.io's takes the site's path off those.
 * Call after socket.io is attached: attaching takes over the server's request listeners.
 */
export function socketIoUnderSitePath(server: Server, site: string): void {
  const strip = (request: IncomingMessage) => {
    const stripped = withoutSitePath(request.url ?? '/', site);
    if (stripped?.startsWith('/socket.io/')) request.url = stripped;
  };
  server.prependListener('request', strip);
  server.prependListener('upgrade', strip);
}

/**
 * Refuses paths under another site's path (after `rewriteUrl` took the own site's off): 404 in the
 * refusal shape naming the site asked for and the site served here, whatever the method; and the
 * own site's path to `/metrics`, which `rewriteUrl` leaves alone.
 */
export const otherSiteRoutes: FastifyPluginAsync<{ site: string }> = async (app, options) => {
  const refuse = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const asked = siteOfPath(path) ?? '';
    const own = withoutSitePath(path, options.site);
    if (own !== undefined && rootOnly(own)) {
      return sendRefusal(reply, refusal('notFound', `${path} is not served under the site's path: Prometheus reads /metrics on the controller's own port, on the site's network`));
    }
    request.log.warn({ path, site: options.site }, 'request for another site');
    return sendRefusal(reply, refusal('notFound', `this controller serves site "${options.site}" (${sitePath(options.site)}/), not "${asked}": ${path} belongs to that site's controller`));
  };
  app.all('/sites/:site', refuse);
  app.all('/sites/:site/*', refuse);
};
