import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TripRecord } from './store.js';
import { SqliteStore } from './sqlite-store.js';

const trip = (id: string, status: 'planned' | 'done'): TripRecord => ({
  orderId: `trip-${id}`,
  order: { headerId: 0, timestamp: new Date(0).toISOString(), version: '2.1.0', manufacturer: 'm', serialNumber: 'r1', orderId: `trip-${id}`, orderUpdateId: 0, nodes: [{ nodeId: 'a', sequenceId: 0, released: true, actions: [] }], edges: [] },
  view: { id, robot: 'r1', status, visits: ['101'], trays: [{ tray: 1, room: '101', status: 'loaded' }], loading: { confirmedTrays: [] }, createdAt: new Date(0).toISOString() },
  origin: { round: 'R', requests: [3] },
});

describe('SQLite store', () => {
  it('keeps trips, rounds and the audit log across a reopen of the file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
    const store = new SqliteStore(file);
    store.saveTrip(trip('t1', 'planned'));
    store.saveTrip(trip('t2', 'planned'));
    store.saveTrip(trip('t1', 'done'));
    store.saveRound({ id: 'R', createdAtMs: 5, requests: [{ room: '101', priority: 'meal' }], sent: [], queue: [['r1', [[0]]]] });
    store.audit({ at: new Date(0).toISOString(), actor: 'medic1', action: 'trayLoaded', subject: 'trip t1', detail: { tray: 1, room: '101' } });
    store.close();

    const again = new SqliteStore(file);
    expect(again.trips().map((t) => [t.view.id, t.view.status])).toEqual([
      ['t1', 'done'],
      ['t2', 'planned'],
    ]);
    expect(again.trips()[0]!.origin).toEqual({ round: 'R', requests: [3] });
    expect(again.rounds()[0]!.queue).toEqual([['r1', [[0]]]]);
    expect(again.auditLog()).toEqual([{ id: 1, at: new Date(0).toISOString(), actor: 'medic1', action: 'trayLoaded', subject: 'trip t1', detail: { tray: 1, room: '101' } }]);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  it('refuses to change or delete audit entries', () => {
    const store = new SqliteStore(':memory:');
    store.audit({ at: 'x', actor: 'a', action: 'b', subject: 'c' });
    expect(() => store.db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(store.auditLog({ subject: 'c' })).toHaveLength(1);
    expect(store.auditLog({ subject: 'nothing' })).toHaveLength(0);
  });

  it('runs each migration once', () => {
    const store = new SqliteStore(':memory:');
    // A second store on the same database finds the tables in place.
    expect(() => new SqliteStore(store.db)).not.toThrow();
    expect(store.db.prepare("SELECT version FROM schema_migrations WHERE module = 'storage'").get()).toEqual({ version: 1 });
  });
});
