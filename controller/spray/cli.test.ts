import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zonesFromMetres } from './test-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'plan-spray-'));
const planSprayCli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'controller/spray/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run plan-spray refusals: exit 1, one line, no stack', () => {
  it('names the zone, the pad and the reach when the pad is too far for any sortie (as POST /api/missions does)', () => {
    const file = path.join(dir, 'far.geojson');
    writeFileSync(
      file,
      JSON.stringify(
        zonesFromMetres({
          spray: [
            [
              [
                [0, 0],
                [10_500, 0],
                [10_500, 100],
                [0, 100],
              ],
            ],
          ],
          geofence: [
            [-20, -20],
            [10_520, -20],
            [10_520, 120],
            [-20, 120],
          ],
          pads: [[5, -10]],
        }),
      ),
    );
    const r = planSprayCli(file);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/far\.geojson: features\.0: spray zone is out of reach: .* 10\.5 km from the nearest pad \(pad1\), and a sortie can reach 1\.9 km/),
    ]);
  }, 60_000);
  it('says which flag is bad, which file is missing or not JSON', () => {
    const notJson = path.join(dir, 'bad.geojson');
    writeFileSync(notJson, '{"type": "Feature');
    for (const [args, line] of [
      [['--drones', 'x', notJson], 'plan-spray: --drones needs a positive number, got x'],
      [[path.join(dir, 'none.geojson')], `plan-spray: cannot read ${path.join(dir, 'none.geojson')}: no such file`],
    ] as const) {
      const r = planSprayCli(...args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(line);
    }
    const r = planSprayCli(notJson);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^plan-spray: .*bad\.geojson is not JSON: [^\n]+$/);
  }, 90_000);
});
