import { deflateSync, inflateSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { AuditEntry, CoverageSnapshot, DoorMuteRecord, MissionProgress, MissionRecord, MissionSetup, Page, RoundRecord, Store, TripRecord, TripWindow } from './store.js';
import { migrate, openDatabase, type Db } from './database.js';
import { bytesOf, float32Of } from './float32.js';

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
  (db: Db) =>
    db.exec(`
      CREATE TABLE missions (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        setup TEXT NOT NULL,
        progress TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      -- The latest dose raster of each mission: float32 little-endian, deflated (mostly zeros).
      CREATE TABLE mission_coverage (
        mission_id TEXT PRIMARY KEY REFERENCES missions (id),
        at_ms INTEGER NOT NULL,
        dose BLOB NOT NULL,
        unplaced_l REAL NOT NULL,
        samples TEXT NOT NULL
      );
    `),
  // Windows and pages of history: a trip's round, a round's end.
  (db: Db) =>
    db.exec(`
      ALTER TABLE trips ADD COLUMN round_id TEXT;
      UPDATE trips SET round_id = json_extract(record, '$.origin.round');
      CREATE INDEX trips_round ON trips (round_id);
      ALTER TABLE rounds ADD COLUMN finished INTEGER NOT NULL DEFAULT 0;
      UPDATE rounds SET finished = 1 WHERE json_extract(record, '$.finishedAtMs') IS NOT NULL;
      CREATE INDEX rounds_finished ON rounds (finished);
    `),
  // Medics' mutes of rooms' door alerts, kept across a restart.
  (db: Db) =>
    db.exec(`
      CREATE TABLE door_mutes (
        room TEXT PRIMARY KEY,
        muted_by TEXT NOT NULL,
        until_ms INTEGER
      );
    `),
];

/** SQLite's largest rowid: "no `before`". */
const NO_BEFORE = Number.MAX_SAFE_INTEGER;

/** {@link Store} on SQLite (better-sqlite3, WAL). `:memory:` for a throwaway store. */
export class SqliteStore implements Store {
  readonly db: Db;
  private readonly statements;

  constructor(fileOrDb: string | Db) {
    this.db = typeof fileOrDb === 'string' ? openDatabase(fileOrDb) : fileOrDb;
    migrate(this.db, 'storage', MIGRATIONS);
    this.statements = {
      saveTrip: this.db.prepare(
        `INSERT INTO trips (id, robot, status, order_id, record, round_id) VALUES (@id, @robot, @status, @orderId, @record, @round)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, record = excluded.record, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      trips: this.db.prepare(
        `SELECT record FROM trips
         WHERE @finished < 0 OR status NOT IN ('done', 'failed')
            OR id IN (SELECT id FROM trips WHERE status IN ('done', 'failed') ORDER BY rowid DESC LIMIT @finished)
            OR round_id IN (SELECT value FROM json_each(@rounds))
         ORDER BY rowid`,
      ),
      tripPage: this.db.prepare('SELECT record FROM trips WHERE rowid < @before ORDER BY rowid DESC LIMIT @limit'),
      tripRowid: this.db.prepare('SELECT rowid FROM trips WHERE id = ?').pluck(),
      saveRound: this.db.prepare(
        `INSERT INTO rounds (id, record, finished) VALUES (@id, @record, @finished)
         ON CONFLICT(id) DO UPDATE SET record = excluded.record, finished = excluded.finished, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
      ),
      rounds: this.db.prepare(
        `SELECT record FROM rounds
         WHERE finished = 0 OR id IN (SELECT id FROM rounds WHERE finished = 1 ORDER BY rowid DESC LIMIT @finished)
         ORDER BY rowid`,
      ),
      roundPage: this.db.prepare('SELECT record FROM rounds WHERE rowid < @before ORDER BY rowid DESC LIMIT @limit'),
      roundRowid: this.db.prepare('SELECT rowid FROM rounds WHERE id = ?').pluck(),
      createMission: this.db.prepare('INSERT INTO missions (id, status, setup, progress) VALUES (@id, @status, @setup, @progress)'),
      saveMissionProgress: this.db.prepare(`UPDATE missions SET status = @status, progress = @progress, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id`),
      saveCoverage: this.db.prepare(
        `INSERT INTO mission_coverage (mission_id, at_ms, dose, unplaced_l, samples) VALUES (@id, @atMs, @dose, @unplacedL, @samples)
         ON CONFLICT(mission_id) DO UPDATE SET at_ms = excluded.at_ms, dose = excluded.dose, unplaced_l = excluded.unplaced_l, samples = excluded.samples`,
      ),
      missions: this.db.prepare(
        `SELECT m.id, m.setup, m.progress, c.at_ms, c.dose, c.unplaced_l, c.samples
         FROM missions m LEFT JOIN mission_coverage c ON c.mission_id = m.id
         WHERE m.status NOT IN ('done', 'aborted')
            OR m.id IN (SELECT id FROM missions WHERE status IN ('done', 'aborted') ORDER BY rowid DESC LIMIT @finished)
         ORDER BY m.rowid`,
      ),
      saveDoorMute: this.db.prepare(
        `INSERT INTO door_mutes (room, muted_by, until_ms) VALUES (@room, @by, @untilMs)
         ON CONFLICT(room) DO UPDATE SET muted_by = excluded.muted_by, until_ms = excluded.until_ms`,
      ),
      deleteDoorMute: this.db.prepare('DELETE FROM door_mutes WHERE room = ?'),
      doorMutes: this.db.prepare('SELECT room, muted_by, until_ms FROM door_mutes ORDER BY room'),
      audit: this.db.prepare('INSERT INTO audit (at, actor, action, subject, detail) VALUES (@at, @actor, @action, @subject, @detail)'),
      auditAll: this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
      auditBySubject: this.db.prepare('SELECT * FROM audit WHERE subject = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  saveTrip(record: TripRecord): void {
    this.statements.saveTrip.run({
      id: record.view.id,
      robot: record.view.robot,
      status: record.view.status,
      orderId: record.orderId,
      record: JSON.stringify(record),
      round: record.origin?.round ?? null,
    });
  }

  trips(options: TripWindow = {}): TripRecord[] {
    // LIMIT -1: no limit in SQLite; @finished < 0 also takes every trip.
    const rows = this.statements.trips.all({ finished: options.finished ?? -1, rounds: JSON.stringify(options.rounds ?? []) }) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as TripRecord);
  }

  tripPage(page: Page): TripRecord[] | undefined {
    return this.page(this.statements.tripPage, this.statements.tripRowid, page)?.map((r) => JSON.parse(r) as TripRecord);
  }

  saveRound(record: RoundRecord): void {
    this.statements.saveRound.run({ id: record.id, record: JSON.stringify(record), finished: record.finishedAtMs === undefined ? 0 : 1 });
  }

  rounds(options: { finished?: number } = {}): RoundRecord[] {
    return (this.statements.rounds.all({ finished: options.finished ?? -1 }) as { record: string }[]).map((r) => JSON.parse(r.record) as RoundRecord);
  }

  roundPage(page: Page): RoundRecord[] | undefined {
    return this.page(this.statements.roundPage, this.statements.roundRowid, page)?.map((r) => JSON.parse(r) as RoundRecord);
  }

  /** Records newest first, `limit` of them, older than the row `before`; undefined when `before` is unknown. */
  private page(select: Statement, rowidOf: Statement, { limit, before }: Page): string[] | undefined {
    const rowid = before === undefined ? NO_BEFORE : (rowidOf.get(before) as number | undefined);
    if (rowid === undefined) return undefined;
    return (select.all({ before: rowid, limit }) as { record: string }[]).map((r) => r.record);
  }

  createMission(id: string, setup: MissionSetup, progress: MissionProgress): void {
    this.statements.createMission.run({ id, status: progress.status, setup: JSON.stringify(setup), progress: JSON.stringify(progress) });
  }

  saveMissionProgress(id: string, progress: MissionProgress): void {
    this.statements.saveMissionProgress.run({ id, status: progress.status, progress: JSON.stringify(progress) });
  }

  saveCoverage(id: string, snapshot: CoverageSnapshot): void {
    this.statements.saveCoverage.run({
      id,
      atMs: snapshot.atMs,
      dose: deflateSync(bytesOf(snapshot.dose), { level: 1 }),
      unplacedL: snapshot.unplacedL,
      samples: JSON.stringify(snapshot.samples),
    });
  }

  missions(options: { finished?: number } = {}): MissionRecord[] {
    // LIMIT -1: no limit in SQLite.
    const rows = this.statements.missions.all({ finished: options.finished ?? -1 }) as {
      id: string;
      setup: string;
      progress: string;
      at_ms: number | null;
      dose: Buffer | null;
      unplaced_l: number | null;
      samples: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      setup: JSON.parse(r.setup) as MissionSetup,
      progress: JSON.parse(r.progress) as MissionProgress,
      ...(r.dose && r.at_ms !== null
        ? { coverage: { atMs: r.at_ms, dose: float32Of(inflateSync(r.dose)), unplacedL: r.unplaced_l ?? 0, samples: JSON.parse(r.samples ?? '{}') as CoverageSnapshot['samples'] } }
        : {}),
    }));
  }

  saveDoorMute(room: string, mute: Omit<DoorMuteRecord, 'room'> | undefined): void {
    if (mute) this.statements.saveDoorMute.run({ room, by: mute.by, untilMs: mute.untilMs ?? null });
    else this.statements.deleteDoorMute.run(room);
  }

  doorMutes(): DoorMuteRecord[] {
    const rows = this.statements.doorMutes.all() as { room: string; muted_by: string; until_ms: number | null }[];
    return rows.map((r) => ({ room: r.room, by: r.muted_by, ...(r.until_ms !== null ? { untilMs: r.until_ms } : {}) }));
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
