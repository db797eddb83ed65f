/**
 * `npm run -s scenario -- --site hotel --robots 5 --rooms 40 --speed 200 [--seed 1] [--by-floor] [--json]`
 * Runs a headless lunch round (planned by the controller, or by floor as a medic would by hand); progress on stderr, the result on stdout (one JSON line with --json).
 * Uses the broker at MQTT_URL when set, else an embedded one.
 */
import { parseArgs } from 'node:util';
import { runRobotScenario, type RobotScenarioResult } from './scenario.js';

const { values } = parseArgs({
  options: {
    site: { type: 'string', default: 'hotel' },
    robots: { type: 'string', default: '5' },
    rooms: { type: 'string', default: '40' },
    speed: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'by-floor': { type: 'boolean', default: false },
  },
});

function positiveNumber(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

const options = {
  site: values.site!,
  robots: Math.round(positiveNumber('robots', values.robots)),
  rooms: Math.round(positiveNumber('rooms', values.rooms)),
  speed: positiveNumber('speed', values.speed),
  seed: Math.round(Number(values.seed ?? 1)),
  dispatch: values['by-floor'] ? ('by-floor' as const) : ('round' as const),
};

let lastLine = '';
const result = await runRobotScenario({
  ...options,
  mqttUrl: process.env.MQTT_URL,
  onProgress: (p) => {
    const width = 30;
    const filled = Math.round((p.done / p.total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} trays  delivered ${p.delivered}  not collected ${p.notCollected}  failed ${p.failed}  sim ${Math.round(p.simS)} s`;
    if (line !== lastLine && process.stderr.isTTY) process.stderr.write(`\r${line}`);
    lastLine = line;
  },
}).catch((error: Error) => {
  process.stderr.write(`\nscenario failed: ${error.message}\n`);
  process.exit(1);
});
process.stderr.write(process.stderr.isTTY ? '\n' : `${lastLine}\n`);

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  printSummary(result);
}

function printSummary(r: RobotScenarioResult): void {
  const minutes = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  process.stdout.write(
    [
      `Lunch round on ${r.site}: ${r.rooms} rooms, ${r.robots} robots, ${r.trips} trips, ${r.dispatch === 'round' ? 'planned' : 'by floor'}`,
      `  delivered      ${r.delivered}`,
      `  not collected  ${r.notCollected}`,
      `  failed         ${r.failed}`,
      `  makespan       ${minutes(r.makespanS)} simulated`,
      `  mean delivery  ${minutes(r.meanDeliveryS)} after the start`,
      `  wall time      ${(r.wallMs / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  );
}
