import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer } from './check.js';
import { parseInstance } from './instance.js';

const root = resolve(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const cli = join(root, 'controller', 'dispatch', 'cli.ts');

// Each test starts tsx processes, one after the other: tens of seconds on a busy machine.
describe('vrp CLI', { timeout: 120_000 }, () => {
  it('prints one JSON line whose routes the checker accepts at the printed cost', () => {
    const file = resolve(root, 'test-data', 'solomon', 'R101.txt');
    const out = execFileSync(tsx, [cli, file, '--time-limit-ms', '200', '--seed', '2'], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!) as { instance: string; cost: number; routes: number[][]; ms: number };
    expect(json.instance).toBe('R101');
    const parsed = parseInstance(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error('parse');
    const report = checkAnswer(parsed.instance, json.routes);
    expect(report.errors).toEqual([]);
    expect(json.cost).toBeCloseTo(report.cost, 6);
    expect(json.ms).toBeGreaterThanOrEqual(0);
  });

  it("keeps to the file's trucks, or to --vehicles, and reports the routes used", () => {
    const file = resolve(root, 'test-data', 'cvrplib', 'A-n32-k5.vrp');
    const run = (...extra: string[]) =>
      JSON.parse(execFileSync(tsx, [cli, file, '--time-limit-ms', '300', ...extra], { encoding: 'utf8' })) as {
        routes: number[][];
        vehicles: number;
        vehicleLimit: number | null;
        cost: number;
      };
    const parsed = parseInstance(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error('parse');
    for (const [json, limit] of [
      [run(), 5],
      [run('--vehicles', '6'), 6],
    ] as const) {
      expect(json.vehicleLimit).toBe(limit);
      expect(json.vehicles).toBe(json.routes.length);
      const report = checkAnswer({ ...parsed.instance, vehicleLimit: limit }, json.routes);
      expect(report.errors).toEqual([]);
    }
    const bad = spawnSync(tsx, [cli, file, '--vehicles', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--vehicles needs a positive integer/);
  });

  it('names the line of a bad file and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrp-'));
    const file = join(dir, 'bad.vrp');
    writeFileSync(file, 'NAME : x\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0 0\n2 a 1\n');
    const r = spawnSync(tsx, [cli, file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:7:`);
  });
});
