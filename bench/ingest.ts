/**
 * `npm run bench:ingest [-- --n 100,300,1000,3000 --seconds 15 --threads 2]`: how many devices one
 * controller serves. Devices are plain MQTT clients, not simulators, in `--threads` worker threads
 * (bench/ingest-devices.ts): half robots sending a VDA 5050 state at 1 Hz, half drones sending
 * telemetry at 5 Hz, each on its own connection, through a real
 * Mosquitto (Debian's, started here on a free port) to `npm run controller` in its own process
 * (sign-in on, SQLite). N grows stage by stage on the same controller. A socket.io client signed
 * in as the dashboard (on the main thread, which does nothing else) measures device → dashboard latency: each message carries a sequence
 * number in a field the dashboard shows (a robot's x, a drone's heading), and the time from its
 * publish to the first push showing it is one sample. Controller CPU (cores), memory, messages
 * handled and dropped come from the controller's own `/metrics`. Target: 1,000 devices with p99
 * ≤ 100 ms and the controller under one core. Exits 1 without Mosquitto.
 * `--profile` runs the controller under V8's CPU profiler (`node --cpu-prof`, the whole run: give
 * one stage, e.g. `--n 3000`) and prints its self time by package and by function after the table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { io } from 'socket.io-client';
import { cliFail, parseCliArgs } from '../common/cli-args.js';
import type { DroneView } from '../protocol/index.js';
import { TOOLS, toolPresent } from '../test-support/tools.js';
import { summariseProfile } from './cpu-profile.js';
import type { IngestDevicesCommand, IngestDevicesData, IngestDevicesReport } from './ingest-devices.js';

const usage = (message: string): never => cliFail('bench:ingest', message);
const { values } = parseCliArgs(
  'bench:ingest',
  'usage: npm run bench:ingest -- [--n 100,300,1000,3000] [--seconds 15] [--threads 2] [--profile]\n' +
    'Plain MQTT devices through Mosquitto to `npm run controller`, stage by stage: messages handled, device → dashboard latency, CPU and memory.\n',
  {
    options: {
      n: { type: 'string', default: '100,300,1000,3000' },
      seconds: { type: 'string', default: '15' },
      profile: { type: 'boolean', default: false },
      threads: { type: 'string', default: '2' },
    },
  },
);
const stages = values.n.split(',').map(Number);
if (!stages.every((n) => Number.isInteger(n) && n >= 2)) usage(`--n ${values.n}: device counts, whole numbers of 2 or more, comma-separated`);
const threadCount = Number(values.threads);
if (!(Number.isInteger(threadCount) && threadCount >= 1 && threadCount <= 16)) usage(`--threads ${values.threads}: device threads, a whole number from 1 to 16`);
const measureS = Number(values.seconds);
if (!(measureS >= 1)) usage(`--seconds ${values.seconds}: seconds to measure each stage, 1 or more`);
const MANUFACTURER = 'bench';
const ROOT = path.resolve(import.meta.dirname, '..');

if (!toolPresent('mosquitto')) {
  process.stderr.write(`bench:ingest needs Mosquitto (${TOOLS.mosquitto.install}); not found at ${TOOLS.mosquitto.path}\n`);
  process.exit(1);
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

// Mosquitto as a site would run it for this (deploy/mosquitto.conf without the logins: every
// device here is anonymous), queues unlimited so nothing is dropped silently.
const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-ingest-'));
const mqttPort = await freePort();
writeFileSync(path.join(dir, 'mosquitto.conf'), `listener ${mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`);
const mosquitto = spawn(TOOLS.mosquitto.path, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
children.push(mosquitto);
const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

const ADMIN_PASSWORD = 'bench-ingest-admin';
const profileDir = path.join(dir, 'profile');
const profiling = values.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const controller = spawn(process.execPath, [...profiling, '--import', 'tsx', 'controller/cli.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_URL: mqttUrl,
    ISOFLEET_DB: path.join(dir, 'isofleet.db'),
    ISOFLEET_MANUFACTURER: MANUFACTURER,
    ISOFLEET_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'error',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(controller);
const base = await new Promise<string>((resolve, reject) => {
  let out = '';
  controller.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = /controller on port (\d+)/.exec(out);
    if (match) resolve(`http://127.0.0.1:${match[1]}`);
  });
  controller.once('exit', (code) => reject(new Error(`controller exited (${code}):\n${out}`)));
});
const { token } = (await (
  await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
).json()) as { token: string };

// Send and receive times in epoch ms (performance.timeOrigin + now: one clock across threads). A
// push can arrive before the thread's note of its sending, so whichever comes second makes the sample.
const epochMs = () => performance.timeOrigin + performance.now();
const sentAt = new Map<string, number>();
const seenAt = new Map<string, number>();
const latencies: number[] = [];
const noteSent = (key: string, ms: number) => {
  const seen = seenAt.get(key);
  if (seen === undefined) sentAt.set(key, ms);
  else {
    latencies.push(seen - ms);
    seenAt.delete(key);
  }
};
const noteSeen = (key: string) => {
  const sent = sentAt.get(key);
  if (sent === undefined) {
    if (!seenAt.has(key)) seenAt.set(key, epochMs());
    return;
  }
  latencies.push(epochMs() - sent);
  sentAt.delete(key);
};
// A note older than 10 s will not be matched (a push showing an unchanged value, a message lost).
setInterval(() => {
  const old = epochMs() - 10_000;
  for (const map of [sentAt, seenAt]) for (const [key, ms] of map) if (ms < old) map.delete(key);
}, 1000).unref();
const dashboard = io(base, { auth: { token }, transports: ['websocket'] });
dashboard.on('robotsChanged', (robots: { serialNumber: string; position: { x: number } | null }[]) => {
  for (const r of robots) if (r.position) noteSeen(`${r.serialNumber}#${r.position.x}`);
});
dashboard.on('dronesChanged', (drones: DroneView[]) => {
  for (const d of drones) noteSeen(`${d.id}#${Math.round(d.headingDeg * 10)}`);
});
await new Promise<void>((resolve, reject) => {
  dashboard.once('connect', () => resolve());
  dashboard.once('connect_error', reject);
});

// The devices, in worker threads (bench/ingest-devices.ts); each thread reports what it sent.
const bootDevices = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./ingest-devices.ts', import.meta.url).href)}); });`;
const sentTotals: number[] = [];
const generators = Array.from({ length: threadCount }, (_, thread) => {
  const worker = new Worker(bootDevices, { eval: true, execArgv: [], workerData: { mqttUrl, manufacturer: MANUFACTURER, thread, threads: threadCount } satisfies IngestDevicesData });
  sentTotals[thread] = 0;
  worker.on('message', (report: IngestDevicesReport) => {
    sentTotals[thread] = report.total;
    for (const [id, seq, ms] of report.sent) noteSent(`${id}#${seq}`, ms);
  });
  worker.on('error', (error) => usage(`device thread ${thread}: ${error.message}`));
  return worker;
});
const sentSoFar = () => sentTotals.reduce((a, b) => a + b, 0);

/** Reads the controller's `/metrics` into series → value. */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}
const sumOf = (series: Map<string, number>, prefix: string) => [...series].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};

const rows: string[][] = [];
for (const n of stages) {
  process.stderr.write(`ingest: ${n} devices: connecting …\n`);
  for (const worker of generators) worker.postMessage({ grow: n } satisfies IngestDevicesCommand);
  // Connections are made in batches (bench/ingest-devices.ts); then a few seconds of steady state.
  await new Promise((r) => setTimeout(r, 5000 + (n / 50 / threadCount) * 100));
  process.stderr.write(`ingest: ${n} devices: measuring ${measureS} s …\n`);
  const before = await scrape();
  const sentBefore = sentSoFar();
  latencies.length = 0;
  const startedAt = performance.now();
  await new Promise((r) => setTimeout(r, measureS * 1000));
  const after = await scrape();
  const seconds = (performance.now() - startedAt) / 1000;
  const sent = sentSoFar() - sentBefore;
  const received = sumOf(after, 'isofleet_mqtt_messages_received_total{kind="robot",topic="state"') + sumOf(after, 'isofleet_mqtt_messages_received_total{kind="drone",topic="telemetry"');
  const receivedBefore =
    sumOf(before, 'isofleet_mqtt_messages_received_total{kind="robot",topic="state"') + sumOf(before, 'isofleet_mqtt_messages_received_total{kind="drone",topic="telemetry"');
  const handled = received - receivedBefore;
  const cpu = (after.get('process_cpu_seconds_total')! - before.get('process_cpu_seconds_total')!) / seconds;
  const online = sumOf(after, 'isofleet_devices_online');
  rows.push([
    String(n),
    String(online),
    (sent / seconds).toFixed(0),
    (handled / seconds).toFixed(0),
    String(Math.max(0, sent - handled)),
    String(latencies.length),
    pct(latencies, 50).toFixed(0),
    pct(latencies, 99).toFixed(0),
    cpu.toFixed(2),
    (after.get('process_resident_memory_bytes')! / 2 ** 20).toFixed(0),
    (after.get('nodejs_eventloop_lag_p99_seconds')! * 1000).toFixed(0),
  ]);
}

const header = ['devices', 'online', 'sent/s', 'handled/s', 'not handled', 'samples', 'p50 ms', 'p99 ms', 'CPU cores', 'RSS MiB', 'loop lag p99 ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
process.stdout.write(`${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`);
const passed = rows.find((r) => Number(r[7]) > 100);
process.stdout.write(`p99 passes 100 ms at: ${passed ? `${passed[0]} devices` : 'none of the stages'}; target 1,000 devices at p99 ≤ 100 ms, CPU < 1 core\n`);

for (const worker of generators) worker.postMessage({ stop: true } satisfies IngestDevicesCommand);
dashboard.close();
if (values.profile) {
  // The profile is written when the controller exits by itself (its SIGTERM handler), not on a kill.
  const exited = new Promise((resolve) => controller.once('exit', resolve));
  controller.kill('SIGTERM');
  await exited;
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) usage(`no CPU profile in ${profileDir}`);
  const summary = summariseProfile(JSON.parse(readFileSync(path.join(profileDir, file!), 'utf8')), 15);
  const table = (title: string, shares: { name: string; share: number }[]) =>
    [`| ${title} | share of ${summary.seconds.toFixed(0)} s |`, '|---|---:|', ...shares.map((s) => `| ${s.name} | ${(s.share * 100).toFixed(1)} % |`)].join('\n');
  process.stdout.write(`\nController CPU profile (${path.join(profileDir, file!)}), busy ${(summary.busy * 100).toFixed(0)} % of samples; self time:\n\n`);
  process.stdout.write(`${table('package', summary.byPackage)}\n\n${table('function', summary.byFunction)}\n`);
}
process.exit(0);
