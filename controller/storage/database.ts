import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** An open SQLite database (better-sqlite3). */
export type Db = Database.Database;

/** One schema change; steps run in order, once, inside a transaction. */
export type Migration = (db: Db) => void;

/**
 * Opens (creating if needed) the SQLite file with WAL on: readers never block the writer and a
 * crash loses at most the transaction in flight. `:memory:` gives a throwaway database.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL with WAL: a power cut may lose the last commits but never corrupts the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  return db;
}

/**
 * Brings one module's tables up to date: runs the steps it has not run yet. Each module
 * (storage, auth …) owns its tables and its list of steps; a step, once shipped, never changes.
 */
export function migrate(db: Db, module: string, steps: readonly Migration[]): void {
  const row = db.prepare('SELECT version FROM schema_migrations WHERE module = ?').get(module) as { version: number } | undefined;
  const from = row?.version ?? 0;
  for (let version = from + 1; version <= steps.length; version++) {
    db.transaction(() => {
      steps[version - 1]!(db);
      db.prepare('INSERT INTO schema_migrations (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version').run(module, version);
    })();
  }
}
