import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = (file: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('bench:day and bench:ingest flags', () => {
  it('print their usage for --help, exit 0, running nothing', () => {
    const day = bench('bench/day.ts', '--help');
    expect([day.status, day.stderr]).toEqual([0, '']);
    expect(day.stdout).toMatch(/^usage: npm run bench:day -- \[--seeds 1,2,3\]\n/);
    const ingest = bench('bench/ingest.ts', '--help');
    expect([ingest.status, ingest.stderr]).toEqual([0, '']);
    expect(ingest.stdout).toMatch(/^usage: npm run bench:ingest -- \[--n 100,300,1000,3000\] \[--seconds 15\] \[--threads 2\] \[--profile\]\n/);
  }, 60_000);

  it('refuses an empty seed instead of running seed 0', () => {
    for (const seeds of ['', '1,,2']) {
      const day = bench('bench/day.ts', '--seeds', seeds);
      expect([day.status, day.stderr.trim()]).toEqual([1, `bench:day: --seeds must be whole numbers separated by commas, got ${seeds}`.trim()]);
    }
  }, 60_000);
});
