import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../sim/scenario.js';
import { postgresAvailable, postgresForTests, type TestPostgres } from '../../test-support/postgres.js';
import { openStore, redactLocation, StoreUnavailableError } from './open-store.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';

const log = { error: () => {} };

describe('openStore', () => {
  it('opens a SQLite file for anything but a postgres URL, users in the same file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
    const opened = await openStore(file, { site: 'hotel', log });
    expect(opened.store).toBeInstanceOf(SqliteStore);
    expect(opened.authDb).toBe((opened.store as SqliteStore).db);
    await opened.close();
  });

  it('ties a SQLite file to the site it was made for: another site is refused in one line naming both, and the file is left as it was', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
    const first = await openStore(file, { site: 'hotel-a', log });
    await first.store.audit({ at: '2026-11-30T05:00:00.000Z', actor: 'api', action: 'trip.create', subject: 'trip-1' });
    await first.close();
    const refused = openStore(file, { site: 'hotel-b', log });
    await expect(refused).rejects.toThrow(StoreUnavailableError);
    await expect(refused).rejects.toThrow(
      'the file holds site "hotel-a", not "hotel-b": give site "hotel-b" a file of its own, or start this controller as site "hotel-a" (ISOFLEET_SITE_ID, or SITE without one)',
    );
    const again = await openStore(file, { site: 'hotel-a', log });
    expect((await again.store.auditLog({ limit: 10 })).map((e) => e.subject)).toEqual(['trip-1']);
    await again.close();
  });

  it('gives a file from before sites were recorded to the site that opens it first', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
    const before = new SqliteStore(file);
    await before.audit({ at: '2026-11-30T05:00:00.000Z', actor: 'api', action: 'trip.create', subject: 'trip-1' });
    before.close();
    const opened = await openStore(file, { site: 'hotel', log });
    expect((await opened.store.auditLog({ limit: 10 })).map((e) => e.subject)).toEqual(['trip-1']);
    await opened.close();
    await expect(openStore(file, { site: 'hotel-a', log })).rejects.toThrow('the file holds site "hotel", not "hotel-a"');
  });

  it('keeps passwords out of what it says about a URL', () => {
    expect(redactLocation('postgres://isofleet:s3cret@db.example:5432/fleet')).toBe('postgres://isofleet:***@db.example:5432/fleet');
    expect(redactLocation('data/isofleet.db')).toBe('data/isofleet.db');
  });

  it('says in one line that PostgreSQL cannot be reached', async () => {
    const opening = openStore('postgres://isofleet@127.0.0.1:1/fleet', { site: 'hotel', log });
    await expect(opening).rejects.toThrow(StoreUnavailableError);
    await expect(opening).rejects.toThrow('cannot reach PostgreSQL (ECONNREFUSED)');
  });
});

describe.skipIf(!postgresAvailable())('openStore on PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await postgresForTests();
  }, 60_000);
  afterAll(async () => server?.close());

  it('opens the site on a postgres URL with users in the SQLite file beside it, and refuses a second controller for the site', async () => {
    const url = await server.newDatabase();
    const authFile = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'auth.db');
    const opened = await openStore(url, { site: 'hotel', authFile, log });
    expect(opened.store).toBeInstanceOf(PostgresStore);
    expect(opened.authDb.name).toBe(authFile);
    await expect(openStore(url, { site: 'hotel', log })).rejects.toThrow(/^another controller is serving site "hotel"/);
    await opened.close();
    const missing = new URL(url);
    missing.pathname = '/no_such_database';
    await expect(openStore(missing.toString(), { site: 'hotel', log })).rejects.toThrow('PostgreSQL: database "no_such_database" does not exist');
  });

  it('ties the SQLite file of users and device logins beside PostgreSQL to its site too', async () => {
    const url = await server.newDatabase();
    const authFile = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'auth.db');
    await (await openStore(url, { site: 'hotel-a', authFile, log })).close();
    await expect(openStore(url, { site: 'hotel-b', authFile, log })).rejects.toThrow(`ISOFLEET_AUTH_DB=${authFile} holds site "hotel-a", not "hotel-b"`);
    // Refused, the site's lock went with it: site hotel-b starts with a file of its own.
    await (await openStore(url, { site: 'hotel-b', authFile: `${authFile}-b`, log })).close();
  });

  it('says when the connection is lost under a running controller', async () => {
    const url = await server.newDatabase();
    let lost: Error | undefined;
    const opened = await openStore(url, { site: 'hotel', log, onLost: (error) => (lost = error) });
    const store = opened.store as PostgresStore;
    const { rows } = await store.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await admin.end();
    await waitFor(() => lost !== undefined, 5000, 'the loss reported');
    expect(lost!.message).toMatch(/terminat/);
    await opened.close().catch(() => {});
  });
});
