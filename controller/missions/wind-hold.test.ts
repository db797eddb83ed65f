import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import type { CreateMissionBody } from '../../protocol/index.js';
import { padsFromZones, SimDroneWorld, startSimDroneFleet, type WindModel } from '../../sim/drone/index.js';
import { VirtualClock } from '../../sim/virtual-clock.js';
import { startEmbeddedBroker } from '../transport/embedded-broker.js';
import { MissionManager } from './index.js';

/**
 * Wind that hovers at the limit (5 m/s with gusts up to 2 m/s against a limit of 6 m/s) once
 * made a mission launch its drones at every lull and call them back 20 s later, around the
 * clock: 322 take-offs at 1.5 % coverage on the l-shape zone. Simulated drones through an
 * embedded broker on the virtual clock (it must see the broker: no MQTT_URL).
 */
describe('a mission in wind at the limit', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function fly(wind: Partial<WindModel>) {
    const zones = JSON.parse(await readFile('sites/zones/l-shape.geojson', 'utf8')) as CreateMissionBody['zones'];
    const clock = new VirtualClock();
    cleanup.push(() => clock.close());
    const broker = await startEmbeddedBroker({ port: 0 });
    cleanup.push(() => broker.close());
    const mqtt = await connectMqtt(broker.url, { clientId: 'wind-controller', clock });
    cleanup.push(() => mqtt.endAsync(true));
    const manager = new MissionManager({ mqtt, clock, log: { info: () => {}, warn: () => {} }, droneIdPrefix: 'wind-' });
    cleanup.push(() => manager.close());
    const alerts: string[] = [];
    manager.on('alert', (a) => alerts.push(a.kind));
    await manager.start();
    const world = new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: 1, wind: { fromDeg: 60, ...wind } });
    const fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 2, idPrefix: 'wind-', telemetryIntervalMs: 1000 });
    cleanup.push(() => fleet.stop());
    await clock.until(() => manager.drones.views().filter((d) => d.mode === 'landed').length === 2, { wallLimitMs: 10_000, what: 'drones online' });
    const created = await clock.hold(manager.create({ zones, drones: 2 }));
    if (!created.ok) throw new Error(created.message);
    manager.clear(created.id);
    expect(manager.launch(created.id).ok).toBe(true);
    /** Runs `s` seconds of simulated time, or until `done`. */
    const run = async (s: number, done: () => boolean = () => false) => {
      const end = clock.now() + s * 1000;
      await clock.until(() => clock.now() >= end || done(), { wallLimitMs: 120_000, what: `${s} s of wind` });
      return manager.get(created.id)!;
    };
    return { run, world, alerts, clock, summary: () => manager.get(created.id)! };
  }

  it('holds the drones on the pads instead of launching them into every lull, and sends them once it calms', async () => {
    const { run, world, alerts, clock, summary } = await fly({ speedMps: 5, gustMps: 2 });
    const held = await run(3600);
    expect(alerts).toContain('windTooStrong');
    expect(held.windHold).toBe(true);
    // At most the launch itself: no drone goes up again until the wind has calmed for a while.
    expect(held.sorties).toBeLessThanOrEqual(2);
    world.setWind({ speedMps: 2, gustMps: 1 });
    const calmFrom = clock.now();
    const going = await run(600, () => !summary().windHold);
    expect(going.windHold).toBe(false);
    // The smoothed wind falls under 5.5 m/s within seconds, then two minutes of calm.
    expect((clock.now() - calmFrom) / 1000).toBeGreaterThanOrEqual(120);
    expect((clock.now() - calmFrom) / 1000).toBeLessThan(180);
    const flying = await run(120);
    expect(flying.sorties).toBeGreaterThan(held.sorties);
  }, 180_000);
});
