import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MissionProgress, MissionSetup, TripRecord } from './store.js';
import { SqliteStore } from './sqlite-store.js';

const trip = (id: string, status: 'planned' | 'done'): TripRecord => ({
  orderId: `trip-${id}`,
  order: {
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 'r1',
    orderId: `trip-${id}`,
    orderUpdateId: 0,
    nodes: [{ nodeId: 'a', sequenceId: 0, released: true, actions: [] }],
    edges: [],
  },
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

  it('keeps a mission: its setup once, its latest progress and its latest coverage snapshot', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
    const store = new SqliteStore(file);
    const setup = {
      body: { zones: { type: 'FeatureCollection', features: [] } },
      plan: { drones: [], stats: {}, swathM: 7 },
      targetDoseLPerHa: 20,
      tankL: 5,
      swathM: 7,
      coverageCellM: 1,
    } as unknown as MissionSetup;
    const progress = (status: MissionProgress['status'], done: boolean): MissionProgress => ({
      status,
      zoneClear: true,
      createdAtMs: 1,
      sorties: [{ id: 0, planDrone: 0, planSortie: 0, done, ...(done ? {} : { progress: { waypoint: 3, lat: 22.7, lon: 114.2 } }) }],
      drones: [{ droneId: 'd1', queue: [0], next: done ? 1 : 0, state: done ? 'done' : 'flying', waypoint: 3, breachHold: false }],
      sortiesFlown: 1,
      refills: 0,
      swaps: 0,
      windHold: false,
      log: [{ at: 'x', message: 'launched', level: 'info' }],
    });
    store.createMission('m1', setup, progress('running', false));
    const dose = new Float32Array(10_000);
    dose[17] = 19.5;
    dose[9_999] = 0.25;
    store.saveCoverage('m1', { atMs: 5, dose, unplacedL: 0.5, samples: { d1: { x: 1, y: 2, sprayedL: 3, sortie: 0, waypoint: 3 } } });
    store.saveMissionProgress('m1', progress('done', true));
    dose[18] = 1;
    store.saveCoverage('m1', { atMs: 9, dose, unplacedL: 0.5, samples: {} });
    store.close();

    const reopened = new SqliteStore(file);
    reopened.createMission('m2', setup, progress('running', false));
    reopened.createMission('m3', setup, progress('aborted', false));
    // Every mission not finished, and the newest finished ones.
    expect(reopened.missions({ finished: 1 }).map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(reopened.missions({ finished: 0 }).map((m) => m.id)).toEqual(['m2']);
    const [kept, ...others] = reopened.missions();
    expect(others.map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(kept!.setup).toEqual(setup);
    expect(kept!.progress).toEqual(progress('done', true));
    expect(kept!.coverage!.atMs).toBe(9);
    expect(Array.from(kept!.coverage!.dose)).toEqual(Array.from(dose));
    expect(kept!.coverage!.samples).toEqual({});
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
    expect(store.db.prepare("SELECT version FROM schema_migrations WHERE module = 'storage'").get()).toEqual({ version: 3 });
  });
});

describe('SQLite store: windows and pages of history', () => {
  const finishedTrip = (id: string, round?: string): TripRecord => {
    const record = trip(id, 'done');
    return round ? { ...record, origin: { round, requests: [0] } } : (({ origin: _, ...rest }) => rest)(record);
  };

  it('loads every trip under way, the newest finished and those of the rounds asked for, not the whole history', () => {
    const store = new SqliteStore(':memory:');
    store.saveTrip(finishedTrip('old-of-R1', 'R1'));
    for (let i = 0; i < 50; i++) store.saveTrip(finishedTrip(`f${i}`));
    store.saveTrip(trip('running', 'planned'));
    store.saveTrip(finishedTrip('old-of-R2', 'R2'));
    for (let i = 50; i < 60; i++) store.saveTrip(finishedTrip(`f${i}`));
    const ids = store.trips({ finished: 3, rounds: ['R1'] }).map((t) => t.view.id);
    expect(ids).toEqual(['old-of-R1', 'running', 'f57', 'f58', 'f59']);
    // Without a window: everything, as before.
    expect(store.trips()).toHaveLength(63);
  });

  it('pages trips and rounds newest first with limit and before, and says when before is unknown', () => {
    const store = new SqliteStore(':memory:');
    for (let i = 0; i < 7; i++) store.saveTrip(finishedTrip(`t${i}`));
    const first = store.tripPage({ limit: 3 })!.map((t) => t.view.id);
    expect(first).toEqual(['t6', 't5', 't4']);
    expect(store.tripPage({ limit: 3, before: 't4' })!.map((t) => t.view.id)).toEqual(['t3', 't2', 't1']);
    expect(store.tripPage({ limit: 3, before: 't1' })!.map((t) => t.view.id)).toEqual(['t0']);
    expect(store.tripPage({ limit: 3, before: 'nope' })).toBeUndefined();
    // A trip saved again keeps its place.
    store.saveTrip(finishedTrip('t2'));
    expect(store.tripPage({ limit: 2, before: 't3' })!.map((t) => t.view.id)).toEqual(['t2', 't1']);

    for (let i = 0; i < 5; i++) store.saveRound({ id: `R${i}`, createdAtMs: i, requests: [], sent: [], queue: [], ...(i !== 3 ? { finishedAtMs: 100 + i } : {}) });
    expect(store.roundPage({ limit: 2, before: 'R3' })!.map((r) => r.id)).toEqual(['R2', 'R1']);
    // Rounds running and the newest finished.
    expect(store.rounds({ finished: 1 }).map((r) => r.id)).toEqual(['R3', 'R4']);
    expect(store.rounds().map((r) => r.id)).toEqual(['R0', 'R1', 'R2', 'R3', 'R4']);
  });
});
