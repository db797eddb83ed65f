/**
 * `GET /api/sites` (admin): the sites of the district with their fleets' health, as each site's
 * controller last reported it beside its lease in the shared database (every 10 s), this
 * controller's own site live. With a SQLite store (a site alone) the list is the own site only.
 */
import { z } from 'zod';

const count = z.number().int().min(0);

/** A site's fleet at a glance. */
export const siteHealthSchema = z.object({
  robots: count,
  robotsOnline: count,
  drones: count,
  dronesOnline: count,
  /** Trips neither done nor failed. */
  tripsUnderWay: count,
  openAlerts: count,
});
/** A site's fleet at a glance. */
export type SiteHealth = z.infer<typeof siteHealthSchema>;

/** One site of the list. */
export const siteEntrySchema = z.object({
  /** The site id (`ISOFLEET_SITE_ID`), or the site map's name for a controller without one. */
  site: z.string(),
  /** The site map's name (`hotel`). */
  map: z.string(),
  /** The site controller's dashboard address (`ISOFLEET_PUBLIC_URL`); null when it did not give one. */
  address: z.string().nullable(),
  health: siteHealthSchema,
  /** ISO 8601: when its controller reported this. */
  reportedAt: z.string(),
  /** False when its controller has not reported for 30 s or more (stopped, or lost its database). */
  current: z.boolean(),
  /** This controller's own site. */
  own: z.boolean(),
});
/** One site of the list. */
export type SiteEntry = z.infer<typeof siteEntrySchema>;

/** `GET /api/sites` reply, the own site first, then by site id. */
export const sitesReplySchema = z.array(siteEntrySchema);
