/**
 * Where a site's controller is reached over HTTP when several sit behind one reverse proxy on one
 * host name: everything it serves (the API, socket.io, the dashboard) under `/sites/{site}/`,
 * as well as at the root for the one-site install. The proxy passes the path on unchanged, so a
 * controller can tell a request meant for another site (a proxy mapping a prefix to the wrong
 * port) and refuse it rather than answer with its own site's robots.
 */

/** The path every route of `site` is also served under: `/sites/{site}` (no trailing slash). */
export const sitePath = (site: string): string => `/sites/${encodeURIComponent(site)}`;

/**
 * A site's name as it stands in a path: percent-decoded, so `/sites/ho%74el/` is `hotel`'s path
 * (RFC 3986 §6.2.2.2: a percent-encoded unreserved character is the character itself; nginx
 * matches its locations on the decoded path, so the proxy sends such a request to `hotel`'s
 * controller, which must then serve it). `undefined` for an empty or undecodable segment.
 */
function siteOfSegment(segment: string): string | undefined {
  if (segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `url` (path and query) with `site`'s path taken off its front: `/sites/hotel-a/api/robots?x` →
 * `/api/robots?x`, `/sites/hotel-a` → `/`, `/sites/hotel%2Da/` → `/` (the name percent-decoded);
 * `undefined` when `url` is not under it (the root's paths, another site's, `/sites/hotel-ab/…`
 * for site `hotel-a`).
 */
export function withoutSitePath(url: string, site: string): string | undefined {
  const match = /^\/sites\/([^/?#]*)(.*)$/s.exec(url);
  if (!match || siteOfSegment(match[1]!) !== site) return undefined;
  const rest = match[2]!;
  if (rest === '') return '/';
  if (rest.startsWith('/')) return rest;
  if (rest.startsWith('?')) return `/${rest}`;
  return undefined;
}

/** The site a path is under (`/sites/hotel-b/api/robots` → `hotel-b`, percent-decoded), or `undefined` for a path outside `/sites/…/` or naming none (`/sites/`). */
export function siteOfPath(pathname: string): string | undefined {
  const match = /^\/sites\/([^/?#]*)(?:[/?#]|$)/.exec(pathname);
  return match ? siteOfSegment(match[1]!) : undefined;
}

/**
 * The path base a page at `pathname` was loaded under: `/sites/{site}` for a page under a site's
 * path, `''` at the root. The dashboard puts it before its API calls and socket.io's path, so a
 * page loaded through a site's prefix talks to that site's controller.
 */
export function sitePathBase(pathname: string): string {
  const site = siteOfPath(pathname);
  return site === undefined ? '' : sitePath(site);
}
