/**
 * The controller's site path (`/sites/{site}/…`, `protocol/site-path.ts`): everything it serves at
 * the root it also serves under its site's path, so several controllers share one host name
 * behind a reverse proxy that passes paths on unchanged. A request under another site's path is
 * refused with a 404 naming the site this controller serves.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sitePath, sitePathBase, siteOfPath, withoutSitePath } from '../../protocol/index.js';
import { refusal } from '../refusal.js';
import { sendRefusal } from './refusal-reply.js';

/**
 * Fastify's `rewriteUrl` option for the controller of `site`: a URL under its site's path is
 * routed as the same URL at the root (`/sites/hotel-a/api/robots` as `/api/robots`); Fastify keeps
 * the URL as it came in `request.originalUrl` ({@link pathBaseOf}). Other URLs stay as they are.
 */
export function rewriteSiteUrl(site: string): (request: IncomingMessage) => string {
  return (request) => {
    const url = request.url ?? '/';
    return withoutSitePath(url, site) ?? url;
  };
}

/**
 * The path base `request` came under: `/sites/{site}` through the site's path, `''` at the root.
 * Only the own site's path reaches a route: another site's is refused ({@link otherSiteRoutes}).
 */
export const pathBaseOf = (request: FastifyRequest): string => sitePathBase(request.originalUrl);

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
 * refusal shape naming the site asked for and the site served here, whatever the method.
 */
export const otherSiteRoutes: FastifyPluginAsync<{ site: string }> = async (app, options) => {
  const refuse = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const asked = siteOfPath(path) ?? '';
    request.log.warn({ path, site: options.site }, 'request for another site');
    return sendRefusal(reply, refusal('notFound', `this controller serves site "${options.site}" (${sitePath(options.site)}/), not "${asked}": ${path} belongs to that site's controller`));
  };
  app.all('/sites/:site', refuse);
  app.all('/sites/:site/*', refuse);
};
