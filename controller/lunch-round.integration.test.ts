import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMqtt } from '../common/index.js';
import { parseVdaTopic, type TripView } from '../protocol/index.js';
import { officialSchemaValidator } from '../protocol/vda5050/official-schemas.test-support.js';
import { startSimRobotFleet } from '../sim/robot-fleet.js';
import { scenarioClock } from '../sim/scenario-clock.js';
import { SimWorld } from '../sim/world.js';
import { buildApp } from './app.js';
import { loadSite } from './site/index.js';
import { brokerForTests, uniqueManufacturer } from './transport/test-broker.js';

describe('a lunch round through a real broker', () => {
  const manufacturer = uniqueManufacturer('round');
  const captured: { topic: string; message: unknown }[] = [];
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    broker = await brokerForTests();
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    await broker.close();
  });

  it('delivers 8 rooms with 2 robots; every tray ends delivered or not collected; all traffic matches the official schemas', async () => {
    // A listener records everything on the wire from the start, retained messages included.
    const spy = await connectMqtt(broker.url, { clientId: `${manufacturer}-spy` });
    cleanup.push(() => spy.endAsync());
    spy.on('message', (topic, payload) => captured.push({ topic, message: JSON.parse(payload.toString()) }));
    await spy.subscribeAsync(`uagv/v2/${manufacturer}/#`, { qos: 1 });

    const site = await loadSite('hotel');
    // The virtual clock, unless the broker is another process (Mosquitto in CI): then wall time
    // x60, where the 61 s silence rule is a second of real time (at x250 a loaded machine counted
    // a robot offline now and then, and its order was sent again).
    const { clock } = scenarioClock('virtual', 60, process.env.MQTT_URL);
    cleanup.push(async () => clock.close());
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock });
    cleanup.push(() => app.close());
    // A quarter of residents never come, so both outcomes show up.
    const world = new SimWorld({ site, clock, seed: 3, residents: { neverShare: 0.25 } });
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer, visualizationIntervalMs: 20_000 });
    cleanup.push(() => fleet.stop());
    await clock.until(() => app.fleet.list().filter((r) => r.state === 'idle').length === 2, { wallLimitMs: 10_000, what: 'two idle robots' });

    const rooms = [
      ['101', '105', '312', '824'],
      ['207', '208', '515', '702'],
    ];
    const ids: string[] = [];
    for (const [i, group] of rooms.entries()) {
      const reply = await app.inject({
        method: 'POST',
        url: '/api/trips',
        payload: { robot: `robot-${i + 1}`, trays: group.map((room, t) => ({ tray: t + 1, room, item: `lunch ${room}` })) },
      });
      expect(reply.statusCode, reply.body).toBe(201);
      ids.push(reply.json<{ id: string }>().id);
    }
    const trip = async (id: string) => (await app.inject({ url: `/api/trips/${id}` })).json<TripView>();
    await clock.until(() => ids.every((id) => ['done', 'failed'].includes(app.trips.get(id)!.status)), { wallLimitMs: 150_000, what: 'both trips to end' });

    for (const [i, id] of ids.entries()) {
      const view = await trip(id);
      expect(view.status).toBe('done');
      expect(view.trays.map((t) => t.room).sort()).toEqual([...rooms[i]!].sort());
      for (const tray of view.trays) {
        expect(['delivered', 'notCollected']).toContain(tray.status);
        expect(tray.deliveredAt !== undefined).toBe(tray.status === 'delivered');
      }
      // Cross-check with the robot itself: what was not collected is still on its trays.
      const robot = fleet.robots[i]!;
      expect(
        robot.driver
          .status()
          .trays.map((t) => t.tray)
          .sort(),
      ).toEqual(
        view.trays
          .filter((t) => t.status === 'notCollected')
          .map((t) => t.tray)
          .sort(),
      );
      // And the robot is back at the loading station.
      expect(app.fleet.get(robot.serialNumber)?.node).toBe('G-loading');
    }
    const all = (await Promise.all(ids.map(trip))).flatMap((t) => t.trays);
    expect(all.filter((t) => t.status === 'delivered').length).toBeGreaterThan(0);

    // Schema check on what was captured: orders and instant actions (state requests) from the
    // controller, everything from the bridges.
    await new Promise((r) => setTimeout(r, 50));
    const validate = officialSchemaValidator();
    const topics = new Set<string>();
    const problems = captured.flatMap(({ topic, message }) => {
      const parts = parseVdaTopic(topic)!;
      topics.add(parts.topic);
      return validate(parts.topic, message);
    });
    expect(problems).toEqual([]);
    expect([...topics].sort()).toEqual(['connection', 'factsheet', 'instantActions', 'order', 'state', 'visualization']);
    // Two orders, one per trip; the rest are their updates, each releasing a single-width way
    // (the tunnel out and back, each room's door spur): same orderId, orderUpdateId counting up.
    const orders = captured.filter((c) => c.topic.endsWith('/order')).map((c) => c.message as { orderId: string; orderUpdateId: number });
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(2);
    for (const id of new Set(orders.map((o) => o.orderId))) {
      expect(orders.filter((o) => o.orderId === id).map((o) => o.orderUpdateId)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  }, 180_000);
});
