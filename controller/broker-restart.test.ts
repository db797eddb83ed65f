import { afterAll, describe, expect, it } from 'vitest';
import type { TripView } from '../protocol/index.js';
import { startSimRobotFleet } from '../sim/robot-fleet.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { waitFor } from '../sim/scenario.js';
import { SimWorld } from '../sim/world.js';
import { buildApp } from './app.js';
import { loadSite } from './site/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './transport/embedded-broker.js';

// Restarts the broker itself, so it always runs its own embedded one (not MQTT_URL).
describe('chaos: the broker restarts in the middle of a round', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('everyone reconnects and the round ends with every room served exactly once', async () => {
    let broker: EmbeddedBroker = await startEmbeddedBroker({ port: 0 });
    const port = broker.port;
    cleanup.push(() => broker.close());
    const site = await loadSite('hotel');
    // A robot counts as silent after two state intervals (60 s simulated): 0.4 s of real time at
    // ×150; at ×300 a loaded machine's pause took the robots offline and the round was refused.
    const clock = new ScaledClock(150);
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer: 'restart', clock, roundImproveMs: 100 });
    cleanup.push(() => app.close());
    const world = new SimWorld({ site, clock, seed: 8 });
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer: 'restart', visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    await waitFor(() => app.fleet.list().filter((r) => r.state === 'idle').length === 2, 10_000, 'robots idle');

    const rooms = ['101', '102', '105', '207', '208', '401', '402', '403', '710', '711'];
    const created = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: rooms.map((room) => ({ room })) } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await waitFor(() => app.rounds.get(id)!.rooms.some((r) => r.status === 'delivered' || r.status === 'notCollected'), 20_000, 'first delivery');

    await broker.close();
    await new Promise((r) => setTimeout(r, 300));
    broker = await startEmbeddedBroker({ port });

    await waitFor(() => app.rounds.get(id)!.status === 'done', 60_000, 'round done after the restart');
    expect(app.fleet.list().every((r) => r.online)).toBe(true);
    const trips = (await app.inject({ url: '/api/trips' })).json<TripView[]>();
    for (const room of rooms) {
      const trays = trips.flatMap((t) => t.trays).filter((t) => t.room === room);
      expect(
        trays.map((t) => t.status),
        `room ${room}`,
      ).toEqual([expect.stringMatching(/^(delivered|notCollected)$/)]);
      expect(world.visitsTo(room), `visits to ${room}`).toBe(1);
    }
  }, 90_000);
});
