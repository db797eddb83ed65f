/**
 * `npm run bench:fuzz`: over 100,000 malformed HTTP requests and MQTT messages against a real
 * controller, robot bridge and drone bridge on an embedded broker (or MQTT_URL). Prints one row per target:
 * cases, refused with a reason, accepted (valid by chance), failures (5xx, a refusal without a
 * reason, or an invalid message not dropped with a logged reason).
 */
import { cliFail, parseCliArgs } from '../common/cli-args.js';
import { runFuzz } from '../apps/fuzz/fuzz-system.js';
import { startEmbeddedBroker } from '../controller/transport/embedded-broker.js';

const { values } = parseCliArgs(
  'bench:fuzz',
  'usage: npm run bench:fuzz -- [--http-per-route 2500] [--mqtt-per-topic 8000] [--seed 7]\n' +
    'Malformed HTTP requests and MQTT messages against a real controller, robot bridge and drone bridge (embedded broker, or MQTT_URL): one row per target.\n',
  { options: { 'http-per-route': { type: 'string', default: '2500' }, 'mqtt-per-topic': { type: 'string', default: '8000' }, seed: { type: 'string', default: '7' } } },
);
/** A flag's whole number (`min` or more), or the tool stops naming it: `Number('zz')` ran the fuzz on NaN cases and seed. */
function wholeNumber(flag: string, min: number): number {
  const text = values[flag as keyof typeof values] as string;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) cliFail('bench:fuzz', `--${flag} must be a whole number, ${min} or more, got ${text}`);
  return n;
}
const httpPerRoute = wholeNumber('http-per-route', 1);
const mqttPerTopic = wholeNumber('mqtt-per-topic', 1);
const seed = wholeNumber('seed', 0);
const broker = process.env.MQTT_URL ? undefined : await startEmbeddedBroker({ port: 0 });
const started = performance.now();
process.stderr.write('fuzzing HTTP routes, then MQTT topics…\n');
const report = await runFuzz({
  mqttUrl: process.env.MQTT_URL ?? broker!.url,
  manufacturer: `fuzz-${Date.now().toString(36)}`,
  httpPerRoute,
  mqttPerTopic,
  seed,
});
await broker?.close();

type Row = [target: string, cases: number, refused: number, accepted: number, failures: number];
const rows: Row[] = [
  ['HTTP (every route in the OpenAPI document)', report.http.cases, report.http.rejected, report.http.accepted, report.http.failures.length],
  ...report.mqtt.map((r): Row => [`MQTT ${r.name}`, r.cases, r.droppedWithReason, r.cases - r.invalid, r.invalid - r.droppedWithReason]),
];
const total = rows.reduce((n, r) => n + r[1], 0);
const out = ['| target | cases | refused with a reason | accepted (valid) | failures |', '|---|---:|---:|---:|---:|'];
for (const r of rows) out.push(`| ${r.join(' | ')} |`);
out.push(`| total | ${total} | | | ${rows.reduce((n, r) => n + r[4], 0)} |`);
const yes = (alive: boolean) => (alive ? 'yes' : 'NO');
out.push(
  '',
  `still alive afterwards: controller ${yes(report.alive.controller)}, robot bridge ${yes(report.alive.robot)}, drone bridge ${yes(report.alive.drone)}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const f of report.http.failures.slice(0, 10)) out.push(`failure: ${f.method.toUpperCase()} ${f.url} → ${f.status} ${f.body}`);
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = rows.every((r) => r[4] === 0) && Object.values(report.alive).every(Boolean) ? 0 : 1;
