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

describe('vrp CLI', () => {
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

  it('names the line of a bad file and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vrp-'));
    const file = join(dir, 'bad.vrp');
    writeFileSync(file, 'NAME : x\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0 0\n2 a 1\n');
    const r = spawnSync(tsx, [cli, file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:7:`);
  });
});
