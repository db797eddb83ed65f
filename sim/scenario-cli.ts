/**
 * `npm run -s scenario -- --site hotel --robots 5 --rooms 40 [--seed 1] [--by-floor] [--clock virtual|scaled] [--speed 200] [--json]`
 * Runs a headless lunch round (planned by the controller, or by floor as a medic would by hand); progress on stderr, the result on stdout (one JSON line with --json).
 * With `--drones N` or `--zones FILE.geojson` it runs a spray mission instead
 * (`--site park` reads `sites/park/zones.geojson`; `--wind MPS`; `--sag` injects a 15 % battery sag on drone 1).
 * `--clock virtual` (the default) steps simulated time when nothing is left to do, as fast as the
 * CPU allows, with the same result for the same seed at any machine load; `--speed` is then
 * ignored. `--clock scaled` runs wall time × `--speed`.
 * `--sitl N` flies N ArduCopter SITL instances (the binary in ARDUPILOT_SITL, ports 5760 + 10·N)
 * with a bridge on each instead of the simulated drones, at `--speed` (default 10), on the scaled
 * clock (SITL runs in processes of its own).
 * `--checkpoint [--road FILE.geojson] [--rate CARS_PER_HOUR] [--booths N] [--hours H]` runs a
 * checkpoint's queue with and without a broadcast drone (sim/checkpoint/: the model's figures are
 * stated there), on the road of `sites/broadcast/checkpoint.geojson` unless `--road` names another.
 * `--day [--robots 5]` runs a whole day of service (sim/day/): three meals for 150 rooms, four
 * medicine rounds with deadlines, urgent medicine, robots charging between services; the day's
 * clock time and what is under way on stderr, the day's figures on stdout.
 * Uses the broker at MQTT_URL when set (then on the scaled clock: see sim/scenario-clock.ts), else an embedded one.
 */
import { existsSync } from 'node:fs';
import { parseCliArgs } from '../common/cli-args.js';
import { RUSH_HOUR } from './checkpoint/checkpoint.js';
import { runCheckpointScenario, type CheckpointScenarioResult } from './checkpoint/scenario.js';
import { sitlBinaryFromEnv } from './drone/ardupilot-sitl.js';
import { runDroneScenario, type DroneScenarioResult } from './drone/index.js';
import { runRobotScenario, type RobotScenarioResult } from './scenario.js';
import { runDay, type DayResult } from './day/day-run.js';

const USAGE = [
  'usage: npm run -s scenario -- [--site hotel] [--robots 5] [--rooms 40] [--seed 1] [--by-floor] [--clock virtual|scaled] [--speed 200] [--json]',
  '       npm run -s scenario -- --drones N | --zones FILE.geojson | --sitl N  [--site park] [--wind MPS] [--sag] …',
  '       npm run -s scenario -- --checkpoint [--road FILE.geojson] [--rate CARS_PER_HOUR] [--booths N] [--hours H]',
  '       npm run -s scenario -- --day [--robots 5] [--seed 1]',
  'A headless lunch round (planned, or --by-floor as a medic would), a spray mission, a checkpoint queue with a broadcast drone, or a whole day of service,',
  'on an embedded broker (MQTT_URL: an outside one); progress on stderr, the result on stdout (one JSON line with --json).',
  '',
].join('\n');
const { values, tokens } = parseCliArgs('scenario', USAGE, {
  tokens: true,
  options: {
    site: { type: 'string', default: 'hotel' },
    robots: { type: 'string', default: '5' },
    rooms: { type: 'string', default: '40' },
    speed: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'by-floor': { type: 'boolean', default: false },
    drones: { type: 'string' },
    zones: { type: 'string' },
    wind: { type: 'string' },
    sag: { type: 'boolean', default: false },
    clock: { type: 'string', default: 'virtual' },
    sitl: { type: 'string' },
    checkpoint: { type: 'boolean', default: false },
    day: { type: 'boolean', default: false },
    road: { type: 'string' },
    rate: { type: 'string' },
    booths: { type: 'string' },
    hours: { type: 'string' },
  },
});

if (values.clock !== 'virtual' && values.clock !== 'scaled') {
  process.stderr.write(`--clock must be virtual or scaled, got ${values.clock}\n`);
  process.exit(2);
}
const clock = values.clock;
const note = (text: string) => process.stderr.write(`note: ${text}\n`);

if (values.checkpoint) {
  const road = values.road ?? 'sites/broadcast/checkpoint.geojson';
  if (!existsSync(road)) {
    process.stderr.write(`no road file ${road}\n`);
    process.exit(2);
  }
  const model = {
    ...RUSH_HOUR,
    ...(values.rate !== undefined ? { arrivalsPerHour: numberWithin('rate', values.rate, 1, 10_000) } : {}),
    ...(values.booths !== undefined ? { booths: wholeNumberWithin('booths', values.booths, 1, 50) } : {}),
    ...(values.hours !== undefined ? { hours: numberWithin('hours', values.hours, 0.1, 168) } : {}),
  };
  let r: CheckpointScenarioResult;
  try {
    r = runCheckpointScenario(road, model, seedOf(values.seed));
  } catch (error) {
    process.stderr.write(`scenario: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else
    process.stdout.write(
      [
        `Checkpoint, ${model.booths} booths, ${model.arrivalsPerHour} cars/h arriving, ${model.hours} h: a drone with ${r.stops} stops in ${r.sorties} sortie(s) against none`,
        `  cars per hour  ${r.carsPerHourWith} with the drone, ${r.carsPerHourWithout} without (×${r.gain})`,
        `  mean wait      ${Math.round(r.meanWaitWithS / 60)} min with, ${Math.round(r.meanWaitWithoutS / 60)} min without`,
        '',
      ].join('\n'),
    );
  process.exit(0);
}

if (values.day) {
  // The day has its own rooms, services and robots' work: a lunch-round or spray flag would be ignored.
  const dayFlags = ['day', 'site', 'robots', 'seed', 'clock', 'speed', 'json'];
  const others = [...new Set(tokens.flatMap((t) => (t.kind === 'option' && !dayFlags.includes(t.name) ? [`--${t.name}`] : [])))];
  if (others.length > 0) {
    process.stderr.write(`--day takes --site, --robots, --seed, --clock, --speed and --json, not ${others.join(', ')}\n`);
    process.exit(2);
  }
  const result = await runDay({
    site: values.site!,
    seed: seedOf(values.seed),
    robots: wholeNumberWithin('robots', values.robots, 1, 50),
    speed: numberWithin('speed', values.speed, 1, 100_000),
    clock,
    mqttUrl: process.env.MQTT_URL,
    onNote: note,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  }).catch((error: Error) => {
    process.stderr.write(`scenario failed: ${error.message}\n`);
    process.exit(1);
  });
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else printDay(result);
  process.exit(0);
}

if (values.drones !== undefined || values.zones !== undefined || values.sitl !== undefined) {
  await runDrones();
  process.exit(0);
}

function positiveNumber(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

/** A flag's number within [min, max], or exit 2 naming the flag and the range. */
function numberWithin(name: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (!(value >= min && value <= max)) {
    process.stderr.write(`--${name} must be a number from ${min} to ${max}, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

/** As {@link numberWithin}, a whole number. */
function wholeNumberWithin(name: string, text: string | undefined, min: number, max: number): number {
  const value = numberWithin(name, text, min, max);
  if (!Number.isInteger(value)) {
    process.stderr.write(`--${name} must be a whole number from ${min} to ${max}, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

/** `--seed`: a whole number (the same seed gives the same run on the virtual clock). */
function seedOf(text: string | undefined): number {
  const value = Number(text ?? 1);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`--seed must be a whole number, 0 or more, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

const options = {
  site: values.site!,
  robots: Math.round(positiveNumber('robots', values.robots)),
  rooms: Math.round(positiveNumber('rooms', values.rooms)),
  speed: positiveNumber('speed', values.speed),
  seed: seedOf(values.seed),
  dispatch: values['by-floor'] ? ('by-floor' as const) : ('round' as const),
};

let lastLine = '';
const result = await runRobotScenario({
  ...options,
  clock,
  onNote: note,
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
      `  door confirmed ${r.doorConfirmed} of the delivered (the room's door sensor saw the door open while the tray waited)`,
      `  makespan       ${minutes(r.makespanS)} simulated`,
      `  mean delivery  ${minutes(r.meanDeliveryS)} after the start`,
      `  disinfections  ${r.disinfections}, isolation breaches ${r.isolationBreaches}`,
      `  wall time      ${(r.wallMs / 1000).toFixed(1)} s (${r.clock} clock)`,
      '',
    ].join('\n'),
  );
}

function printDay(r: DayResult): void {
  process.stdout.write(
    [
      `A day on ${r.site} (seed ${r.seed}): ${r.occupied} rooms occupied, ${r.robots} robots starting at ${r.startChargePct.join(', ')} %`,
      ...r.services.map((s) => `  ${s.started}–${s.ended}  ${s.name.padEnd(16)} ${s.rooms} rooms: ${s.delivered} delivered, ${s.notCollected} not collected, ${s.failed} failed`),
      `  delivered        ${r.delivered} of ${r.trays} trays (${r.notCollected} not collected, ${r.failed} failed)`,
      `  late medicine    ${r.lateMedicine.count} of ${r.medicine} (${r.lateMedicine.minutes} min in all; ${r.urgent} urgent)`,
      `  below reserve    ${r.belowReserve} robots (lowest charge ${r.lowestChargePct} %, ${r.chargingH} h charging)`,
      `  deadlocks        ${r.deadlocks}`,
      ...(r.headOn !== undefined ? [`  head-on          ${r.headOn}`] : []),
      `  queue wait       ${Math.round(r.queueWaitS.total / 60)} min (lifts ${Math.round(r.queueWaitS.lift / 60)}, held ${Math.round(r.queueWaitS.held / 60)})`,
      `  ETA error        at round start mean ${r.etaError.atStart.meanS} s, p90 ${r.etaError.atStart.p90S} s; at loading mean ${r.etaError.atLoad.meanS} s, p90 ${r.etaError.atLoad.p90S} s`,
      `  wall time        ${(r.wallMs / 1000).toFixed(1)} s (${r.clock} clock, ${r.simH} h simulated)`,
      '',
    ].join('\n'),
  );
}

async function runDrones(): Promise<void> {
  const zonesFile = values.zones ?? `sites/${values.site === 'hotel' ? 'park' : values.site}/zones.geojson`;
  if (!existsSync(zonesFile)) {
    process.stderr.write(`no zones file ${zonesFile}\n`);
    process.exit(2);
  }
  let sitl: { binary: string } | undefined;
  if (values.sitl !== undefined) {
    const found = sitlBinaryFromEnv();
    if (!found.ok) {
      process.stderr.write(`--sitl ${found.message}\n`);
      process.exit(1);
    }
    if (values.sag) {
      process.stderr.write('--sag injects a fault into simulated drones only, not into SITL\n');
      process.exit(2);
    }
    sitl = { binary: found.binary };
  }
  const drones = Math.round(positiveNumber(sitl ? 'sitl' : 'drones', values.sitl ?? values.drones ?? '4'));
  // SITL follows its speed-up faithfully up to about 20; the simulated drones run at 500.
  const defaultSpeed = sitl ? '10' : values.drones ? '500' : values.speed;
  let line = '';
  const result: DroneScenarioResult = await runDroneScenario({
    zonesFile,
    drones,
    ...(sitl ? { sitl, wallLimitMs: 1_800_000 } : {}),
    speed: positiveNumber('speed', values.speed === '200' ? defaultSpeed : values.speed),
    seed: seedOf(values.seed),
    clock,
    onNote: note,
    mqttUrl: process.env.MQTT_URL,
    // Checked: `Number('abc')` flew the mission in a NaN wind, and `--wind -5` in a negative one.
    // 30 m/s is a storm, five times the speed the drones are called back at.
    ...(values.wind !== undefined ? { wind: { speedMps: numberWithin('wind', values.wind, 0, 30) } } : {}),
    ...(values.sag ? { faults: [{ kind: 'batterySag' as const, drone: 1, atS: 1200, pct: 15 }] } : {}),
    onProgress: (p) => {
      const next = `spray ${p.status}: coverage ${p.coveragePct.toFixed(1)} %  flights ${p.sorties}  refills ${p.refills}  sim ${Math.round(p.simS)} s`;
      if (next !== line) process.stderr.write(process.stderr.isTTY ? `\r${next}` : `${next}\n`);
      line = next;
    },
  }).catch((error: Error) => {
    process.stderr.write(`\nscenario failed: ${error.message}\n`);
    process.exit(1);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      [
        `Spray mission on ${result.zones}: ${result.areaHa} ha, ${result.drones} drones (${result.status}${result.status !== 'done' && result.windHold ? ': held on the pads for wind' : ''})`,
        `  coverage   ${result.coveragePct} % (overspray ${result.oversprayPct} %), from telemetry`,
        `  makespan   ${(result.makespanS / 3600).toFixed(2)} h simulated (planned ${(result.plannedMakespanS / 3600).toFixed(2)} h)`,
        `  flights    ${result.sorties} (planned sorties ${result.plannedSorties}), refills ${result.refills}, swaps ${result.swaps}, alerts ${result.alerts}`,
        `  wall time  ${(result.wallMs / 1000).toFixed(1)} s`,
        '',
      ].join('\n'),
    );
}
