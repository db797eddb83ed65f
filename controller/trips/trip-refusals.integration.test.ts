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
import { vdaTopic, type Alert, type InstantActions, type Order, type State } from '../../protocol/index.js';
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
  const instantActions: InstantActions['actions'] = [];
  let headerId = 0;
  const publish = (topic: 'state' | 'connection' | 'factsheet', body: object) =>
    robot.publishAsync(vdaTopic(vehicle, topic), JSON.stringify({ headerId: headerId++, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle, ...body }), {
      qos: 1,
      retain: topic !== 'state',
    });
  const state = (patch: Partial<State>): Partial<State> => idleRobotStateBody({ lastNodeId: 'dock-7', paused: false, ...patch });

  beforeAll(async () => {
    broker = await brokerForTests();
    app = await buildApp({ site: await loadSite('hotel'), mqttUrl: broker.url, manufacturer, battery: { stopChargingTimeoutMs: 3000 } });
    robot = await connectMqtt(broker.url, { clientId: `${manufacturer}/r1` });
    robot.on('message', (topic, payload) => {
      if (topic === vdaTopic(vehicle, 'instantActions')) instantActions.push(...(JSON.parse(payload.toString()) as InstantActions).actions);
      else orders.push(JSON.parse(payload.toString()) as Order);
    });
    await robot.subscribeAsync([vdaTopic(vehicle, 'order'), vdaTopic(vehicle, 'instantActions')], { qos: 1 });
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

  /** r1 charging at 90 % at the loading station (the trip starts there), its last order finished. */
  const charging = async () => {
    await publish('state', state({ agvPosition: { x: 26, y: 2.5, theta: 0, mapId: 'G', positionInitialized: true }, batteryState: { batteryCharge: 90, charging: true } }));
    await waitFor(() => app.fleet.lastState('r1')?.batteryState.charging === true && app.trips.activeTripOf('r1') === undefined, 5000, 'robot charging at the station');
    orders.length = 0;
    instantActions.length = 0;
  };
  const sendTrip = async (room: string) => {
    const sent = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'r1', trays: [{ tray: 1, room }] } });
    expect(sent.statusCode, sent.body).toBe(201);
    await waitFor(() => instantActions.some((a) => a.actionType === 'stopCharging'), 5000, 'stopCharging');
    return { id: sent.json().id as string, stop: instantActions.find((a) => a.actionType === 'stopCharging')!.actionId };
  };

  it('a robot that does not stop charging within the timeout: the trip fails unsent, its trays at the station, with the alerts of a refused order', async () => {
    await charging();
    const { id } = await sendTrip('104');
    await waitFor(() => app.trips.get(id)?.status === 'failed', 10_000, 'trip failed');
    expect(orders).toEqual([]);
    expect(app.trips.get(id)).toMatchObject({
      reason: expect.stringMatching(/^r1 still charging 3 s after it was told to stop .*; its order was not sent/),
      trays: [{ status: 'returned' }],
    });
    const alerts = (await app.inject({ url: '/api/alerts' })).json<Alert[]>().filter((a) => a.kind === 'tripFailed' && a.room === '104');
    expect(alerts).toHaveLength(1);
  }, 30_000);

  it('a trip for a robot on a charger: stopCharging first, the order once its state shows charging stopped (VDA 5050: an order is refused while an instant action runs)', async () => {
    await charging();
    const { id, stop } = await sendTrip('103');
    // The stop runs, the robot still charges: no order yet.
    await publish(
      'state',
      state({
        agvPosition: { x: 26, y: 2.5, theta: 0, mapId: 'G', positionInitialized: true },
        batteryState: { batteryCharge: 90, charging: true },
        actionStates: [{ actionId: stop, actionType: 'stopCharging', actionStatus: 'RUNNING' }],
      }),
    );
    await waitFor(() => app.fleet.lastState('r1')?.actionStates.length === 1, 5000, 'the stop running');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(orders).toEqual([]);
    await publish(
      'state',
      state({
        agvPosition: { x: 26, y: 2.5, theta: 0, mapId: 'G', positionInitialized: true },
        batteryState: { batteryCharge: 90, charging: false },
        actionStates: [{ actionId: stop, actionType: 'stopCharging', actionStatus: 'FINISHED' }],
      }),
    );
    await waitFor(() => orders.length === 1, 5000, 'the trip order');
    expect(orders[0]!.orderId).toBe(`trip-${id}`);
    expect(app.trips.get(id)?.status).toBe('planned');
  });
});
