import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/traffic.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run bench:traffic', () => {
  it('says where the maps are missing and how to give them, in one line and no stack', () => {
    const r = bench('--maps', '/nonexistent/mapf');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bench:traffic: needs the MovingAI maps empty-32-32 and room-32-32-4');
    expect(r.stderr).toContain('in /nonexistent/mapf; empty-32-32, room-32-32-4 missing there: give their folder with --maps DIR');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('names a bad flag in one line', () => {
    for (const [args, message, code] of [
      [['--scens', '0'], '--scens must be 1 to 25, got 0', 1],
      [['--robots', '10,x'], '--robots must be whole numbers separated by commas, got 10,x', 1],
      [['--bogus'], "Unknown option '--bogus'", 2],
    ] as const) {
      const r = bench(...args);
      expect(r.status, r.stderr).toBe(code);
      expect(r.stderr.trim()).toBe(`bench:traffic: ${message}`);
    }
  }, 90_000); // three processes, each starting tsx: seconds on a busy machine
});
