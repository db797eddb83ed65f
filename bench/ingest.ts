/**
 * `npm run bench:ingest [-- --n 100,300,1000,3000 --seconds 15]`: how many devices one controller
 * serves. Devices are plain MQTT clients, not simulators: half robots sending a VDA 5050 state at
 * 1 Hz, half drones sending telemetry at 5 Hz, each on its own connection, through a real
 * Mosquitto (Debian's, started here on a free port) to `npm run controller` in its own process
 * (sign-in on, SQLite). N grows stage by stage on the same controller. A socket.io client signed
 * in as the dashboard is measures device → dashboard latency: each message carries a sequence
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
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { droneTopic, vdaTopic, type DroneView } from '../protocol/index.js';
import { TOOLS, toolPresent } from '../test-support/tools.js';
import { summariseProfile } from './cpu-profile.js';

const usage = (message: string): never => {
  process.stderr.write(`bench:ingest: ${message}\n`);
  process.exit(2);
};
const { values } = (() => {
  try {
    return parseArgs({ options: { n: { type: 'string', default: '100,300,1000,3000' }, seconds: { type: 'string', default: '15' }, profile: { type: 'boolean', default: false } } });
  } catch (error) {
    return usage((error as Error).message);
  }
})();
const stages = values.n.split(',').map(Number);
if (!stages.every((n) => Number.isInteger(n) && n >= 2)) usage(`--n ${values.n}: device counts, whole numbers of 2 or more, comma-separated`);
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

/** Send time (performance.now) of each device's recent sequence numbers: device id → seq → ms. */
const sentAt = new Map<string, Map<number, number>>();
const latencies: number[] = [];
const noteSent = (id: string, seq: number) => {
  const bySeq = sentAt.get(id) ?? new Map<number, number>();
  sentAt.set(id, bySeq);
  bySeq.set(seq, performance.now());
  // A device's last few seconds are enough: a push older than that is no sample.
  if (bySeq.size > 40) bySeq.delete(bySeq.keys().next().value!);
};
const noteSeen = (id: string, seq: number) => {
  const bySeq = sentAt.get(id);
  const at = bySeq?.get(seq);
  if (at === undefined) return;
  latencies.push(performance.now() - at);
  bySeq!.delete(seq);
};
const dashboard = io(base, { auth: { token }, transports: ['websocket'] });
dashboard.on('robotsChanged', (robots: { serialNumber: string; position: { x: number } | null }[]) => {
  for (const r of robots) if (r.position) noteSeen(r.serialNumber, r.position.x);
});
dashboard.on('dronesChanged', (drones: DroneView[]) => {
  for (const d of drones) noteSeen(d.id, Math.round(d.headingDeg * 10));
});
await new Promise<void>((resolve, reject) => {
  dashboard.once('connect', () => resolve());
  dashboard.once('connect_error', reject);
});

/** One device: its connection and the timer that makes it talk. */
interface Device {
  client: MqttClient;
  timer?: NodeJS.Timeout;
  sent: number;
}
const devices: Device[] = [];

function robot(i: number): Device {
  const vehicle = { manufacturer: MANUFACTURER, serialNumber: `r${i}` };
  const client = mqtt.connect(mqttUrl, { clientId: `bench-r${i}`, reconnectPeriod: 1000 });
  const device: Device = { client, sent: 0 };
  const header = () => ({ headerId: device.sent, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle });
  client.once('connect', () => {
    client.publish(vdaTopic(vehicle, 'connection'), JSON.stringify({ ...header(), connectionState: 'ONLINE' }), { qos: 1, retain: true });
    // Spread over the second, as devices that started at different times are.
    setTimeout(() => {
      device.timer = setInterval(() => {
        const seq = ++device.sent;
        noteSent(vehicle.serialNumber, seq);
        client.publish(
          vdaTopic(vehicle, 'state'),
          JSON.stringify({
            ...header(),
            orderId: '',
            orderUpdateId: 0,
            lastNodeId: 'G-loading',
            lastNodeSequenceId: 0,
            driving: false,
            operatingMode: 'AUTOMATIC',
            nodeStates: [],
            edgeStates: [],
            actionStates: [],
            batteryState: { batteryCharge: 80, charging: false },
            errors: [],
            safetyState: { eStop: 'NONE', fieldViolation: false },
            agvPosition: { x: seq, y: 0, theta: 0, mapId: 'G', positionInitialized: true },
          }),
          { qos: 0 },
        );
      }, 1000);
    }, Math.random() * 1000);
  });
  return device;
}

function drone(i: number): Device {
  const droneId = `bench-d${i}`;
  const client = mqtt.connect(mqttUrl, { clientId: droneId, reconnectPeriod: 1000 });
  const device: Device = { client, sent: 0 };
  const header = () => ({ headerId: device.sent, timestamp: new Date().toISOString(), droneId });
  client.once('connect', () => {
    client.publish(droneTopic(droneId, 'connection'), JSON.stringify({ ...header(), connectionState: 'ONLINE' }), { qos: 1, retain: true });
    setTimeout(() => {
      device.timer = setInterval(() => {
        // The heading carries the sequence number: tenths of a degree, 3,600 of them (12 min at 5 Hz).
        const seq = ++device.sent % 3600;
        noteSent(droneId, seq);
        client.publish(
          droneTopic(droneId, 'telemetry'),
          JSON.stringify({
            ...header(),
            lat: 22.72 + i * 1e-5,
            lon: 114.25,
            altM: 0,
            groundSpeedMps: 0,
            headingDeg: seq / 10,
            batteryPct: 90,
            tankL: 10,
            tankSource: 'measured',
            pumpOn: false,
            flowLPerMin: 0,
            sprayedL: 0,
            windMps: 1,
            windDirDeg: 0,
            mode: 'landed',
            lastCompletedSortie: -1,
            autopilot: { armed: false, flightMode: 'SIM', gpsOk: true, ekfOk: true, capabilities: [] },
          }),
          { qos: 0 },
        );
      }, 200);
    }, Math.random() * 200);
  });
  return device;
}

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
  while (devices.length < n) {
    const i = devices.length;
    devices.push(i % 2 === 0 ? robot(i / 2) : drone((i - 1) / 2));
    // Connect in batches: a thousand connections at once is a thundering herd, not the steady state.
    if (devices.length % 100 === 0) await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 5000));
  process.stderr.write(`ingest: ${n} devices: measuring ${measureS} s …\n`);
  const before = await scrape();
  const sentBefore = devices.reduce((s, d) => s + d.sent, 0);
  latencies.length = 0;
  const startedAt = performance.now();
  await new Promise((r) => setTimeout(r, measureS * 1000));
  const after = await scrape();
  const seconds = (performance.now() - startedAt) / 1000;
  const sent = devices.reduce((s, d) => s + d.sent, 0) - sentBefore;
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

for (const d of devices) {
  clearInterval(d.timer);
  d.client.end(true);
}
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
