import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = (file: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('bench:day, bench:ingest, bench:dispatch and vrp flags', () => {
  it('print their usage for --help, exit 0, running nothing', () => {
    const day = bench('bench/day.ts', '--help');
    expect([day.status, day.stderr]).toEqual([0, '']);
    expect(day.stdout).toMatch(/^usage: npm run bench:day -- \[--seeds 1,2,3\]\n/);
    const ingest = bench('bench/ingest.ts', '--help');
    expect([ingest.status, ingest.stderr]).toEqual([0, '']);
    expect(ingest.stdout).toMatch(/^usage: npm run bench:ingest -- \[--n 100,300,1000,3000\] \[--seconds 15\] \[--threads 2\] \[--profile\]\n/);
  }, 150_000); // processes starting tsx one after the other: a minute on a busy machine

  it('bench:dispatch and vrp print their usage for --help, exit 0; a bad flag is one line, exit 1 or 2', () => {
    const dispatch = bench('bench/dispatch.ts', '--help');
    expect([dispatch.status, dispatch.stderr]).toEqual([0, '']);
    expect(dispatch.stdout).toMatch(/^usage: npm run bench:dispatch -- \[--seeds 1,2\] \[--only REGEX\]/);
    const unknown = bench('bench/dispatch.ts', '--seed', '1');
    expect([unknown.status, unknown.stderr.split('\n').length, unknown.stderr]).toEqual([2, 2, expect.stringMatching(/^bench:dispatch: Unknown option '--seed'/)]);
    const vrp = bench('controller/dispatch/cli.ts', '--help');
    expect([vrp.status, vrp.stderr, vrp.stdout]).toEqual([0, '', expect.stringMatching(/^usage: npm run -s vrp -- FILE \[--time-limit-ms N\] \[--seed S\] \[--vehicles N\]\n/)]);
  }, 150_000);

  it('refuses an empty seed instead of running seed 0', () => {
    for (const seeds of ['', '1,,2']) {
      const day = bench('bench/day.ts', '--seeds', seeds);
      expect([day.status, day.stderr.trim()]).toEqual([1, `bench:day: --seeds must be whole numbers separated by commas, got ${seeds}`.trim()]);
    }
  }, 150_000);
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

  // One at a time: each starts tsx and loads its tool (seconds on a busy machine).
  it.each(CLIS)(
    '%s prints its usage for --help and exits 0; an unknown flag is one line naming it, exit 2; neither runs anything',
    (name, file) => {
      const help = bench(file, '--help');
      expect([help.status, help.stderr]).toEqual([0, '']);
      expect(help.stdout).toMatch(/^usage: /);
      const bad = bench(file, '--no-such-flag');
      // Tools that take a file add parseArgs's hint on how to give one starting with '-', on the same line.
      expect([bad.status, bad.stdout, bad.stderr.split('\n').length, bad.stderr]).toEqual([2, '', 2, expect.stringMatching(new RegExp(`^${name}: Unknown option '--no-such-flag'`))]);
    },
    120_000,
  );
});
