import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresForTests, type TestPostgres } from '../../test-support/postgres.js';
import { PostgresStore, SiteTakenError, siteSchema } from './postgres-store.js';
import { describeStoreContract, trip } from './store-contract.test-support.js';

// Without PostgreSQL these are skipped; the run's global setup says so (and CI fails on it).
const skip = !postgresAvailable();
let server: TestPostgres;
beforeAll(async () => {
  if (!skip) server = await postgresForTests();
}, 60_000);
afterAll(async () => server?.close());

describeStoreContract(
  'PostgreSQL',
  async () => {
    const url = await server.newDatabase();
    return { store: await PostgresStore.open({ url, site: 'hotel' }), reopen: () => PostgresStore.open({ url, site: 'hotel' }) };
  },
  { skip },
);

describe.skipIf(skip)('PostgreSQL store', () => {
  it('refuses to change, delete or empty audit entries, whoever connects', async () => {
    const store = await PostgresStore.open({ url: await server.newDatabase(), site: 'hotel' });
    await store.audit({ at: 'x', actor: 'a', action: 'b', subject: 'c' });
    await expect(store.query("UPDATE audit SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(store.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
    await expect(store.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
    expect(await store.auditLog({ subject: 'c' })).toHaveLength(1);
    await store.close();
  });

  it('lets one controller at a time serve a site; the lock goes with its connection', async () => {
    const url = await server.newDatabase();
    const first = await PostgresStore.open({ url, site: 'hotel' });
    const second = PostgresStore.open({ url, site: 'hotel' });
    await expect(second).rejects.toThrow(SiteTakenError);
    await expect(second).rejects.toThrow(/another controller is serving site "hotel"/);
    // Another site on the same database is its own.
    const other = await PostgresStore.open({ url, site: 'field-2' });
    await first.close();
    const after = await PostgresStore.open({ url, site: 'hotel' });
    await after.close();
    await other.close();
  });

  it("keeps each site's rows apart on one database, and migrates each schema once", async () => {
    const url = await server.newDatabase();
    const hotel = await PostgresStore.open({ url, site: 'hotel' });
    const field = await PostgresStore.open({ url, site: 'Field Hospital 2' });
    expect(field.schema).toBe('site_field_hospital_2');
    expect(siteSchema('hotel')).toBe('site_hotel');
    await hotel.saveTrip(trip('t1', 'planned'));
    expect(await field.trips()).toEqual([]);
    expect((await hotel.trips()).map((t) => t.view.id)).toEqual(['t1']);
    await hotel.close();
    const again = await PostgresStore.open({ url, site: 'hotel' });
    expect((await again.query("SELECT version FROM schema_migrations WHERE module = 'storage'")).rows).toEqual([{ version: 2 }]);
    await again.close();
    await field.close();
  });
  it('keeps two sites of one database apart by their site ids: trips, audit and door mutes', async () => {
    const url = await server.newDatabase();
    const [a, b] = [await PostgresStore.open({ url, site: 'hotel-a' }), await PostgresStore.open({ url, site: 'hotel-b' })];
    expect([a.schema, b.schema]).toEqual(['site_hotel_a', 'site_hotel_b']);
    await a.saveTrip(trip('t1', 'planned'));
    await b.saveTrip(trip('t1', 'done'));
    await a.audit({ at: '2026-01-01T00:00:00Z', actor: 'medic-a', action: 'trip.create', subject: 't1' });
    await b.saveDoorMute('305', { by: 'medic-b' });
    expect((await a.trips()).map((t) => [t.view.id, t.view.status])).toEqual([['t1', 'planned']]);
    expect((await b.trips()).map((t) => [t.view.id, t.view.status])).toEqual([['t1', 'done']]);
    expect((await a.auditLog()).map((e) => e.actor)).toEqual(['medic-a']);
    expect(await b.auditLog()).toEqual([]);
    expect(await a.doorMutes()).toEqual([]);
    expect((await b.doorMutes()).map((m) => m.room)).toEqual(['305']);
    await a.close();
    await b.close();
  });
});
