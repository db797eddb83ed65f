/**
 * The path this page was loaded under: `/sites/{site}` when a reverse proxy serves several sites'
 * controllers on one host name (`protocol/site-path.ts`), `''` at the root. Every API call,
 * socket.io's path and the signed-in session follow it, so a page opened under a site's path
 * talks to that site's controller only.
 */
import { sitePathBase } from '../../../protocol/site-path.js';

export const pathBase: string = typeof location === 'undefined' ? '' : sitePathBase(location.pathname);
