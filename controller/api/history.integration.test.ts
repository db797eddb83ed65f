import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoundView, TripView } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { KEEP_FINISHED_ROUNDS } from '../rounds/index.js';
import { loadSite } from '../site/index.js';
import { SqliteStore, type TripRecord } from '../storage/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { KEEP_FINISHED_TRIPS } from '../trips/trip-manager.js';

const at = new Date(Date.UTC(2026, 10, 1)).toISOString();
const finishedTrip = (id: string, round?: string): TripRecord => ({
  orderId: `trip-${id}`,
  order: {
    headerId: 0,
    timestamp: at,
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 'robot-1',
    orderId: `trip-${id}`,
    orderUpdateId: 0,
    nodes: [{ nodeId: 'G-loading', sequenceId: 0, released: true, actions: [] }],
    edges: [],
  },
  view: {
    id,
    robot: 'robot-1',
    status: 'done',
    visits: ['101'],
    trays: [{ tray: 1, room: '101', status: 'delivered', deliveredAt: at }],
    loading: { confirmedTrays: [1] },
    createdAt: at,
    finishedAt: at,
  },
  ...(round ? { origin: { round, requests: [0] } } : {}),
});

/** A controller started on a database with a long history: it holds a window of it, and the API pages the rest. */
describe('history: a window in memory, pages from the store', () => {
  let cleanup: (() => Promise<void>)[] = [];
  let brokerUrl = '';
  const clock = new ScaledClock(1000);
  let manufacturer = '';
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function controllerOn(trips: number, rounds: number, roundsMarkedFinished = true) {
    const database = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-history-')), 'isofleet.db');
    const store = new SqliteStore(database);
    store.db.transaction(() => {
      for (let r = 0; r < rounds; r++) {
        store.saveTrip(finishedTrip(`r${r}-trip`, `round-${r}`));
        store.saveRound({
          id: `round-${r}`,
          createdAtMs: 0,
          requests: [{ room: '101', priority: 'meal' }],
          sent: [{ tripId: `r${r}-trip`, robot: 'robot-1', requests: [0], sentAtMs: 0, predictedS: 60 }],
          queue: [],
          ...(roundsMarkedFinished ? { finishedAtMs: 1 } : {}),
        });
      }
      for (let i = 0; i < trips; i++) store.saveTrip(finishedTrip(`t${i}`));
    })();
    store.close();
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    brokerUrl = broker.url;
    manufacturer = uniqueManufacturer('history');
    const app = await buildApp({ site: await loadSite('hotel'), mqttUrl: broker.url, manufacturer, databaseFile: database, clock });
    cleanup.push(() => app.close());
    return app;
  }

  it('loads the newest finished trips and rounds (with their trips), not all of them, and pages every one through the API', async () => {
    const app = await controllerOn(500, 30);
    expect(app.rounds.list().map((r) => r.id)).toEqual(Array.from({ length: KEEP_FINISHED_ROUNDS }, (_, i) => `round-${i + 10}`));
    // The newest finished trips, plus the trip of each round held.
    const held = app.trips.list().map((t) => t.id);
    expect(held).toHaveLength(KEEP_FINISHED_TRIPS + KEEP_FINISHED_ROUNDS);
    expect(held).toContain('t499');
    expect(held).not.toContain('t100');
    expect(held).toContain('r10-trip');
    // Rounds held show their rooms from their trips.
    expect(app.rounds.get('round-10')!.rooms[0]!.status).toBe('delivered');

    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = (await app.inject({ url: `/api/trips?limit=200${before ? `&before=${before}` : ''}` })).json<TripView[]>();
      if (page.length === 0) break;
      seen.push(...page.map((t) => t.id));
      before = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(530);
    expect(seen[0]).toBe('t499');
    expect(new Set(seen).size).toBe(530);
    expect((await app.inject({ url: '/api/trips' })).json<TripView[]>()).toHaveLength(100);

    // Rounds beyond the window come from the store, rooms and all.
    const oldest = (await app.inject({ url: '/api/rounds?limit=5&before=round-5' })).json<RoundView[]>();
    expect(oldest.map((r) => r.id)).toEqual(['round-4', 'round-3', 'round-2', 'round-1', 'round-0']);
    expect(oldest[0]).toMatchObject({ status: 'done', rooms: [{ room: '101', status: 'delivered' }] });

    // New trips finishing push the oldest finished out of memory (not those a round holds), and the API still has them.
    const world = new SimWorld({ site: app.siteGraph.site, clock, seed: 1, residents: { neverShare: 0, minS: 0, maxS: 0 } });
    const fleet = await startSimRobotFleet({ mqttUrl: brokerUrl, world, count: 1, manufacturer, visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    await waitFor(() => app.fleet.get('robot-1')?.state === 'idle', 10_000, 'robot idle');
    for (const room of ['101', '102']) {
      const created = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'robot-1', trays: [{ tray: 1, room }] } });
      expect(created.statusCode, created.body).toBe(201);
      await waitFor(() => app.trips.get(created.json<{ id: string }>().id)?.status === 'done' && app.fleet.get('robot-1')?.state === 'idle', 20_000, 'trip done');
    }
    const after = app.trips.list().map((t) => t.id);
    expect(after).toHaveLength(KEEP_FINISHED_TRIPS + KEEP_FINISHED_ROUNDS);
    expect(after).not.toContain('t300');
    expect(after).not.toContain('t301');
    expect(after).toContain('t302');
    expect(after).toContain('r10-trip');
    expect((await app.inject({ url: '/api/trips/t300' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/trips?limit=1&before=t301' })).json<TripView[]>().map((t) => t.id)).toEqual(['t300']);
  }, 60_000);

  it('starts on a database whose finished rounds were never marked finished, marks them and keeps the window', async () => {
    const app = await controllerOn(10, 30, false);
    expect(app.rounds.list()).toHaveLength(KEEP_FINISHED_ROUNDS);
    expect(app.rounds.list().every((r) => r.status === 'done')).toBe(true);
    expect((await app.inject({ url: '/api/rounds?limit=100' })).json<RoundView[]>()).toHaveLength(30);
  });

  it('answers a bad page with 400 naming the field', async () => {
    const app = await controllerOn(3, 1);
    for (const [url, field] of [
      ['/api/trips?limit=0', 'querystring.limit'],
      ['/api/trips?limit=many', 'querystring.limit'],
      ['/api/trips?limit=501', 'querystring.limit'],
      ['/api/trips?before=nope', 'querystring.before'],
      ['/api/rounds?before=nope', 'querystring.before'],
      ['/api/rounds?limit=-1', 'querystring.limit'],
    ] as const) {
      const reply = await app.inject({ url });
      expect(reply.statusCode, url).toBe(400);
      expect(reply.json<{ issues: { path: string }[] }>().issues[0]!.path, url).toBe(field);
    }
  });
});
