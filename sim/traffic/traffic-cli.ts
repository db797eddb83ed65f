/**
 * `npm run -s traffic -- --map FILE.map --scen FILE.scen --robots N [--seed S] [--delay P]
 * [--improve R] [--json]`: the controller's traffic rules over the simulator on a MovingAI grid
 * (see README "Planners"). Every free cell is a place and every move between free
 * cells a single-width way; the first N errands of the scenario are planned (`controller/traffic/
 * plan.ts`) and driven, each robot released into a cell when the robot before it there is past
 * (`schedule.ts`). `--delay P` drives the plan a second time, each move slowed with chance P
 * by up to its own length again (`delayed` in the JSON). `--improve R`: rounds of large
 * neighbourhood search after the first plan (default 500). `--rule live` drives the rule the
 * controller applies to live trips instead (way reservations, each robot on its shortest way
 * alone: `traffic-live-rule.ts`), `--rule both` prints both (`{"planned":…,"live":…}`).
 * Prints a summary, or with `--json` one line:
 * `{"arrived","deadlocks","headOn","sumOfCosts","lowerBound","ms",…}`. Exit 1 with one line for
 * a bad value or file, naming the flag or the file's line; exit 2 for an unknown flag.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseCliArgs } from '../../common/cli-args.js';
import { GridFileError, parseMap, parseScenario } from './movingai.js';
import { runLiveRule } from './traffic-live-rule.js';
import { runTraffic, type TrafficRunResult } from './traffic-run.js';

/** A flag's number: its text given, a number, in range; each problem named in words. */
const count = (min: number, max: number, whole = true) =>
  z
    .string({ error: 'is required' })
    .refine((v) => v.trim() !== '' && Number.isFinite(Number(v)), 'must be a number')
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((n) => !whole || Number.isInteger(n), 'must be a whole number')
        .refine((n) => n >= min && n <= max, `must be ${min} to ${max}`),
    );

const flags = z.object({
  map: z.string({ error: 'is required (a MovingAI .map file)' }),
  scen: z.string({ error: 'is required (a MovingAI .scen file)' }),
  robots: count(1, 1000),
  seed: count(0, 2 ** 31 - 1).default(1),
  delay: count(0, 1, false).default(0),
  improve: count(0, 100_000).default(500),
  json: z.boolean().default(false),
  rule: z.enum(['planned', 'live', 'both'], { error: 'must be planned, live or both' }).default('planned'),
});

const USAGE = 'usage: npm run -s traffic -- --map FILE.map --scen FILE.scen --robots N [--seed S] [--delay P] [--improve R] [--rule planned|live|both] [--json]\n';

/** Larger than any MovingAI file (the largest maps are about 1 MB); also keeps out devices that never end. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function read(file: string): string {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new GridFileError(`cannot read ${file}: not a file`);
    if (stat.size > MAX_FILE_BYTES) throw new GridFileError(`cannot read ${file}: ${stat.size} bytes, more than a MovingAI file has`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof GridFileError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new GridFileError(e.code === 'ENOENT' ? `cannot read ${file}: no such file` : `cannot read ${file}: ${e.message}`);
  }
}

function main(argv: string[]): number {
  const { values } = parseCliArgs('traffic', USAGE, {
    args: argv,
    options: {
      map: { type: 'string' },
      scen: { type: 'string' },
      robots: { type: 'string' },
      seed: { type: 'string' },
      delay: { type: 'string' },
      improve: { type: 'string' },
      json: { type: 'boolean' },
      rule: { type: 'string' },
    },
  });
  const parsed = flags.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`traffic: --${issue.path.join('.')} ${issue.message}\n`);
    process.stderr.write(USAGE);
    return 1;
  }
  const f = parsed.data;
  try {
    const map = parseMap(read(f.map), f.map);
    const errands = parseScenario(read(f.scen), map, f.robots, f.scen, path.basename(f.map));
    const results: [string, TrafficRunResult][] = [];
    if (f.rule !== 'live') results.push(['planned', runTraffic(map, errands, { seed: f.seed, delayChance: f.delay, improve: f.improve })]);
    if (f.rule !== 'planned') results.push(['live', runLiveRule(map, errands, { seed: f.seed, delayChance: f.delay })]);
    if (f.json) process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0]![1] : Object.fromEntries(results))}\n`);
    for (const [rule, r] of f.json ? [] : results) {
      if (results.length > 1) process.stdout.write(`${rule} rules:\n`);
      if (r.unplanned) process.stdout.write(`no plan for ${r.robots} robots: ${r.unplanned}\n`);
      else {
        process.stdout.write(
          `${r.arrived} of ${r.robots} robots arrived, ${r.deadlocks} deadlocks, ${r.headOn} head-on, ${r.meetings} meetings\n` +
            `sum of costs ${r.sumOfCosts} s against ${r.lowerBound} s alone (${r.lowerBound > 0 ? `${(r.sumOfCosts / r.lowerBound).toFixed(3)}×` : 'every robot starts at its goal'}), makespan ${r.makespan} s, ` +
            `waiting ${r.waitS} s, planned in ${r.ms} ms\n` +
            (r.delayed
              ? `with delays: ${r.delayed.arrived} arrived, ${r.delayed.deadlocks} deadlocks, ${r.delayed.headOn} head-on, ${r.delayed.meetings} meetings, sum of costs ${r.delayed.sumOfCosts} s\n`
              : ''),
        );
      }
    }
    return results.every(([, r]) => r.arrived === r.robots) ? 0 : 2;
  } catch (error) {
    if (!(error instanceof GridFileError)) throw error;
    process.stderr.write(`traffic: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
