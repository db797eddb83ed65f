import { describe, expect, it } from 'vitest';
import type { MissionProgress, MissionSetup, Store, TripRecord } from './store.js';

/**
 * What every {@link Store} must do, run against each implementation. `fresh` gives a new empty
 * store and a way to open the same data again after `close` (a restart).
 */
export function describeStoreContract(name: string, fresh: () => Promise<{ store: Store; reopen: () => Promise<Store> }>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip)(`${name}: the store contract`, () => {
    it('keeps trips, rounds and the audit log across a restart', async () => {
      const { store, reopen } = await fresh();
      await store.saveTrip(trip('t1', 'planned'));
      await store.saveTrip(trip('t2', 'planned'));
      await store.saveTrip(trip('t1', 'done'));
      await store.saveRound({ id: 'R', createdAtMs: 5, requests: [{ room: '101', priority: 'meal' }], sent: [], queue: [['r1', [[0]]]] });
      await store.audit({ at: new Date(0).toISOString(), actor: 'medic1', action: 'trayLoaded', subject: 'trip t1', detail: { tray: 1, room: '101' } });
      await store.audit({ at: new Date(1).toISOString(), actor: 'controller', action: 'tripDone', subject: 'trip t2' });
      await store.close();

      const again = await reopen();
      expect((await again.trips()).map((t) => [t.view.id, t.view.status])).toEqual([
        ['t1', 'done'],
        ['t2', 'planned'],
      ]);
      expect((await again.trips())[0]).toEqual(trip('t1', 'done'));
      expect((await again.rounds())[0]!.queue).toEqual([['r1', [[0]]]]);
      expect(await again.auditLog({ subject: 'trip t1' })).toEqual([
        { id: 1, at: new Date(0).toISOString(), actor: 'medic1', action: 'trayLoaded', subject: 'trip t1', detail: { tray: 1, room: '101' } },
      ]);
      expect((await again.auditLog()).map((e) => e.action)).toEqual(['tripDone', 'trayLoaded']);
      expect(await again.auditLog({ limit: 1 })).toHaveLength(1);
      expect(await again.auditLog({ subject: 'nothing' })).toEqual([]);
      await again.close();
    });

    it('keeps rooms’ door mutes across a restart: set, replaced, lifted', async () => {
      const { store, reopen } = await fresh();
      await store.saveDoorMute('305', { by: 'medic1', untilMs: 1_800_000 });
      await store.saveDoorMute('101', { by: 'medic2' });
      await store.saveDoorMute('207', { by: 'medic1' });
      await store.saveDoorMute('305', { by: 'medic3', untilMs: 3_600_000 });
      await store.saveDoorMute('207', undefined);
      await store.close();

      const again = await reopen();
      expect(await again.doorMutes()).toEqual([
        { room: '101', by: 'medic2' },
        { room: '305', by: 'medic3', untilMs: 3_600_000 },
      ]);
      // Lifting a mute that is not there is no error.
      await again.saveDoorMute('999', undefined);
      expect(await again.doorMutes()).toHaveLength(2);
      await again.close();
    });

    it('keeps a mission: its setup once, its latest progress and its latest coverage snapshot', async () => {
      const { store, reopen } = await fresh();
      await store.createMission('m1', SETUP, progress('running', false));
      const dose = new Float32Array(10_000);
      dose[17] = 19.5;
      dose[9_999] = 0.25;
      await store.saveCoverage('m1', { atMs: 5, dose, unplacedL: 0.5, samples: { d1: { x: 1, y: 2, sprayedL: 3, sortie: 0, waypoint: 3 } } });
      await store.saveMissionProgress('m1', progress('done', true));
      dose[18] = 1;
      await store.saveCoverage('m1', { atMs: 9, dose, unplacedL: 0.5, samples: {} });
      await store.close();

      const reopened = await reopen();
      await reopened.createMission('m2', SETUP, progress('running', false));
      await reopened.createMission('m3', SETUP, progress('aborted', false));
      // Every mission not finished, and the newest finished ones.
      expect((await reopened.missions({ finished: 1 })).map((m) => m.id)).toEqual(['m2', 'm3']);
      expect((await reopened.missions({ finished: 0 })).map((m) => m.id)).toEqual(['m2']);
      const [kept, ...others] = await reopened.missions();
      expect(others.map((m) => m.id)).toEqual(['m2', 'm3']);
      expect(kept!.setup).toEqual(SETUP);
      expect(kept!.progress).toEqual(progress('done', true));
      expect(kept!.coverage!.atMs).toBe(9);
      expect(Array.from(kept!.coverage!.dose)).toEqual(Array.from(dose));
      expect(kept!.coverage!.samples).toEqual({});
      expect(others[0]!.coverage).toBeUndefined();
      await reopened.close();
    });

    it('loads every trip under way, the newest finished and those of the rounds asked for, not the whole history', async () => {
      const { store } = await fresh();
      await store.saveTrip(finishedTrip('old-of-R1', 'R1'));
      for (let i = 0; i < 50; i++) await store.saveTrip(finishedTrip(`f${i}`));
      await store.saveTrip(trip('running', 'planned'));
      await store.saveTrip(finishedTrip('old-of-R2', 'R2'));
      for (let i = 50; i < 60; i++) await store.saveTrip(finishedTrip(`f${i}`));
      const ids = (await store.trips({ finished: 3, rounds: ['R1'] })).map((t) => t.view.id);
      expect(ids).toEqual(['old-of-R1', 'running', 'f57', 'f58', 'f59']);
      expect((await store.trips({ finished: 0 })).map((t) => t.view.id)).toEqual(['running']);
      // Without a window: everything.
      expect(await store.trips()).toHaveLength(63);
      await store.close();
    });

    it('pages trips and rounds newest first with limit and before, and says when before is unknown', async () => {
      const { store } = await fresh();
      for (let i = 0; i < 7; i++) await store.saveTrip(finishedTrip(`t${i}`));
      expect((await store.tripPage({ limit: 3 }))!.map((t) => t.view.id)).toEqual(['t6', 't5', 't4']);
      expect((await store.tripPage({ limit: 3, before: 't4' }))!.map((t) => t.view.id)).toEqual(['t3', 't2', 't1']);
      expect((await store.tripPage({ limit: 3, before: 't1' }))!.map((t) => t.view.id)).toEqual(['t0']);
      expect(await store.tripPage({ limit: 3, before: 'nope' })).toBeUndefined();
      // A trip saved again keeps its place.
      await store.saveTrip(finishedTrip('t2'));
      expect((await store.tripPage({ limit: 2, before: 't3' }))!.map((t) => t.view.id)).toEqual(['t2', 't1']);

      for (let i = 0; i < 5; i++) await store.saveRound({ id: `R${i}`, createdAtMs: i, requests: [], sent: [], queue: [], ...(i !== 3 ? { finishedAtMs: 100 + i } : {}) });
      expect((await store.roundPage({ limit: 2, before: 'R3' }))!.map((r) => r.id)).toEqual(['R2', 'R1']);
      expect(await store.roundPage({ limit: 2, before: 'R9' })).toBeUndefined();
      // Rounds running and the newest finished.
      expect((await store.rounds({ finished: 1 })).map((r) => r.id)).toEqual(['R3', 'R4']);
      expect((await store.rounds()).map((r) => r.id)).toEqual(['R0', 'R1', 'R2', 'R3', 'R4']);
      await store.close();
    });

    it('keeps writes in the order they were made, even when nobody awaits them', async () => {
      const { store } = await fresh();
      const writes = [];
      for (let i = 0; i < 20; i++) writes.push(store.saveTrip({ ...trip('t', 'planned'), view: { ...trip('t', 'planned').view, visits: [String(i)] } }));
      await Promise.all(writes);
      expect((await store.trips())[0]!.view.visits).toEqual(['19']);
      await store.close();
    });
  });
}

export const trip = (id: string, status: 'planned' | 'done'): TripRecord => ({
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

const finishedTrip = (id: string, round?: string): TripRecord => {
  const record = trip(id, 'done');
  return round ? { ...record, origin: { round, requests: [0] } } : (({ origin: _, ...rest }) => rest)(record);
};

const SETUP = {
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
