import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const bridge = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'firmware-bridge/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run bridge on the command line', () => {
  it('prints its usage for --help, exit 0, connecting to nothing', () => {
    for (const flag of ['--help', '-h']) {
      const help = bridge(flag);
      expect([help.status, help.stderr]).toEqual([0, '']);
      expect(help.stdout).toMatch(/^usage: npm run bridge -- robot --id ID[^\n]*\n {7}npm run bridge -- drone --id ID/);
    }
  }, 60_000);
});
