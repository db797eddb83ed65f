import { migrate, type Db } from './database.js';

/**
 * The site a SQLite file belongs to, kept in the file, as PostgreSQL keeps each site's rows in a
 * schema of its own: trips, rounds, missions, the audit log, users and device logins are one
 * site's, and a controller of another site opening the file would show them as its own.
 */
const MIGRATIONS = [(db: Db) => db.exec('CREATE TABLE site (id TEXT NOT NULL)')];

/**
 * Claims `db` for `site` (the site id, or the map's name for a site alone): a file with no site
 * recorded (new, or from before sites were recorded) takes `site`; a file of another site is
 * refused, answering the site it holds.
 */
export function claimSite(db: Db, site: string): { ok: true } | { ok: false; holds: string } {
  migrate(db, 'site', MIGRATIONS);
  const holds = db.transaction(() => {
    const row = db.prepare('SELECT id FROM site').get() as { id: string } | undefined;
    if (row) return row.id;
    db.prepare('INSERT INTO site (id) VALUES (?)').run(site);
    return site;
  })();
  return holds === site ? { ok: true } : { ok: false, holds };
}
