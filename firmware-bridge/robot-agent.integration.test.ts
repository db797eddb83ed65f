import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { SiteGraph } from '../controller/site/site-graph.js';
import { brokerForTests, uniqueManufacturer } from '../controller/transport/test-broker.js';
import { buildTripOrder } from '../controller/trips/order-builder.js';
import { batteryChargeOf, siteSchema, stateSchema, vdaTopic, type State, type VdaTopic } from '../protocol/index.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { waitFor } from '../sim/scenario.js';
import { SimRobotDriver } from '../sim/sim-robot-driver.js';
import { SimWorld } from '../sim/world.js';
import { connectMqtt } from '../common/mqtt/connect-mqtt.js';
import type { RobotStatus } from './driver.js';
import { RobotAgent } from './robot-agent.js';

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 }));

describe('robot agent over MQTT', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let master: MqttClient;
  let agent: RobotAgent;
  let driver: SimRobotDriver;
  const received = new Map<string, unknown[]>();
  let vehicle: { manufacturer: string; serialNumber: string };
  const topic = (t: VdaTopic) => vdaTopic(vehicle, t);
  const last = <T>(t: VdaTopic) => received.get(topic(t))?.at(-1) as T | undefined;
  const warnings: object[] = [];

  beforeEach(async () => {
    broker = await brokerForTests();
    vehicle = { manufacturer: uniqueManufacturer('agent'), serialNumber: 'r1' };
    received.clear();
    master = await connectMqtt(broker.url, { clientId: `${vehicle.manufacturer}-master` });
    // Only what the robot publishes is kept; the malformed orders this test sends are not JSON.
    master.on('message', (t, payload) => {
      if (t.endsWith('/order') || t.endsWith('/instantActions')) return;
      received.set(t, [...(received.get(t) ?? []), JSON.parse(payload.toString())]);
    });
    await master.subscribeAsync(`uagv/v2/${vehicle.manufacturer}/#`, { qos: 1 });
    const clock = new ScaledClock(2000);
    driver = new SimRobotDriver(new SimWorld({ site, clock, seed: 1, residents: { neverShare: 0 } }), 'G-loading');
    agent = new RobotAgent({
      mqttUrl: broker.url,
      vehicle,
      driver,
      clock,
      startNodeId: 'G-loading',
      logger: { info: () => {}, warn: (o) => warnings.push(o) },
    });
    await agent.start();
    await waitFor(() => last<State>('state') !== undefined, 5000, 'first state');
  });

  afterEach(async () => {
    await agent.stop();
    await master.endAsync();
    await broker.close();
  });

  it('announces itself: retained ONLINE and factsheet with its trays and actions', async () => {
    expect(last<{ connectionState: string }>('connection')?.connectionState).toBe('ONLINE');
    const factsheet = last<{ loadSpecification: { loadPositions: string[] }; protocolFeatures: { agvActions: { actionType: string }[] } }>('factsheet')!;
    expect(factsheet.loadSpecification.loadPositions).toEqual(['tray1', 'tray2', 'tray3', 'tray4']);
    expect(factsheet.protocolFeatures.agvActions.map((a) => a.actionType)).toEqual(
      expect.arrayContaining(['loadTrays', 'announce', 'waitForPickup', 'cancelOrder', 'startPause', 'stopPause']),
    );
    // Retained: a client that comes later still gets both.
    const late = await connectMqtt(broker.url, { clientId: `${vehicle.manufacturer}-late` });
    const retained: string[] = [];
    late.on('message', (t) => retained.push(t));
    await late.subscribeAsync([topic('connection'), topic('factsheet')], { qos: 1 });
    await waitFor(() => retained.length === 2, 5000, 'retained messages');
    await late.endAsync();
  });

  it('answers malformed orders and instant actions with a validationError naming the field, and lives on', async () => {
    await master.publishAsync(topic('order'), '{not json');
    await waitFor(() => (last<State>('state')?.errors.length ?? 0) > 0, 5000, 'error state');
    expect(last<State>('state')!.errors[0]).toMatchObject({ errorType: 'validationError', errorDescription: expect.stringMatching(/^not JSON/) });

    await master.publishAsync(
      topic('order'),
      JSON.stringify({ headerId: 1, timestamp: 'yesterday', version: '2.1.0', manufacturer: vehicle.manufacturer, serialNumber: 'r1', orderId: 'x', orderUpdateId: 0, nodes: [], edges: [] }),
    );
    await waitFor(() => (last<State>('state')?.errors.length ?? 0) > 1, 5000, 'second error');
    const description = last<State>('state')!.errors.at(-1)!.errorDescription!;
    expect(description).toMatch(/timestamp: /);
    expect(description).toMatch(/nodes: /);

    await master.publishAsync(topic('instantActions'), JSON.stringify({ actions: [{ actionType: 'startPause' }] }));
    await waitFor(() => (last<State>('state')?.errors.length ?? 0) > 2, 5000, 'third error');
    expect(last<State>('state')!.errors.at(-1)!.errorReferences).toEqual([{ referenceKey: 'topic', referenceValue: 'instantActions' }]);
    expect(warnings.length).toBeGreaterThanOrEqual(3);

    // Still takes a good order afterwards.
    const order = tripOrder('ok-1');
    await master.publishAsync(topic('order'), JSON.stringify(order));
    await waitFor(
      () => last<State>('state')?.orderId === 'ok-1' && last<State>('state')!.nodeStates.length === 0 && !last<State>('state')!.actionStates.some((a) => a.actionStatus !== 'FINISHED'),
      10_000,
      'order done',
    );
  });

  it('pauses, resumes and cancels through instant actions', async () => {
    driver.injectFault('stuck');
    await master.publishAsync(topic('order'), JSON.stringify(tripOrder('o-cancel')));
    await waitFor(() => last<State>('state')?.driving === true, 5000, 'driving');
    const instant = (actionType: string, actionId: string) =>
      master.publishAsync(
        topic('instantActions'),
        JSON.stringify({ headerId: 1, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle, actions: [{ actionType, actionId, blockingType: 'HARD' }] }),
      );
    await instant('startPause', 'p1');
    await waitFor(() => last<State>('state')?.paused === true, 5000, 'paused');
    await instant('stopPause', 'p2');
    await waitFor(() => last<State>('state')?.paused === false, 5000, 'resumed');
    await instant('cancelOrder', 'c1');
    await waitFor(() => last<State>('state')?.actionStates.find((a) => a.actionId === 'c1')?.actionStatus === 'FINISHED', 5000, 'cancelled');
    const state = last<State>('state')!;
    expect(state.nodeStates).toEqual([]);
    expect(state.driving).toBe(false);
    expect(state.actionStates.filter((a) => a.actionId.startsWith('o-cancel') && a.actionStatus !== 'FAILED').map((a) => a.actionId)).toEqual(['o-cancel:load']);
    // Nothing left to cancel: the instant action fails and says so.
    await instant('cancelOrder', 'c2');
    await waitFor(() => last<State>('state')?.actionStates.find((a) => a.actionId === 'c2')?.actionStatus === 'FAILED', 5000, 'nothing to cancel');

    // A repeat of c1 (a QoS 1 redelivery) must not cancel the order sent after it.
    await master.publishAsync(topic('order'), JSON.stringify(tripOrder('o-next')));
    await waitFor(() => last<State>('state')?.orderId === 'o-next' && last<State>('state')!.driving, 5000, 'next order driving');
    await instant('cancelOrder', 'c1');
    await new Promise((r) => setTimeout(r, 100));
    expect(last<State>('state')!.nodeStates.length).toBeGreaterThan(0);
    expect(last<State>('state')!.driving).toBe(true);
  });

  it('sends state as a heartbeat while nothing changes', async () => {
    // 30 s of robot time pass every 15 ms at x2000.
    const before = received.get(topic('state'))!.length;
    await new Promise((r) => setTimeout(r, 120));
    const after = received.get(topic('state'))!.length;
    expect(after - before).toBeGreaterThanOrEqual(3);
    expect(after - before).toBeLessThanOrEqual(9);
  });

  it('sends a charge the robot does not know as batteryCharge 0 with a batteryUnknown information entry (a valid state), and the figure once known', async () => {
    const status = driver.status.bind(driver);
    let known: number | null = null;
    Object.assign(driver, { status: (): RobotStatus => ({ ...status(), batteryPct: known }) });
    const stateNow = () => stateSchema.parse(last<State>('state'));
    await waitFor(() => batteryChargeOf(stateNow()) === null, 2000, 'a state with the charge unknown');
    expect(stateNow().batteryState.batteryCharge).toBe(0);
    expect(stateNow().information).toContainEqual(expect.objectContaining({ infoType: 'batteryUnknown', infoLevel: 'INFO' }));
    known = 55;
    await waitFor(() => batteryChargeOf(stateNow()) === 55, 2000, 'a state with the charge');
    expect(stateNow().information ?? []).not.toContainEqual(expect.objectContaining({ infoType: 'batteryUnknown' }));
  });

  it('leaves CONNECTIONBROKEN behind when the link dies without a goodbye', async () => {
    await agent.crash();
    await waitFor(() => last<{ connectionState: string }>('connection')?.connectionState === 'CONNECTIONBROKEN', 10_000, 'last will');
  });

  function tripOrder(orderId: string) {
    return buildTripOrder({
      graph: new SiteGraph(site),
      orderId,
      ...vehicle,
      headerId: 0,
      timestamp: new Date().toISOString(),
      startNodeId: 'G-loading',
      stops: [{ tray: 1, room: '101' }],
      pickupTimeoutS: 60,
    });
  }
});
