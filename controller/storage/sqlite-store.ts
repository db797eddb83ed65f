import type { AuditEntry, RoundRecord, Store, TripRecord } from './store.js';
import { migrate, openDatabase, type Db } from './database.js';

const MIGRATIONS = [
  (db: Db) =>
    db.exec(`
      CREATE TABLE trips (
        id TEXT PRIMARY KEY,
        robot TEXT NOT NULL,
        status TEXT NOT NULL,
        order_id TEXT NOT NULL,
        record TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE INDEX trips_status ON trips (status);
      CREATE TABLE rounds (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX audit_subject ON audit (subject);
      -- The audit log is append-only.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `),
];

/** {@link Store} on SQLite (better-sqlite3, WAL). `:memory:` for a throwaway store. */
export class SqliteStore implements Store {
  readonly db: Db;
  private readonly statements;

  constructor(fileOrDb: string | Db) {
    this.db = typeof fileOrDb === 'string' ? openDatabase(fileOrDb) : fileOrDb;
    migrate(this.db, 'storage', MIGRATIONS);
    this.statements = {
      saveTrip: this.db.prepare(
        `INSERT INTO trips (id, robot, status, order_id, record) VALUES (@id, @robot, @status, @orderId, @record)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, record = excluded.record, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      trips: this.db.prepare('SELECT record FROM trips ORDER BY rowid'),
      saveRound: this.db.prepare(
        `INSERT INTO rounds (id, record) VALUES (@id, @record)
         ON CONFLICT(id) DO UPDATE SET record = excluded.record, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      rounds: this.db.prepare('SELECT record FROM rounds ORDER BY rowid'),
      audit: this.db.prepare('INSERT INTO audit (at, actor, action, subject, detail) VALUES (@at, @actor, @action, @subject, @detail)'),
      auditAll: this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
      auditBySubject: this.db.prepare('SELECT * FROM audit WHERE subject = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  saveTrip(record: TripRecord): void {
    this.statements.saveTrip.run({ id: record.view.id, robot: record.view.robot, status: record.view.status, orderId: record.orderId, record: JSON.stringify(record) });
  }

  trips(): TripRecord[] {
    return (this.statements.trips.all() as { record: string }[]).map((r) => JSON.parse(r.record) as TripRecord);
  }

  saveRound(record: RoundRecord): void {
    this.statements.saveRound.run({ id: record.id, record: JSON.stringify(record) });
  }

  rounds(): RoundRecord[] {
    return (this.statements.rounds.all() as { record: string }[]).map((r) => JSON.parse(r.record) as RoundRecord);
  }

  audit(entry: Omit<AuditEntry, 'id'>): void {
    this.statements.audit.run({ ...entry, detail: entry.detail ? JSON.stringify(entry.detail) : null });
  }

  auditLog(options: { subject?: string; limit?: number } = {}): AuditEntry[] {
    const limit = options.limit ?? 200;
    const rows = (options.subject ? this.statements.auditBySubject.all(options.subject, limit) : this.statements.auditAll.all(limit)) as {
      id: number;
      at: string;
      actor: string;
      action: string;
      subject: string;
      detail: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}) }));
  }

  close(): void {
    this.db.close();
  }
}
