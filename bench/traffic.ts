/**
 * `npm run bench:traffic [-- --scens 5 --robots 10,20,40 --improve 500]`: the controller's
 * traffic rules over the simulator on the MovingAI grids in `../shared/data/mapf/` (every free
 * cell a place, every move a single-width way), the first N errands of each of the first
 * `--scens` "even" scenarios per map, driven twice: at nominal speed, and with each move slowed
 * with chance 0.3 by up to its own length again. Sum of costs against each robot's shortest way
 * alone (a lower bound). Progress on stderr, the table on stdout. `--maps DIR` reads the maps from
 * elsewhere (each in `DIR/NAME/NAME.map` with its scenarios, as movingai.com/benchmarks/mapf
 * ships them). `--help` prints the usage; an unknown flag is one line on stderr and exit 2, a bad
 * value or a missing folder one line and exit 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliFail, parseCliArgs } from '../common/cli-args.js';
import { parseMap, parseScenario } from '../sim/traffic/movingai.js';
import { runTraffic, type TrafficRunResult } from '../sim/traffic/traffic-run.js';
import type { DriveResult } from '../sim/traffic/traffic-world.js';

const MAPS = ['empty-32-32', 'room-32-32-4'];
const fail = (message: string): never => cliFail('bench:traffic', message, 1);
const { values } = parseCliArgs(
  'bench:traffic',
  'usage: npm run bench:traffic -- [--scens 5] [--robots 10,20,40] [--improve 500] [--maps DIR]\n' +
    `The traffic rules over the simulator on the MovingAI maps ${MAPS.join(' and ')} (in --maps DIR, default ../shared/data/mapf): the first --robots errands of the first --scens "even" scenarios of each map, at nominal speed and with moves slowed at random; sum of costs against a lower bound. --improve: rounds of large neighbourhood search.\n`,
  {
    options: {
      scens: { type: 'string', default: '5' },
      robots: { type: 'string', default: '10,20,40' },
      improve: { type: 'string', default: '500' },
      maps: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/mapf') },
    },
  },
);
const scenCount = Number(values.scens);
const robotCounts = values.robots.split(',').map(Number);
const improve = Number(values.improve);
if (!Number.isInteger(scenCount) || scenCount < 1 || scenCount > 25) fail(`--scens must be 1 to 25, got ${values.scens}`);
if (robotCounts.some((n) => !Number.isInteger(n) || n < 1)) fail(`--robots must be whole numbers separated by commas, got ${values.robots}`);

const root = path.resolve(values.maps);
const missing = MAPS.filter((name) => !existsSync(path.join(root, name, `${name}.map`)));
if (missing.length)
  fail(
    `needs the MovingAI maps ${MAPS.join(' and ')} with their scenarios (movingai.com/benchmarks/mapf) in ${root}; ${missing.join(', ')} missing there: give their folder with --maps DIR`,
  );

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (rs: DriveResult[], key: 'arrived' | 'deadlocks' | 'headOn' | 'meetings' | 'longWaits') => rs.reduce((a, r) => a + r[key], 0);

const rows: string[][] = [];
for (const name of MAPS) {
  const map = parseMap(readFileSync(path.join(root, name, `${name}.map`), 'utf8'), `${name}.map`);
  for (const robots of robotCounts) {
    const nominal: TrafficRunResult[] = [];
    const delayed: DriveResult[] = [];
    for (let scen = 1; scen <= scenCount; scen++) {
      const file = `${name}-even-${scen}.scen`;
      const errands = parseScenario(readFileSync(path.join(root, name, file), 'utf8'), map, robots, file, `${name}.map`);
      const r = runTraffic(map, errands, { improve, delayChance: 0.3 });
      nominal.push(r);
      if (r.delayed) delayed.push(r.delayed);
      process.stderr.write(`\r${name} ${robots} robots: scenario ${scen} of ${scenCount}   `);
    }
    const planned = nominal.filter((r) => !r.unplanned);
    const ratio = (r: TrafficRunResult) => r.sumOfCosts / r.lowerBound;
    const slowRatios = planned.map((r) => r.delayed!.sumOfCosts / r.lowerBound);
    rows.push([
      name,
      String(robots),
      String(scenCount),
      `${sum(nominal, 'arrived')} / ${robots * scenCount}`,
      String(sum(nominal, 'deadlocks') + sum(delayed, 'deadlocks')),
      String(sum(nominal, 'headOn') + sum(delayed, 'headOn')),
      String(sum(nominal, 'meetings') + sum(delayed, 'meetings')),
      planned.length ? mean(planned.map(ratio)).toFixed(3) : '–',
      planned.length ? Math.max(...planned.map(ratio)).toFixed(3) : '–',
      slowRatios.length ? mean(slowRatios).toFixed(3) : '–',
      `${sum(delayed, 'arrived')} / ${robots * scenCount}`,
      String(Math.round(mean(nominal.map((r) => r.ms)))),
      String(Math.max(...nominal.map((r) => r.ms))),
    ]);
  }
}
process.stderr.write('\n');
const head = ['map', 'robots', 'scenarios', 'arrived', 'deadlocks', 'head-on', 'meetings', 'SoC ÷ LB mean', 'max', 'delayed: SoC ÷ LB', 'delayed: arrived', 'plan ms mean', 'max'];
const table = [head, head.map(() => '---'), ...rows];
process.stdout.write(`${table.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
process.stdout.write(
  `\nSoC: each robot's arrival at its goal, summed (cells 1 m apart at 1 m/s); LB: each robot's shortest way alone, summed. ` +
    `Deadlocks, head-on and meetings count both runs; the world checks cells itself. Large neighbourhood search: ${improve} rounds.\n`,
);
