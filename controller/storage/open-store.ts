import { openDatabase, type Db } from './database.js';
import { claimSite } from './site-claim.js';
import { PostgresStore, SiteTakenError } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { SiteDirectory } from './site-directory.js';
import type { Store } from './store.js';

/** The store named by ISOFLEET_DB cannot be opened; the message says why, in one line. */
export class StoreUnavailableError extends Error {}

/** `location` fit for a log line or an error: a URL's password replaced by `***`. */
export function redactLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Whether `location` (ISOFLEET_DB) names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

export interface OpenedStore {
  store: Store;
  /**
   * The SQLite database of users, sessions and device logins (their stores answer at once, inside
   * request hooks): the store's own file on SQLite; `authFile` beside a PostgreSQL store.
   */
  authDb: Db;
  /** The district's list of sites: on PostgreSQL only (a SQLite file is one site's alone). */
  directory?: SiteDirectory;
  close(): Promise<void>;
}

/**
 * Opens what `location` names: a `postgres://` URL gives a {@link PostgresStore} (the site's own
 * schema on that database, one controller per site); anything else is a SQLite file, `:memory:`
 * keeping nothing. Throws {@link StoreUnavailableError} when PostgreSQL cannot be reached,
 * refuses the login or the database, or another controller serves the site, and when a SQLite
 * file (the store's, or `authFile`) was made for another site ({@link claimSite}).
 */
export async function openStore(
  location: string,
  options: {
    site: string;
    authFile?: string;
    log: { error: (details: object, message: string) => void };
    /** Called when the PostgreSQL connection is lost after opening: nothing more can be saved, and the site's lock is gone. */
    onLost?: (error: Error) => void;
  },
): Promise<OpenedStore> {
  if (isPostgresUrl(location)) {
    const store = await PostgresStore.open({
      url: location,
      site: options.site,
      onConnectionError: (error) => {
        options.log.error({ err: error.message }, 'lost the PostgreSQL connection: nothing more is saved until the controller restarts');
        options.onLost?.(error);
      },
    }).catch((error: Error & { code?: string }) => {
      if (error instanceof SiteTakenError) throw new StoreUnavailableError(error.message);
      // A socket's code (ECONNREFUSED …) or the server's own words (no such database, login refused).
      throw new StoreUnavailableError(error.code && /^E[A-Z]+$/.test(error.code) ? `cannot reach PostgreSQL (${error.code})` : `PostgreSQL: ${error.message}`);
    });
    const authDb = openDatabase(options.authFile ?? ':memory:');
    const claim = claimSite(authDb, options.site);
    if (!claim.ok) {
      authDb.close();
      await store.close();
      throw new StoreUnavailableError(otherSite(`ISOFLEET_AUTH_DB=${options.authFile}`, claim.holds, options.site));
    }
    return {
      store,
      authDb,
      directory: store.directory,
      close: async () => {
        await store.close();
        authDb.close();
      },
    };
  }
  const store = new SqliteStore(location);
  const claim = claimSite(store.db, options.site);
  if (!claim.ok) {
    store.close();
    throw new StoreUnavailableError(otherSite('the file', claim.holds, options.site));
  }
  return { store, authDb: store.db, close: async () => store.close() };
}

/** Why a SQLite file of site `holds` does not serve site `wanted`, and what to do, in one line. */
const otherSite = (what: string, holds: string, wanted: string) =>
  `${what} holds site "${holds}", not "${wanted}": give site "${wanted}" a file of its own, or start this controller as site "${holds}" (ISOFLEET_SITE_ID, or SITE without one)`;
