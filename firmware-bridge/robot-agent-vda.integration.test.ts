import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { SiteGraph } from '../controller/site/site-graph.js';
import { brokerForTests, uniqueManufacturer } from '../controller/transport/test-broker.js';
import { buildTripOrder } from '../controller/trips/order-builder.js';
import { siteSchema, vdaTopic, type State, type VdaTopic } from '../protocol/index.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { waitFor } from '../sim/scenario.js';
import { SimRobotDriver } from '../sim/sim-robot-driver.js';
import { SimWorld } from '../sim/world.js';
import { RobotAgent, type RobotAgentOptions } from './robot-agent.js';
import { connectMqtt } from '../common/mqtt/connect-mqtt.js';

// The robot agent as a VDA 5050 AGV for any master: restarts, versions, instant actions and
// what the driver reports, over a real broker.

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 }));

describe('robot agent for any VDA 5050 master', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let master: MqttClient;
  let agent: RobotAgent;
  let driver: SimRobotDriver;
  let clock: ScaledClock;
  const received = new Map<string, Record<string, unknown>[]>();
  const warnings: object[] = [];
  let vehicle: { manufacturer: string; serialNumber: string };
  const topic = (t: VdaTopic) => vdaTopic(vehicle, t);
  const all = <T>(t: VdaTopic) => (received.get(topic(t)) ?? []) as T[];
  const last = <T>(t: VdaTopic) => all<T>(t).at(-1);
  const newAgent = (options: Partial<RobotAgentOptions> = {}) =>
    new RobotAgent({ mqttUrl: broker.url, vehicle, driver, clock, startNodeId: 'G-loading', logger: { info: () => {}, warn: (o, m) => warnings.push({ ...o, m }) }, ...options });
  const header = (version = '2.1.0') => ({ headerId: 1, timestamp: new Date().toISOString(), version, ...vehicle });
  const instant = (actionType: string, actionId: string, version?: string) =>
    master.publishAsync(topic('instantActions'), JSON.stringify({ ...header(version), actions: [{ actionType, actionId, blockingType: 'HARD' }] }), { qos: 1 });

  beforeEach(async () => {
    broker = await brokerForTests();
    vehicle = { manufacturer: uniqueManufacturer('anymaster'), serialNumber: 'r1' };
    received.clear();
    warnings.length = 0;
    master = await connectMqtt(broker.url, { clientId: `${vehicle.manufacturer}-master` });
    master.on('message', (t, payload) => {
      if (t.endsWith('/order') || t.endsWith('/instantActions')) return;
      received.set(t, [...(received.get(t) ?? []), JSON.parse(payload.toString())]);
    });
    await master.subscribeAsync(`uagv/v2/${vehicle.manufacturer}/#`, { qos: 1 });
    clock = new ScaledClock(2000);
    driver = new SimRobotDriver(new SimWorld({ site, clock, seed: 1, residents: { neverShare: 0 } }), 'G-loading');
    agent = newAgent();
    await agent.start();
    await waitFor(() => last<State>('state') !== undefined, 5000, 'first state');
  });

  afterEach(async () => {
    await agent.stop();
    await master.endAsync();
    await broker.close();
  });

  it('runs an order queued for it (QoS 1) while its bridge was down, once the bridge is back', async () => {
    await agent.crash();
    await master.publishAsync(topic('order'), JSON.stringify(tripOrder('while-down')), { qos: 1 });
    agent = newAgent();
    await agent.start();
    await waitFor(() => last<State>('state')?.orderId === 'while-down', 10_000, 'the queued order taken');
  });

  it('reports cancelOrder RUNNING then FINISHED, never FAILED, and the order actions FAILED', async () => {
    driver.injectFault('stuck');
    await master.publishAsync(topic('order'), JSON.stringify(tripOrder('o-cancel')), { qos: 1 });
    await waitFor(() => last<State>('state')?.driving === true, 5000, 'driving');
    await instant('cancelOrder', 'c1');
    await waitFor(() => last<State>('state')?.actionStates.find((a) => a.actionId === 'c1')?.actionStatus === 'FINISHED', 5000, 'cancelled');
    const statuses = all<State>('state').flatMap((s) => s.actionStates.filter((a) => a.actionId === 'c1').map((a) => a.actionStatus));
    expect(statuses).not.toContain('FAILED');
    expect(statuses[0]).toBe('RUNNING');
    const state = last<State>('state')!;
    expect(state.actionStates.filter((a) => a.actionId.startsWith('o-cancel:') && a.actionStatus !== 'FINISHED').every((a) => a.actionStatus === 'FAILED')).toBe(true);
    expect(state.errors).toEqual([]);
  });

  it('publishes its factsheet on factsheetRequest and reports the action FINISHED', async () => {
    await waitFor(() => all('factsheet').length === 1, 5000, 'retained factsheet');
    await instant('factsheetRequest', 'f1');
    await waitFor(() => last<State>('state')?.actionStates.find((a) => a.actionId === 'f1')?.actionStatus === 'FINISHED', 5000, 'factsheetRequest finished');
    expect(all('factsheet')).toHaveLength(2);
    expect(last<{ protocolFeatures: { agvActions: { actionType: string }[] } }>('factsheet')!.protocolFeatures.agvActions.map((a) => a.actionType)).toContain('factsheetRequest');
  });

  it('refuses a version it does not serve with a validationError naming it and the order', async () => {
    await master.publishAsync(topic('order'), JSON.stringify({ ...tripOrder('v3'), version: '3.0.0' }), { qos: 1 });
    await waitFor(() => (last<State>('state')?.errors.length ?? 0) > 0, 5000, 'error');
    expect(last<State>('state')!.errors[0]).toMatchObject({
      errorType: 'validationError',
      errorDescription: expect.stringContaining('"3.0.0" is not served'),
      errorReferences: [
        { referenceKey: 'topic', referenceValue: 'order' },
        { referenceKey: 'orderId', referenceValue: 'v3' },
        { referenceKey: 'orderUpdateId', referenceValue: '0' },
      ],
    });
    expect(last<State>('state')!.orderId).toBe('');
    expect(warnings.some((w) => JSON.stringify(w).includes('3.0.0'))).toBe(true);
  });

  it("answers a 2.0.0 master in 2.0.0 and takes its instant actions under 'instantActions', logging that once", async () => {
    expect(last<State>('state')!.version).toBe('2.1.0');
    for (const id of ['p1', 'p2']) {
      await master.publishAsync(topic('instantActions'), JSON.stringify({ ...header('2.0.0'), instantActions: [{ actionType: 'stateRequest', actionId: id, blockingType: 'NONE' }] }), {
        qos: 1,
      });
    }
    await waitFor(() => last<State>('state')?.actionStates.find((a) => a.actionId === 'p2')?.actionStatus === 'FINISHED', 5000, 'both taken');
    expect(last<State>('state')!.version).toBe('2.0.0');
    expect(last<{ version: string }>('factsheet')!.version).toBe('2.0.0');
    expect(warnings.filter((w) => JSON.stringify(w).includes("'instantActions'"))).toHaveLength(1);
  });

  it('starts in 2.0.0 when told to, connection and factsheet included', async () => {
    await agent.stop();
    received.clear();
    agent = newAgent({ vdaVersion: '2.0.0' });
    await agent.start();
    await waitFor(() => last<State>('state') !== undefined && last('factsheet') !== undefined, 5000, 'state and factsheet');
    expect([last<State>('state')!.version, last<{ version: string }>('connection')!.version, last<{ version: string }>('factsheet')!.version]).toEqual(['2.0.0', '2.0.0', '2.0.0']);
  });

  it('reports what the robot says of itself: e-stop, field, operating mode and its own errors until it clears them', async () => {
    driver.setSafety({ eStop: 'MANUAL', fieldViolation: true });
    driver.setOperatingMode('SERVICE');
    driver.raiseError({ errorType: 'wheelBlocked', errorLevel: 'FATAL', errorDescription: 'left wheel over current' });
    await waitFor(() => last<State>('state')?.errors.some((e) => e.errorType === 'wheelBlocked') === true, 5000, 'driver error in state');
    expect(last<State>('state')).toMatchObject({ operatingMode: 'SERVICE', safetyState: { eStop: 'MANUAL', fieldViolation: true } });
    // An order now is refused, naming why.
    await master.publishAsync(topic('order'), JSON.stringify(tripOrder('blocked')), { qos: 1 });
    await waitFor(() => last<State>('state')?.errors.some((e) => e.errorType === 'orderError') === true, 5000, 'refused');
    driver.clearError('wheelBlocked');
    driver.setSafety({ eStop: 'NONE', fieldViolation: false });
    driver.setOperatingMode('AUTOMATIC');
    await waitFor(() => last<State>('state')?.errors.every((e) => e.errorType !== 'wheelBlocked') === true, 5000, 'driver error cleared');
    expect(last<State>('state')).toMatchObject({ operatingMode: 'AUTOMATIC', safetyState: { eStop: 'NONE', fieldViolation: false } });
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
