/**
 * The controller's site path (`/sites/{site}/…`, `protocol/site-path.ts`): everything it serves at
 * the root it also serves under its site's path, so several controllers share one host name
 * behind a reverse proxy that passes paths on unchanged (all but `/metrics`, kept to the controller's
 * own port). A request under another site's path is refused with a 404 naming the site this
 * controller serves.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sitePath, sitePathBase, siteOfPath, withoutSitePath } from '../../protocol/index.js';
import { refusal } from '../refusal.js';
import { refusalBody, sendRefusal } from './refusal-reply.js';

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
 * Why a path under `/sites/…` is not this controller's: it names another site, or none
 * (`/sites/`, or a name that does not decode). One sentence for the API's 404 and a refused
 * WebSocket upgrade alike.
 */
export function otherSiteMessage(path: string, site: string): string {
  const here = `this controller serves site "${site}" (${sitePath(site)}/)`;
  const asked = siteOfPath(path);
  return asked === undefined ? `${path} names no site: ${here}; a site's pages are under /sites/{site}/` : `${here}, not "${asked}": ${path} belongs to that site's controller`;
}

/**
 * socket.io under the site's path too: socket.io answers its requests and WebSocket upgrades on
 * the HTTP server before Fastify routes anything (so `rewriteUrl` never sees them), and knows one
 * path, `/socket.io/`. A listener put before socket.io's takes the site's path off those.
 * A WebSocket upgrade under another site's path (a proxy mapping a prefix to the wrong port) is
 * refused at once with a 404 in the refusal shape: socket.io leaves upgrades outside its path
 * unanswered (engine.io closes the socket after a second without a word), so the browser saw the
 * connection drop and retried forever without a reason.
 * Call after socket.io is attached: attaching takes over the server's request listeners.
 */
export function socketIoUnderSitePath(server: Server, site: string, log?: { warn: (details: object, message: string) => void }): void {
  const strip = (request: IncomingMessage) => {
    const stripped = withoutSitePath(request.url ?? '/', site);
    if (stripped?.startsWith('/socket.io/')) request.url = stripped;
  };
  server.prependListener('request', strip);
  server.prependListener('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const url = request.url ?? '/';
    if (url.startsWith('/sites/') && withoutSitePath(url, site) === undefined) {
      const path = url.split('?')[0]!;
      log?.warn({ path, site }, 'WebSocket upgrade for another site');
      const body = JSON.stringify(refusalBody(refusal('notFound', otherSiteMessage(path, site))));
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    strip(request);
  });
}

/**
 * Refuses paths under another site's path (after `rewriteUrl` took the own site's off): 404 in the
 * refusal shape naming the site asked for and the site served here, whatever the method (or
 * saying the path names no site: `/sites/`); and the own site's path to `/metrics`, which
 * `rewriteUrl` leaves alone.
 */
export const otherSiteRoutes: FastifyPluginAsync<{ site: string }> = async (app, options) => {
  const refuse = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const own = withoutSitePath(path, options.site);
    if (own !== undefined && rootOnly(own)) {
      return sendRefusal(reply, refusal('notFound', `${path} is not served under the site's path: Prometheus reads /metrics on the controller's own port, on the site's network`));
    }
    request.log.warn({ path, site: options.site }, 'request for another site');
    return sendRefusal(reply, refusal('notFound', otherSiteMessage(path, options.site)));
  };
  app.all('/sites/:site', refuse);
  app.all('/sites/:site/*', refuse);
};
