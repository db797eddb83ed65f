import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const importRmf = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'controller/site/import-rmf-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run import-rmf on the command line', () => {
  it('prints its usage for --help, exit 0, reading no file', () => {
    const help = importRmf('--help');
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^usage: import-rmf FILE\.building\.yaml --loading NAME/);
  }, 60_000);

  it('refuses an unknown flag with one line naming it and the usage, exit 1', () => {
    const bad = importRmf('x.building.yaml', '--loading', 'L1', '--no-such-flag');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^import-rmf: Unknown option '--no-such-flag'[^\n]*\nimport-rmf: usage: /);
  }, 60_000);
});
