import { spawnSync } from 'node:child_process';
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
  }, 60_000);

  it('bench:dispatch and vrp print their usage for --help, exit 0; a bad flag is one line, exit 1 or 2', () => {
    const dispatch = bench('bench/dispatch.ts', '--help');
    expect([dispatch.status, dispatch.stderr]).toEqual([0, '']);
    expect(dispatch.stdout).toMatch(/^usage: npm run bench:dispatch -- \[--seeds 1,2\] \[--only REGEX\]/);
    const unknown = bench('bench/dispatch.ts', '--seed', '1');
    expect([unknown.status, unknown.stderr.split('\n').length, unknown.stderr]).toEqual([1, 2, expect.stringMatching(/^bench:dispatch: Unknown option '--seed'/)]);
    const vrp = bench('controller/dispatch/cli.ts', '--help');
    expect([vrp.status, vrp.stderr, vrp.stdout]).toEqual([0, '', expect.stringMatching(/^usage: npm run -s vrp -- FILE \[--time-limit-ms N\] \[--seed S\] \[--vehicles N\]\n/)]);
  }, 60_000);

  it('refuses an empty seed instead of running seed 0', () => {
    for (const seeds of ['', '1,,2']) {
      const day = bench('bench/day.ts', '--seeds', seeds);
      expect([day.status, day.stderr.trim()]).toEqual([1, `bench:day: --seeds must be whole numbers separated by commas, got ${seeds}`.trim()]);
    }
  }, 60_000);
});
