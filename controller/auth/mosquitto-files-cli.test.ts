import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'controller/auth/mosquitto-files-cli.ts', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ISOFLEET_SITE_ID: '' } });

describe('npm run mosquitto-files', () => {
  it('answers a flag without its value, or an unknown flag, with one line and the usage, exit 2', () => {
    for (const [args, why] of [
      [['--site', '--out', '/tmp/x'], "Option '--site' argument is ambiguous"],
      [['--out', '/tmp/x', '--sites', 'a'], "Unknown option '--sites'"],
    ] as const) {
      const run = cli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toContain(`mosquitto-files: ${why}`);
      expect(run.stderr).toContain('usage: npm run mosquitto-files -- --out DIR');
      expect(run.stderr).not.toContain('    at ');
    }
  }, 60_000);
});
