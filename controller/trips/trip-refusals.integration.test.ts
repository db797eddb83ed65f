/**
 * What a robot's answers the controller must not ignore, and starts it must not answer with 500.
 * The robot here is a hand-written peer on a real broker (plain MQTT messages), because these
 * are answers a conforming robot gives only when something is wrong.
 */
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { waitFor } from '../../sim/scenario.js';
import { vdaTopic, type Alert, type Order, type State } from '../../protocol/index.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { idleRobotStateBody } from '../../test-support/device-messages.js';

describe('trips: a robot’s refusals and unknown starts', () => {
  const manufacturer = uniqueManufacturer('refusals');
  const vehicle = { manufacturer, serialNumber: 'r1' };
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let app: FastifyInstance;
  let robot: MqttClient;
  const orders: Order[] = [];
  let headerId = 0;
  const publish = (topic: 'state' | 'connection' | 'factsheet', body: object) =>
    robot.publishAsync(vdaTopic(vehicle, topic), JSON.stringify({ headerId: headerId++, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle, ...body }), {
      qos: 1,
      retain: topic !== 'state',
    });
  const state = (patch: Partial<State>): Partial<State> => idleRobotStateBody({ lastNodeId: 'dock-7', paused: false, ...patch });

  beforeAll(async () => {
    broker = await brokerForTests();
    app = await buildApp({ site: await loadSite('hotel'), mqttUrl: broker.url, manufacturer });
    robot = await connectMqtt(broker.url, { clientId: `${manufacturer}/r1` });
    robot.on('message', (_topic, payload) => orders.push(JSON.parse(payload.toString()) as Order));
    await robot.subscribeAsync(vdaTopic(vehicle, 'order'), { qos: 1 });
    await publish('connection', { connectionState: 'ONLINE' });
  });
  afterAll(async () => {
    await robot.endAsync();
    await app.close();
    await broker.close();
  });

  it('POST /api/trips answers 409 saying why when the robot’s lastNodeId is no site node and its position is off every node, not 500', async () => {
    await publish('state', state({ agvPosition: { x: 40, y: 40, theta: 0, mapId: 'G', positionInitialized: true } }));
    await waitFor(() => app.fleet.get('r1')?.state === 'idle', 5000, 'robot idle');
    const far = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'r1', trays: [{ tray: 1, room: '101' }] } });
    expect(far.statusCode).toBe(409);
    expect(far.json().message).toMatch(/robot r1 is .* m from the nearest site node .* last node dock-7 is not on the site/);
  });

  it('an instantActionError answering confirmLoaded fails the trip with its trays still at the station and alerts', async () => {
    // Standing at the loading station (by position): the trip is planned from there.
    await publish('state', state({ agvPosition: { x: 26, y: 2.5, theta: 0, mapId: 'G', positionInitialized: true } }));
    await waitFor(() => app.fleet.get('r1')?.position?.x === 26, 5000, 'robot at the station');
    const sent = await app.inject({
      method: 'POST',
      url: '/api/trips',
      payload: {
        robot: 'r1',
        trays: [
          { tray: 1, room: '101' },
          { tray: 2, room: '102' },
        ],
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().id as string;
    await waitFor(() => orders.length === 1, 5000, 'order');
    const order = orders[0]!;
    expect(order.nodes[0]!.nodeId).toBe('G-loading');
    // The robot runs the order and waits in loadTrays at the station.
    const running = state({
      orderId: order.orderId,
      lastNodeId: 'G-loading',
      nodeStates: order.nodes.slice(1).map((n) => ({ nodeId: n.nodeId, sequenceId: n.sequenceId, released: true })),
      actionStates: order.nodes[0]!.actions.map((a) => ({ actionId: a.actionId, actionType: a.actionType, actionStatus: 'RUNNING' as const })),
    });
    await publish('state', running);
    for (const tray of [1, 2]) expect((await app.inject({ method: 'POST', url: `/api/trips/${id}/trays/${tray}/loaded` })).statusCode).toBe(200);
    // …and refuses the confirmation.
    await publish('state', {
      ...running,
      errors: [
        {
          errorType: 'instantActionError',
          errorLevel: 'WARNING',
          errorDescription: 'trays not detected',
          errorReferences: [{ referenceKey: 'actionId', referenceValue: `${order.orderId}:confirm` }],
        },
      ],
    });
    await waitFor(() => app.trips.get(id)?.status === 'failed', 5000, 'trip failed');
    expect(app.trips.get(id)).toMatchObject({ reason: expect.stringMatching(/refused confirmLoaded: trays not detected/), trays: [{ status: 'returned' }, { status: 'returned' }] });
    const alerts = (await app.inject({ url: '/api/alerts' })).json<Alert[]>().filter((a) => a.kind === 'tripFailed');
    expect(alerts.map((a) => a.room).sort()).toEqual(['101', '102']);
  });
});
