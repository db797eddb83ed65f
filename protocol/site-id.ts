/**
 * The site a controller serves, on the wire. Several sites share one broker: each site's topics
 * start with an interface name of its own and each MQTT login carries its site, so a controller
 * and the devices of one site never see another's. A controller without a site (the single-site
 * install, the demo) keeps the plain topics `uagv/v2/…` and `isofleet/v1/…` and plain logins.
 *
 * VDA 5050 (§6.1.1, topic `interfaceName/majorVersion/manufacturer/serialNumber/topic`) leaves the
 * interface name to the project; vda-5050-lib's `interfaceName` option documents it as the level
 * that isolates transport systems sharing one MQTT infrastructure. So the site goes there, and a
 * stock AGV joins a site by its interface name alone (`interfaceName: 'uagv-hotel-a'`), with no
 * change to its topic format. The drones and door sensors follow the same rule (`isofleet-{site}`).
 */
import { z } from 'zod';

/**
 * A site id: 1-32 lower-case letters, digits and `-`, starting and ending with a letter or digit
 * (a safe MQTT topic level, a safe part of a username, of a PostgreSQL schema and a file name).
 */
export const siteIdSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be 1-32 lower-case letters, digits and dashes, starting and ending with a letter or digit');

function checkedSite(site: string | undefined): string | undefined {
  if (site !== undefined && !siteIdSchema.safeParse(site).success) throw new Error(`'${site}' cannot be a site id`);
  return site;
}

/** The VDA 5050 interface name (first topic level) of `site`: `uagv-{site}`, `uagv` without a site. */
export const vdaInterfaceName = (site?: string): string => (checkedSite(site) === undefined ? 'uagv' : `uagv-${site}`);

/** The first topic level of the drones' and door sensors' topics: `isofleet-{site}`, `isofleet` without a site. */
export const isofleetInterfaceName = (site?: string): string => (checkedSite(site) === undefined ? 'isofleet' : `isofleet-${site}`);

/** The topic filters of everything of `site` on the broker: what its controller may read and write. */
export const siteTopicFilters = (site: string): string[] => [`${vdaInterfaceName(site)}/#`, `${isofleetInterfaceName(site)}/#`];

/**
 * The MQTT username of device or controller `id` at `site`: `{id}@{site}` (`acme/r1@hotel-a`,
 * `controller@hotel-a`), `id` itself without a site. Device ids hold no `@`.
 */
export const siteUsername = (id: string, site?: string): string => (checkedSite(site) === undefined ? id : `${id}@${site}`);

/** Splits an MQTT username into id and site; `undefined` when the part after `@` is not a site id. */
export function splitSiteUsername(username: string): { id: string; site?: string } | undefined {
  const at = username.lastIndexOf('@');
  if (at < 0) return { id: username };
  const site = username.slice(at + 1);
  const id = username.slice(0, at);
  return id !== '' && siteIdSchema.safeParse(site).success ? { id, site } : undefined;
}
