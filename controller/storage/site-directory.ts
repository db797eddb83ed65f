/**
 * The district's list of sites on a shared PostgreSQL database: one row per site in
 * `isofleet.sites`, written by the controller that holds the site's lock (see PostgresStore), so
 * an admin of any site sees every site's fleet health. Outside the sites' own schemas, which
 * stay each site's alone.
 */
import type pg from 'pg';
import type { SiteHealth } from '../../protocol/index.js';

/** What a site's controller last said of its site. */
export interface SiteReport {
  site: string;
  map: string;
  address: string | null;
  health: SiteHealth;
  /** ISO 8601. */
  reportedAt: string;
}

/** The shared list of sites. */
export interface SiteDirectory {
  /** Writes this controller's site's row (only the holder of the site's lock calls it). */
  report(report: Omit<SiteReport, 'site'>): Promise<void>;
  /** Every site's last report, by site id. */
  reports(): Promise<SiteReport[]>;
}

type Query = <Row extends pg.QueryResultRow>(sql: string, values?: unknown[]) => Promise<pg.QueryResult<Row>>;

/** Creates `isofleet.sites` if needed; under a transaction lock, as controllers may start at once. */
export async function createSiteDirectory(client: pg.Client): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['isofleet-migrate:directory']);
    await client.query('CREATE SCHEMA IF NOT EXISTS isofleet');
    await client.query(`CREATE TABLE IF NOT EXISTS isofleet.sites (
      site TEXT PRIMARY KEY,
      map TEXT NOT NULL,
      address TEXT,
      health JSONB NOT NULL,
      reported_at TIMESTAMPTZ NOT NULL
    )`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** The {@link SiteDirectory} of `site`, on the store's connection (`query`). */
export function postgresSiteDirectory(query: Query, site: string): SiteDirectory {
  return {
    async report(report) {
      await query(
        `INSERT INTO isofleet.sites (site, map, address, health, reported_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site) DO UPDATE SET map = excluded.map, address = excluded.address, health = excluded.health, reported_at = excluded.reported_at`,
        [site, report.map, report.address, JSON.stringify(report.health), report.reportedAt],
      );
    },
    async reports() {
      const { rows } = await query<{ site: string; map: string; address: string | null; health: SiteHealth; reported_at: Date }>(
        'SELECT site, map, address, health, reported_at FROM isofleet.sites ORDER BY site',
      );
      return rows.map((r) => ({ site: r.site, map: r.map, address: r.address, health: r.health, reportedAt: r.reported_at.toISOString() }));
    },
  };
}
