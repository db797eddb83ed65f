import pg from 'pg';
import { createSiteDirectory, postgresSiteDirectory, type SiteDirectory } from './site-directory.js';
import { bytesOf, float32Of } from './float32.js';
import type { AuditEntry, CoverageSnapshot, DoorMuteRecord, MissionProgress, MissionRecord, MissionSetup, Page, RoundRecord, Store, TripRecord, TripWindow } from './store.js';

/** One schema change, run once inside a transaction; a step, once shipped, never changes. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE trips (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL UNIQUE,
    robot TEXT NOT NULL,
    status TEXT NOT NULL,
    order_id TEXT NOT NULL,
    round_id TEXT,
    record JSON NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE INDEX trips_status ON trips (status);
  CREATE INDEX trips_round ON trips (round_id);
  CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL UNIQUE,
    finished BOOLEAN NOT NULL,
    record JSON NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE INDEX rounds_finished ON rounds (finished);
  CREATE TABLE missions (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL UNIQUE,
    status TEXT NOT NULL,
    setup JSON NOT NULL,
    progress JSON NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  -- The latest dose raster of each mission: float32 little-endian (as SQLite keeps it, undeflated:
  -- PostgreSQL compresses large values itself).
  CREATE TABLE mission_coverage (
    mission_id TEXT PRIMARY KEY REFERENCES missions (id),
    at_ms DOUBLE PRECISION NOT NULL,
    dose BYTEA NOT NULL,
    unplaced_l DOUBLE PRECISION NOT NULL,
    samples JSON NOT NULL
  );
  CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail JSON
  );
  CREATE INDEX audit_subject ON audit (subject);
  -- The audit log is append-only, whoever connects: rows and the table alike.
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
  `,
  // Medics' mutes of rooms' door alerts, kept across a restart.
  `
  CREATE TABLE door_mutes (
    room TEXT PRIMARY KEY,
    muted_by TEXT NOT NULL,
    until_ms DOUBLE PRECISION
  );
  `,
];

export interface PostgresStoreOptions {
  /** A `postgres://` URL (libpq form: user, password, host, port, database, `?sslmode=…`). */
  url: string;
  /**
   * The site this controller serves: its tables live in the schema `site_<site>`, so the
   * controllers of several sites share one database without seeing each other's rows, and only
   * one controller at a time may hold a site (a session advisory lock, released when its
   * connection ends, a kill -9 included).
   */
  site: string;
  /** Told when the connection fails after opening; the writes after it fail and are logged by their callers. */
  onConnectionError?: (error: Error) => void;
}

/** Thrown by {@link PostgresStore.open} when another controller holds the site. */
export class SiteTakenError extends Error {}

/**
 * {@link Store} on PostgreSQL (node-postgres). One connection, its queries chained one after the
 * other in the order made (the store's promise that writes arrive in order); the connection holds
 * the site's lock for as long as the controller runs.
 */
export class PostgresStore implements Store {
  /** The last query made: the next one starts when it has ended, whether it failed or not. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The district's list of sites on this database, this site's row written by this store. */
  readonly directory: SiteDirectory;

  private constructor(
    private readonly client: pg.Client,
    readonly schema: string,
    site: string,
  ) {
    this.directory = postgresSiteDirectory((sql, values) => this.query(sql, values), site);
  }

  /**
   * Connects, takes the site (or throws {@link SiteTakenError}), creates the site's schema and
   * brings its tables up to date. Throws node-postgres's error when the server cannot be reached.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = siteSchema(options.site);
    const client = new pg.Client({ connectionString: options.url });
    client.on('error', (error) => options.onConnectionError?.(error));
    await client.connect();
    try {
      const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [`isofleet:${schema}`]);
      if (!rows[0]!.taken) {
        throw new SiteTakenError(
          `another controller is serving site "${options.site}" on this database (it holds the lock of schema ${schema}); stop it first, or give this one its own site`,
        );
      }
      await migrate(client, schema);
      await createSiteDirectory(client);
      await client.query(`SET search_path TO ${schema}`);
      return new PostgresStore(client, schema, options.site);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  async saveTrip(record: TripRecord): Promise<void> {
    await this.query(
      `INSERT INTO trips (id, robot, status, order_id, round_id, record) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record, updated_at = now()`,
      [record.view.id, record.view.robot, record.view.status, record.orderId, record.origin?.round ?? null, JSON.stringify(record)],
    );
  }

  async trips(window: TripWindow = {}): Promise<TripRecord[]> {
    // LIMIT NULL: no limit; a NULL $1 also takes every trip.
    const { rows } = await this.query<{ record: TripRecord }>(
      `SELECT record FROM trips
       WHERE $1::int IS NULL OR status NOT IN ('done', 'failed')
          OR id IN (SELECT id FROM trips WHERE status IN ('done', 'failed') ORDER BY seq DESC LIMIT $1)
          OR round_id = ANY($2::text[])
       ORDER BY seq`,
      [window.finished ?? null, window.rounds ?? []],
    );
    return rows.map((r) => r.record);
  }

  async tripPage(page: Page): Promise<TripRecord[] | undefined> {
    return this.page<TripRecord>('trips', page);
  }

  async saveRound(record: RoundRecord): Promise<void> {
    await this.query(
      `INSERT INTO rounds (id, finished, record) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET finished = excluded.finished, record = excluded.record, updated_at = now()`,
      [record.id, record.finishedAtMs !== undefined, JSON.stringify(record)],
    );
  }

  async rounds(options: { finished?: number } = {}): Promise<RoundRecord[]> {
    const { rows } = await this.query<{ record: RoundRecord }>(
      `SELECT record FROM rounds
       WHERE NOT finished OR id IN (SELECT id FROM rounds WHERE finished ORDER BY seq DESC LIMIT $1)
       ORDER BY seq`,
      [options.finished ?? null],
    );
    return rows.map((r) => r.record);
  }

  async roundPage(page: Page): Promise<RoundRecord[] | undefined> {
    return this.page<RoundRecord>('rounds', page);
  }

  /** Records of `table` newest first, `limit` of them, older than the row `before`; undefined when `before` is unknown. */
  private async page<T>(table: 'trips' | 'rounds', { limit, before }: Page): Promise<T[] | undefined> {
    if (before !== undefined) {
      const known = await this.query(`SELECT 1 FROM ${table} WHERE id = $1`, [before]);
      if (known.rowCount === 0) return undefined;
    }
    const { rows } = await this.query<{ record: T }>(`SELECT record FROM ${table} WHERE $1::text IS NULL OR seq < (SELECT seq FROM ${table} WHERE id = $1) ORDER BY seq DESC LIMIT $2`, [
      before ?? null,
      limit,
    ]);
    return rows.map((r) => r.record);
  }

  async createMission(id: string, setup: MissionSetup, progress: MissionProgress): Promise<void> {
    await this.query('INSERT INTO missions (id, status, setup, progress) VALUES ($1, $2, $3, $4)', [id, progress.status, JSON.stringify(setup), JSON.stringify(progress)]);
  }

  async saveMissionProgress(id: string, progress: MissionProgress): Promise<void> {
    await this.query('UPDATE missions SET status = $2, progress = $3, updated_at = now() WHERE id = $1', [id, progress.status, JSON.stringify(progress)]);
  }

  async saveCoverage(id: string, snapshot: CoverageSnapshot): Promise<void> {
    await this.query(
      `INSERT INTO mission_coverage (mission_id, at_ms, dose, unplaced_l, samples) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (mission_id) DO UPDATE SET at_ms = excluded.at_ms, dose = excluded.dose, unplaced_l = excluded.unplaced_l, samples = excluded.samples`,
      [id, snapshot.atMs, bytesOf(snapshot.dose), snapshot.unplacedL, JSON.stringify(snapshot.samples)],
    );
  }

  async missions(options: { finished?: number } = {}): Promise<MissionRecord[]> {
    const { rows } = await this.query<{
      id: string;
      setup: MissionSetup;
      progress: MissionProgress;
      at_ms: number | null;
      dose: Buffer | null;
      unplaced_l: number | null;
      samples: CoverageSnapshot['samples'] | null;
    }>(
      `SELECT m.id, m.setup, m.progress, c.at_ms, c.dose, c.unplaced_l, c.samples
       FROM missions m LEFT JOIN mission_coverage c ON c.mission_id = m.id
       WHERE m.status NOT IN ('done', 'aborted')
          OR m.id IN (SELECT id FROM missions WHERE status IN ('done', 'aborted') ORDER BY seq DESC LIMIT $1)
       ORDER BY m.seq`,
      [options.finished ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      setup: r.setup,
      progress: r.progress,
      ...(r.dose && r.at_ms !== null ? { coverage: { atMs: r.at_ms, dose: float32Of(r.dose), unplacedL: r.unplaced_l ?? 0, samples: r.samples ?? {} } } : {}),
    }));
  }

  async audit(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.query('INSERT INTO audit (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)', [
      entry.at,
      entry.actor,
      entry.action,
      entry.subject,
      entry.detail ? JSON.stringify(entry.detail) : null,
    ]);
  }

  async saveDoorMute(room: string, mute: Omit<DoorMuteRecord, 'room'> | undefined): Promise<void> {
    if (!mute) {
      await this.query('DELETE FROM door_mutes WHERE room = $1', [room]);
      return;
    }
    await this.query(
      `INSERT INTO door_mutes (room, muted_by, until_ms) VALUES ($1, $2, $3)
       ON CONFLICT (room) DO UPDATE SET muted_by = excluded.muted_by, until_ms = excluded.until_ms`,
      [room, mute.by, mute.untilMs ?? null],
    );
  }

  async doorMutes(): Promise<DoorMuteRecord[]> {
    const { rows } = await this.query<{ room: string; muted_by: string; until_ms: number | null }>('SELECT room, muted_by, until_ms FROM door_mutes ORDER BY room');
    return rows.map((r) => ({ room: r.room, by: r.muted_by, ...(r.until_ms !== null ? { untilMs: r.until_ms } : {}) }));
  }

  async auditLog(options: { subject?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const { rows } = await this.query<{ id: string; at: string; actor: string; action: string; subject: string; detail: Record<string, unknown> | null }>(
      'SELECT * FROM audit WHERE $1::text IS NULL OR subject = $1 ORDER BY id DESC LIMIT $2',
      [options.subject ?? null, options.limit ?? 200],
    );
    // BIGSERIAL comes back as a string (it may pass 2^53; an audit log will not).
    return rows.map((r) => ({ id: Number(r.id), at: r.at, actor: r.actor, action: r.action, subject: r.subject, ...(r.detail ? { detail: r.detail } : {}) }));
  }

  /** Runs SQL on the store's connection, in the site's schema, after every query made before it. */
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
    const result = this.tail.then(() => this.client.query<Row>(sql, values));
    this.tail = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.client.end();
  }
}

/** The schema of a site: `site_` and the site's name, lower case, anything but [a-z0-9_] as `_`. */
export function siteSchema(site: string): string {
  return `site_${site.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Creates the schema if needed and runs the steps it has not run yet, each in a transaction,
 * under a transaction advisory lock so two controllers starting at once do not race.
 */
async function migrate(client: pg.Client, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  for (;;) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`isofleet-migrate:${schema}`]);
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations WHERE module = 'storage'");
      const version = rows[0]?.version ?? 0;
      if (version >= MIGRATIONS.length) {
        await client.query('COMMIT');
        return;
      }
      await client.query(MIGRATIONS[version]!);
      await client.query("INSERT INTO schema_migrations (module, version) VALUES ('storage', $1) ON CONFLICT (module) DO UPDATE SET version = excluded.version", [version + 1]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
}
