import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBroadcast, type BroadcastPlan } from '../../controller/broadcast/index.js';
import { RUSH_HOUR, runCheckpoint } from './checkpoint.js';
import { runCheckpointScenario } from './scenario.js';

const ROAD = path.resolve(import.meta.dirname, '../../sites/broadcast/checkpoint.geojson');
const plan = ((): BroadcastPlan => {
  const r = planBroadcast(JSON.parse(readFileSync(ROAD, 'utf8')), { side: 'left', heightM: 15, offsetM: 20, messageS: 16 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
})();

describe('a checkpoint with and without the broadcast drone', () => {
  it('serves more cars an hour at a rush when drivers act on the message, and exactly as many when none does', () => {
    const withDrone = runCheckpoint(RUSH_HOUR, plan, 1);
    const without = runCheckpoint(RUSH_HOUR, undefined, 1);
    expect(withDrone.hovers).toBeGreaterThan(0);
    expect(withDrone.declaredAtBoothShare).toBeGreaterThan(without.declaredAtBoothShare + 0.3);
    expect(withDrone.carsPerHour).toBeGreaterThan(1.5 * without.carsPerHour);
    expect(withDrone.meanWaitS).toBeLessThan(without.meanWaitS);
    // Nobody acts on it: the same drivers, the same arrivals, the same checkpoint.
    const ignored = runCheckpoint({ ...RUSH_HOUR, declareChance: 0 }, plan, 1);
    expect({ ...ignored, hovers: 0 }).toEqual(without);
  });

  it('changes no throughput when the booths keep up, and loses no car', () => {
    const light = { ...RUSH_HOUR, arrivalsPerHour: 30, initialQueueM: 0 };
    const withDrone = runCheckpoint(light, plan, 2);
    const without = runCheckpoint(light, undefined, 2);
    expect(withDrone.carsPerHour).toBe(without.carsPerHour);
    expect(withDrone.queuedAtEnd).toBe(0);
    // Every car that came is served or still queued.
    const rush = runCheckpoint(RUSH_HOUR, plan, 3);
    const rushWithout = runCheckpoint(RUSH_HOUR, undefined, 3);
    expect(rush.served + rush.queuedAtEnd).toBe(rushWithout.served + rushWithout.queuedAtEnd);
  });

  it('prints the scenario figures from the planned road', () => {
    const r = runCheckpointScenario(ROAD, RUSH_HOUR, 1);
    expect(r.stops).toBe(plan.stops.length);
    expect(r.gain).toBeCloseTo(r.carsPerHourWith / r.carsPerHourWithout, 1);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['carsPerHourWith', 'carsPerHourWithout', 'meanWaitWithS', 'meanWaitWithoutS']));
  });
});
