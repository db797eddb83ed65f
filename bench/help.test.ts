import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = (file: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('bench:day flags', () => {
  it('refuses an empty seed instead of running seed 0', () => {
    for (const seeds of ['', '1,,2']) {
      const day = bench('bench/day.ts', '--seeds', seeds);
      expect([day.status, day.stderr.trim()]).toEqual([1, `bench:day: --seeds must be whole numbers separated by commas, got ${seeds}`.trim()]);
    }
  }, 150_000);
});

describe('bench:fuzz flags', () => {
  it('refuses a count or seed that is no whole number, naming the flag, instead of fuzzing on NaN', () => {
    for (const [flag, value] of [
      ['--seed', 'zz'],
      ['--http-per-route', '0'],
      ['--mqtt-per-topic', '1.5'],
    ] as const) {
      const fuzz = bench('bench/fuzz.ts', flag, value);
      expect([fuzz.status, fuzz.stderr.trim()]).toEqual([2, `bench:fuzz: ${flag} must be a whole number, ${flag === '--seed' ? 0 : 1} or more, got ${value}`]);
    }
  }, 200_000);
});

/** Every command-line tool among package.json's scripts (`tsx FILE`): the simulator's, the planners' and the benchmarks'. */
const CLIS = Object.entries(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>).flatMap(([name, command]) => {
  const file = /(?:^|&& )tsx (\S+\.ts)$/.exec(command)?.[1];
  return /^(scenario|vrp|traffic|plan-|bench:)/.test(name) && file ? [[name, file] as const] : [];
});

describe('every CLI of the simulator, the planners and the benchmarks', () => {
  it('covers each of them', () => {
    expect(CLIS.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining(['scenario', 'vrp', 'traffic', 'plan-spray', 'plan-broadcast', 'bench:round', 'bench:traffic', 'bench:dashboard', 'bench:sitl', 'bench:day']),
    );
    expect(CLIS).toHaveLength(17);
  });

  // One at a time: each starts tsx and loads its tool (seconds on a busy machine), so one process
  // per tool; the flags themselves are read by one helper (common/cli-args.test.ts).
  it.each(CLIS)(
    '%s prints its usage for --help and exits 0, running nothing',
    (name, file) => {
      const help = bench(file, '--help');
      expect([help.status, help.stderr]).toEqual([0, '']);
      expect(help.stdout).toMatch(new RegExp(`^usage: (npm run (-s )?)?${name}[ \\n]`));
    },
    120_000,
  );

  // The tools that once answered a flag of their own or a bad one otherwise (a stack trace, or "unknown option" and a run).
  it.each(CLIS.filter(([name]) => ['plan-spray', 'plan-broadcast', 'bench:traffic', 'bench:dispatch', 'scenario'].includes(name)))(
    '%s: an unknown flag is one line naming it, exit 2',
    (name, file) => {
      const bad = bench(file, '--no-such-flag');
      // Tools that take a file add parseArgs's hint on how to give one starting with '-', on the same line.
      expect([bad.status, bad.stdout, bad.stderr.split('\n').length, bad.stderr]).toEqual([2, '', 2, expect.stringMatching(new RegExp(`^${name}: Unknown option '--no-such-flag'`))]);
    },
    120_000,
  );
});
