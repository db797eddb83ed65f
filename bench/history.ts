/**
 * `npm run bench:history`: what a robot's state message costs the controller, and what a start
 * costs, on a database with a short and a long history of finished trips. The controller runs
 * for real (embedded broker, SQLite file, fleet registry, trips, rounds, alerts); a state message
 * of a robot on a round's trip is handed to its MQTT client as if it had arrived, and timed until
 * every listener has run (after 200 to warm up). Target (issue 13): the same cost after 100,000 finished trips as after 10.
 * Env: BENCH_HISTORY (comma-separated trip counts, default 10,100000), BENCH_MESSAGES (2000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCliArgs } from '../common/cli-args.js';
import { buildApp } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { SqliteStore, type TripRecord } from '../controller/storage/index.js';
import { startEmbeddedBroker } from '../controller/transport/embedded-broker.js';
import { VDA_VERSION, vdaTopic, type State } from '../protocol/index.js';
import { idleRobotStateBody } from '../test-support/device-messages.js';

parseCliArgs(
  'bench:history',
  'usage: npm run bench:history  (env BENCH_HISTORY=10,100000 finished trips, BENCH_MESSAGES=2000)\n' +
    "What a robot's state message and a start cost the controller on a database with a short and a long history of finished trips.\n",
  { options: {} },
);
const counts = (process.env.BENCH_HISTORY ?? '10,100000').split(',').map(Number);
const messages = Number(process.env.BENCH_MESSAGES ?? 2000);
const manufacturer = 'bench';
const at = new Date(Date.UTC(2026, 10, 1)).toISOString();

function finishedTrip(i: number): TripRecord {
  const id = `old${i}`;
  const rooms = ['101', '205', '312', '418'];
  return {
    orderId: `trip-${id}`,
    order: {
      headerId: 0,
      timestamp: at,
      version: VDA_VERSION,
      manufacturer,
      serialNumber: `robot-${1 + (i % 5)}`,
      orderId: `trip-${id}`,
      orderUpdateId: 0,
      nodes: [{ nodeId: 'G-loading', sequenceId: 0, released: true, actions: [] }],
      edges: [],
    },
    view: {
      id,
      robot: `robot-${1 + (i % 5)}`,
      status: 'done',
      visits: rooms,
      trays: rooms.map((room, t) => ({ tray: t + 1, room, status: 'delivered' as const, deliveredAt: at })),
      loading: { confirmedTrays: [1, 2, 3, 4] },
      createdAt: at,
      finishedAt: at,
    },
  };
}

async function measure(history: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-bench-history-'));
  const database = path.join(dir, 'isofleet.db');
  const seed = new SqliteStore(database);
  seed.db.transaction(() => {
    for (let i = 0; i < history; i++) seed.saveTrip(finishedTrip(i));
  })();
  seed.close();
  const broker = await startEmbeddedBroker({ port: 0 });
  const heapBefore = process.memoryUsage().heapUsed;
  const startedAt = performance.now();
  const app = await buildApp({ site: await loadSite('hotel'), mqttUrl: `mqtt://127.0.0.1:${broker.port}`, manufacturer, databaseFile: database, roundImproveMs: 0 });
  const startMs = performance.now() - startedAt;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  // One robot, online and idle at the station; a round sends it a trip.
  const deliver = (topic: 'connection' | 'state', message: object) =>
    app.mqtt.emit('message', vdaTopic({ manufacturer, serialNumber: 'robot-1' }, topic), Buffer.from(JSON.stringify(message)), {} as never);
  const header = (n: number) => ({ headerId: n, timestamp: new Date().toISOString(), version: VDA_VERSION, manufacturer, serialNumber: 'robot-1' });
  const state = (n: number, over: Partial<State>) => ({
    ...header(n),
    ...idleRobotStateBody({ agvPosition: { x: 26, y: 2.5, theta: 0, mapId: 'G', positionInitialized: true }, batteryState: { batteryCharge: 90, charging: false }, ...over }),
  });
  deliver('connection', { ...header(0), connectionState: 'ONLINE' });
  deliver('state', state(1, {}));
  const created = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: ['101', '102', '103', '104', '201', '202'].map((room) => ({ room })) } });
  if (created.statusCode !== 201) throw new Error(`round refused: ${created.body}`);
  const trip = app.trips.activeTripOf('robot-1');
  if (!trip) throw new Error('no trip sent');
  const order = `trip-${trip.id}`;

  // Driving along the corridor: each message moves it a little.
  const times: number[] = [];
  const warmUp = 200;
  for (let n = 0; n < warmUp + messages; n++) {
    const message = state(n + 2, {
      orderId: order,
      driving: true,
      nodeStates: [{ nodeId: 'G-c6', sequenceId: 2, released: true }],
      actionStates: [{ actionId: `${order}:load`, actionType: 'loadTrays', actionStatus: 'FINISHED' }],
      agvPosition: { x: 26 - (n % 100) * 0.01, y: 0, theta: 0, mapId: 'G', positionInitialized: true },
    });
    const t0 = performance.now();
    deliver('state', message);
    if (n >= warmUp) times.push(performance.now() - t0);
  }
  await app.close();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const quantile = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 1000;
  return { history, startMs, heapMb, tripsInMemory: app.trips.list().length, p50Us: quantile(0.5), p90Us: quantile(0.9), p99Us: quantile(0.99) };
}

const rows = [];
for (const history of counts) rows.push(await measure(history));
process.stdout.write(
  `${[
    '| finished trips in the database | trips in memory | start (ms) | heap after start (MB) | state message p50 (µs) | p90 (µs) | p99 (µs) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.history.toLocaleString('en')} | ${r.tripsInMemory} | ${r.startMs.toFixed(0)} | ${r.heapMb.toFixed(1)} | ${r.p50Us.toFixed(0)} | ${r.p90Us.toFixed(0)} | ${r.p99Us.toFixed(0)} |`,
    ),
  ].join('\n')}\n`,
);
process.exit(0);
