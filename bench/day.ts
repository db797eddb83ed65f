/**
 * `npm run bench:day [-- --seeds 1,2,3]`: a whole day of service (sim/day/, the same run as
 * `npm run -s scenario -- --day`) for each seed, on the virtual clock: a table of the day's
 * figures per seed, then the day's targets (issue 20), each met or not over every seed. Progress
 * on stderr, the tables on stdout.
 */
import { cliFail, parseCliArgs } from '../common/cli-args.js';
import { runDay, type DayResult } from '../sim/day/day-run.js';

const USAGE =
  'usage: npm run bench:day -- [--seeds 1,2,3]\n' + "A whole simulated day of service on the hotel for each seed (minutes of wall time each), then the day's targets met or not.\n";
const { values } = parseCliArgs('bench:day', USAGE, { options: { seeds: { type: 'string', default: '1,2,3' } } });
// Number('') is 0: an empty item would quietly run seed 0.
const seeds = values.seeds.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) cliFail('bench:day', `--seeds must be whole numbers separated by commas, got ${values.seeds}`, 1);

const results: DayResult[] = [];
for (const seed of seeds) {
  process.stderr.write(`day, seed ${seed}\n`);
  results.push(await runDay({ site: 'hotel', seed, speed: 1, onProgress: (line) => process.stderr.write(`  seed ${seed}  ${line}\n`) }));
}

const minutes = (s: number) => String(Math.round(s / 60));
const head = [
  'seed',
  'start %',
  'trays',
  'delivered',
  'not collected',
  'failed',
  'late medicine (of)',
  'late min',
  'below reserve',
  'lowest %',
  'charging h',
  'head-on',
  'deadlocks',
  'queue wait min (lift / held)',
  'ETA error at round start, mean / p90 s',
  'ETA error at loading, mean / p90 s',
  'sim h',
  'wall s',
];
const rows = results.map((r) => [
  String(r.seed),
  r.startChargePct.map(Math.round).join(' '),
  String(r.trays),
  String(r.delivered),
  String(r.notCollected),
  String(r.failed),
  `${r.lateMedicine.count} (${r.medicine})`,
  String(r.lateMedicine.minutes),
  String(r.belowReserve),
  String(r.lowestChargePct),
  String(r.chargingH),
  String(r.headOn),
  String(r.deadlocks),
  `${minutes(r.queueWaitS.total)} (${minutes(r.queueWaitS.lift)} / ${minutes(r.queueWaitS.held)})`,
  `${r.etaError.atStart.meanS} / ${r.etaError.atStart.p90S}`,
  `${r.etaError.atLoad.meanS} / ${r.etaError.atLoad.p90S}`,
  String(r.simH),
  (r.wallMs / 1000).toFixed(0),
]);
const markdown = (table: string[][]) => `${table.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`;
process.stdout.write(markdown([head, head.map(() => '---'), ...rows]));

/** A target over every seed: met or not met, with the worst figure. */
const target = (name: string, figure: (r: DayResult) => number): string[] => {
  const worst = Math.max(...results.map(figure));
  return [name, worst === 0 ? 'met' : 'not met', String(worst)];
};
process.stdout.write(
  `\n${markdown([
    ['target (every seed)', 'verdict', 'worst seed'],
    ['---', '---', '---'],
    target('0 robots below the reserve', (r) => r.belowReserve),
    target('0 head-on meetings', (r) => r.headOn),
    target('0 deadlocks', (r) => r.deadlocks),
    target('no failed room', (r) => r.failed),
    target('medicine within its deadline (late trays)', (r) => r.lateMedicine.count),
  ])}`,
);
process.stdout.write(
  `\nThe hotel (192 rooms, 5 chargers), 150 rooms occupied, 5 robots; breakfast, lunch and dinner to every occupied room, medicine rounds of 30 due 90 min after their start, 3–5 urgent medicines due 45 min after the call. ` +
    `Queue wait: robots on an order standing at a lift (landing queue and ride) or held short of a way another robot holds. ` +
    `Wall time ${(results.reduce((a, r) => a + r.wallMs, 0) / 1000).toFixed(0)} s in all.\n`,
);
