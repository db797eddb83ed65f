/**
 * `npm run bench:responsive`: does the controller keep serving while it plans? One process, as
 * `npm start` runs it: embedded broker, controller, 2 simulated robots on the hotel and 4 drones
 * on the first pad of a road strip. Every 20 ms a probe times `GET /api/robots` over HTTP and an
 * MQTT round trip through the broker (publish, receive its own message) while `POST
 * /api/missions` plans: the seen case (a 10.5 km × 100 m strip at 30°, pads every 1.5 km), the
 * largest zone allowed (990 ha) and one too large (1,200 ha, refused before planning). Prints
 * p50/p99/max of each, peak RSS (the planner threads included), the alerts raised meanwhile, and
 * the answer's status and time. Target: p99 < 50 ms, no alert.
 */
import { performance } from 'node:perf_hooks';
import { parseCliArgs } from '../common/cli-args.js';
import { connectMqtt } from '../common/index.js';
import { buildApp } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { zonesFromMetres } from '../controller/spray/test-helpers.js';
import { startEmbeddedBroker } from '../controller/transport/embedded-broker.js';
import { padsFromZones, SimDroneWorld, startSimDroneFleet } from '../sim/drone/index.js';
import { startSimRobotFleet } from '../sim/robot-fleet.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { SimWorld } from '../sim/world.js';
import { waitFor } from '../sim/scenario.js';

parseCliArgs(
  'bench:responsive',
  'usage: npm run bench:responsive  (env BENCH_CASE=NAME runs the cases whose name starts with NAME)\n' +
    'GET /api/robots and an MQTT round trip probed every 20 ms while POST /api/missions plans large zones: p50/p99/max, peak RSS, alerts.\n',
  { options: {} },
);

type P = [number, number];
/** A `lengthM` × `widthM` strip turned by `deg`, its fence 20 m out, a pad every `padEveryM` 10 m off its south side. */
function strip(lengthM: number, widthM: number, padEveryM: number, deg = 30) {
  const a = (deg * Math.PI) / 180;
  const rot = ([x, y]: P): P => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
  const rect = (x0: number, y0: number, x1: number, y1: number): P[] =>
    (
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ] as P[]
    ).map(rot);
  const pads: P[] = [];
  for (let x = 5; x <= lengthM; x += padEveryM) pads.push(rot([x, -10]));
  return zonesFromMetres({ spray: [[rect(0, 0, lengthM, widthM)]], geofence: rect(-20, -20, lengthM + 20, widthM + 20), pads });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

const broker = await startEmbeddedBroker();
const clock = new ScaledClock(10);
const site = await loadSite('hotel');
const app = await buildApp({ site, mqttUrl: broker.url, clock, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const robots = await startSimRobotFleet({ mqttUrl: broker.url, world: new SimWorld({ site, clock, seed: 1 }), count: 2, manufacturer: 'isofleet', visualizationIntervalMs: 2000 });
const firstPad = padsFromZones(strip(100, 100, 1000)).slice(0, 1);
const drones = await startSimDroneFleet({ mqttUrl: broker.url, world: new SimDroneWorld({ clock, pads: firstPad, seed: 1 }), count: 4 });
await waitFor(() => app.missions.drones.views().filter((d) => d.mode === 'landed').length === 4 && app.fleet.list().filter((r) => r.online).length === 2, 20_000, 'robots and drones online');

const probe = await connectMqtt(broker.url, { clientId: 'bench-probe' });
await probe.subscribeAsync('bench/probe');
let waiting: (() => void) | undefined;
probe.on('message', () => waiting?.());
const mqttRoundTrip = async () => {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    waiting = resolve;
    probe.publish('bench/probe', 'x', { qos: 0 });
  });
  return performance.now() - t0;
};
const httpRobots = async () => {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/robots`);
  await r.arrayBuffer();
  return performance.now() - t0;
};

// Warm-up: the first requests compile their code paths.
for (let i = 0; i < 50; i++) {
  await httpRobots();
  await mqttRoundTrip();
}

/** Probes every 20 ms while `work` runs (at least `minMs`), with peak RSS and alerts raised meanwhile. */
async function measure(work: () => Promise<{ status: number; ms: number; note: string }>, minMs = 3000) {
  const http: number[] = [];
  const mqtt: number[] = [];
  let rss = process.memoryUsage().rss;
  const alertsBefore = app.alerts.list().length;
  let done = false;
  const t0 = performance.now();
  const probing = (async () => {
    while (!done || performance.now() - t0 < minMs) {
      const tick = performance.now();
      http.push(await httpRobots());
      mqtt.push(await mqttRoundTrip());
      rss = Math.max(rss, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, Math.max(0, 20 - (performance.now() - tick))));
    }
  })();
  const result = await work();
  done = true;
  await probing;
  const alerts = app.alerts
    .list()
    .slice(alertsBefore)
    .map((a) => a.message);
  return { http, mqtt, rss, alerts, ...result };
}

async function createMission(zones: unknown) {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/missions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ zones, drones: 4 }) });
  const body = (await r.json()) as { id?: string; message?: string; plan?: { properties: { metrics: { sorties: number; areaM2: number } } } };
  const ms = performance.now() - t0;
  // Free the drones for the next case.
  if (body.id) await fetch(`${base}/api/missions/${body.id}/abort`, { method: 'POST' });
  const m = body.plan?.properties.metrics;
  return { status: r.status, ms, note: m ? `${(m.areaM2 / 1e4).toFixed(0)} ha, ${m.sorties} sorties` : (body.message ?? '').slice(0, 90) };
}

const only = process.env.BENCH_CASE;
const allCases: Array<[string, () => Promise<{ status: number; ms: number; note: string }>]> = [
  ['idle (no planning)', async () => ({ status: 0, ms: 0, note: '' })],
  ['road strip 10.5 km × 100 m at 30°', () => createMission(strip(10_500, 100, 1_500))],
  ['largest allowed 10 km × 990 m', () => createMission(strip(10_000, 990, 1_000))],
  ['too large 12 km × 1 km', () => createMission(strip(12_000, 1_000, 1_000))],
];
const cases = only ? allCases.filter(([n]) => n.startsWith(only)) : allCases;
const rows: string[][] = [];
let worstP99 = 0;
let anyAlert = false;
for (const [name, work] of cases) {
  process.stderr.write(`bench:responsive ${name} …\n`);
  const m = await measure(work);
  const p99 = Math.max(pct(m.http, 99), pct(m.mqtt, 99));
  worstP99 = Math.max(worstP99, p99);
  anyAlert ||= m.alerts.length > 0;
  rows.push([
    name,
    m.status ? `${m.status} in ${(m.ms / 1000).toFixed(2)} s` : '-',
    `${pct(m.http, 50).toFixed(1)} / ${pct(m.http, 99).toFixed(1)} / ${Math.max(...m.http).toFixed(0)}`,
    `${pct(m.mqtt, 50).toFixed(1)} / ${pct(m.mqtt, 99).toFixed(1)} / ${Math.max(...m.mqtt).toFixed(0)}`,
    String(m.http.length),
    (m.rss / 1e6).toFixed(0),
    m.alerts.length ? m.alerts.join('; ') : 'none',
    m.note,
  ]);
}

const header = ['case', 'POST /api/missions', 'GET /api/robots ms p50/p99/max', 'MQTT round trip ms p50/p99/max', 'probes', 'peak RSS MB', 'alerts', 'plan or refusal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(`${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`);
process.stdout.write(`worst p99 ${worstP99.toFixed(1)} ms (target < 50 ms): ${worstP99 < 50 ? 'met' : 'NOT met'}; alerts while planning: ${anyAlert ? 'yes' : 'none'}\n`);

probe.end(true);
await drones.stop();
await robots.stop();
await app.close();
await broker.close();
process.exit(0);
