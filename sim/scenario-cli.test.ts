import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function scenario(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'sim/scenario-cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('npm run scenario', () => {
  it('refuses a flag the day does not take instead of ignoring it', () => {
    const run = scenario('--day', '--rooms', '10', '--by-floor', '--json');
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', '--day takes --site, --robots, --seed, --clock, --speed and --json, not --rooms, --by-floor\n']);
  }, 60_000);

  it('refuses a wind that is no number from 0 to 30 m/s, naming the flag, instead of flying in it', () => {
    for (const wind of ['abc', '-5']) {
      const run = scenario('--drones', '1', '--wind', wind, '--json');
      expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `--wind must be a number from 0 to 30, got ${wind}\n`]);
    }
  }, 120_000);
});
