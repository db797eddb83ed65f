import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRobotScenario } from '../../sim/scenario.js';
import { importRmfBuilding, rmfZonesSchema, type RmfImportOptions } from './rmf-import.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Imports a shared drawing into a site file and runs a lunch round to every place on it. */
async function roundOn(map: string, options: RmfImportOptions) {
  const result = importRmfBuilding(readFileSync(path.join(ROOT, 'test-data/rmf-maps', `${map}.building.yaml`), 'utf8'), options);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-rmf-')), `${map}.json`);
  writeFileSync(file, JSON.stringify(result.site));
  const places = result.site.nodes.filter((n) => n.kind === 'room').length;
  return { places, result: await runRobotScenario({ site: file, robots: 2, rooms: places, speed: 100, seed: 3, mqttUrl: process.env.MQTT_URL }) };
}

describe('a lunch round on buildings drawn in the traffic editor', () => {
  it('serves every place of the imported hotel, on three floors by two lifts', async () => {
    const { places, result } = await roundOn('hotel', { loading: 'lobby' });
    expect(result.failed).toBe(0);
    expect(result.delivered + result.notCollected).toBe(places);
    // The drawn doors on its lanes are opened for the robots as they pass.
    expect(result.doorsOnTheWay).toBeGreaterThan(0);
  }, 120_000);

  it('serves every place of the imported clinic', async () => {
    const zones = rmfZonesSchema.parse(JSON.parse(readFileSync(path.join(ROOT, 'sites/rmf/clinic.zones.json'), 'utf8')));
    const { places, result } = await roundOn('clinic', { loading: 'L1_left_nurse_center', zones });
    expect(result.failed).toBe(0);
    expect(result.delivered + result.notCollected).toBe(places);
    // The negative-pressure and treatment rooms are behind doors: each visit opens them in and out.
    expect(result.doorsOnTheWay).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
