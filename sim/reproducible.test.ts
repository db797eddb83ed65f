import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runDroneScenario, type DroneScenarioOptions } from './drone/index.js';
import { runRobotScenario, type RobotScenarioOptions } from './scenario.js';

/**
 * Same seed, same result: scenarios on the virtual clock give the same figures twice, once with
 * a thread spinning on another core the whole time (a loaded machine), and other figures for
 * another seed. Real time (`wallMs`, `firstOrderMs`) is all that may differ.
 */

/** A thread that keeps a core busy until terminated. */
function busyThread(): Worker {
  return new Worker('for (;;) {}', { eval: true });
}

async function loaded<T>(run: () => Promise<T>): Promise<T> {
  const busy = [busyThread(), busyThread()];
  try {
    return await run();
  } finally {
    await Promise.all(busy.map((w) => w.terminate()));
  }
}

/** A result without its real-time figures. */
function simulated(result: { wallMs: number; firstOrderMs?: number }): Record<string, unknown> {
  const { wallMs: _wall, firstOrderMs: _first, ...figures } = result;
  return figures;
}

/** What a run came to, without the seed it was asked for. */
function outcome(result: { wallMs: number; firstOrderMs?: number; seed: number }): Record<string, unknown> {
  const { seed: _seed, ...figures } = simulated(result);
  return figures;
}

describe('scenarios on the virtual clock (no MQTT_URL: the clock must see the broker)', () => {
  const mqttUrl = undefined;

  it('lunch round: the same seed gives the same result, also on a loaded machine; another seed another', async () => {
    const options: RobotScenarioOptions = { site: 'hotel', robots: 3, rooms: 14, speed: 1, seed: 4, mqttUrl, wallLimitMs: 120_000 };
    const first = await runRobotScenario(options);
    const second = await loaded(() => runRobotScenario(options));
    expect(first.clock).toBe('virtual');
    expect(first.delivered + first.notCollected).toBe(14);
    expect(simulated(second)).toEqual(simulated(first));
    const other = await runRobotScenario({ ...options, seed: 5 });
    expect([other.makespanS, other.meanDeliveryS]).not.toEqual([first.makespanS, first.meanDeliveryS]);
  }, 240_000);

  it('lunch round dispatched by floor, with a medic sending each trip: the same twice', async () => {
    const options: RobotScenarioOptions = { site: 'hotel', robots: 3, rooms: 12, speed: 1, seed: 7, mqttUrl, dispatch: 'by-floor', wallLimitMs: 120_000 };
    const first = await loaded(() => runRobotScenario(options));
    const second = await runRobotScenario(options);
    expect(first.trips).toBe(3);
    expect(simulated(second)).toEqual(simulated(first));
  }, 240_000);

  it('spray mission: the same seed gives the same result, also on a loaded machine; another seed another', async () => {
    const options: DroneScenarioOptions = { zonesFile: 'sites/zones/l-shape.geojson', drones: 2, speed: 1, seed: 1, mqttUrl, wallLimitMs: 120_000 };
    const first = await runDroneScenario(options);
    const second = await loaded(() => runDroneScenario(options));
    expect(first.status).toBe('done');
    expect(simulated(second)).toEqual(simulated(first));
    // The seed draws the gusts: the drones drift differently, the timing may stay the same.
    const other = await runDroneScenario({ ...options, seed: 2 });
    expect(other.status).toBe('done');
    expect(outcome(other)).not.toEqual(outcome(first));
  }, 240_000);

  it('park mission (60 ha, 4 drones): the same twice, also on a loaded machine', async () => {
    const options: DroneScenarioOptions = { zonesFile: 'sites/park/zones.geojson', drones: 4, speed: 1, seed: 1, mqttUrl, wallLimitMs: 600_000 };
    const first = await runDroneScenario(options);
    const second = await loaded(() => runDroneScenario(options));
    expect(first.status).toBe('done');
    expect(first.coveragePct).toBeGreaterThanOrEqual(99);
    expect(simulated(second)).toEqual(simulated(first));
  }, 1_200_000);

  it('chaos run (battery sag, pump failure, a radio drop, a drone that never comes back): the same twice, also on a loaded machine', async () => {
    const options: DroneScenarioOptions = {
      zonesFile: 'sites/zones/l-shape.geojson',
      drones: 3,
      speed: 1,
      seed: 3,
      mqttUrl,
      wallLimitMs: 120_000,
      faults: [
        { kind: 'batterySag', drone: 1, atS: 200, pct: 35 },
        { kind: 'pumpFailure', drone: 2, atS: 300 },
        { kind: 'linkLoss', drone: 1, atS: 500, durationS: 20 },
        { kind: 'noReturn', drone: 3, atS: 400 },
      ],
    };
    const first = await runDroneScenario(options);
    const second = await loaded(() => runDroneScenario(options));
    // The lost drone and the failed pump raise alerts; the others finish the zone.
    expect(first.status).toBe('done');
    expect(first.alerts).toBeGreaterThan(0);
    expect(simulated(second)).toEqual(simulated(first));
  }, 240_000);
});
