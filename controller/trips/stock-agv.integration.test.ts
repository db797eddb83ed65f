/**
 * Our controller dispatching a stock third-party AGV (vda-5050-lib 1.4.0's VirtualAgvAdapter,
 * through a real broker; see `stock-agv.test-support.ts`).
 */
import type { Factsheet as LibFactsheet, Headerless } from 'vda-5050-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sim/scenario.js';
import type { Alert, Order } from '../../protocol/index.js';
import type { AppOptions } from '../app.js';
import { FACTSHEET, quickHotel, setup, type Setup } from './stock-agv.test-support.js';

/**
 * A battery model that does not fit the AGV (a BellaBot-class drain over the reach it reports, no
 * reserve) and no charging: the controller sends the trip, and the AGV's battery runs out on the
 * way all the same.
 */
const BATTERY_MISJUDGED: AppOptions['battery'] = { profile: { drainPctPerM: 0.0045, reservePct: 0 }, policy: { goChargeBelowPct: 0, topUpBelowPct: 0 } };

describe('our controller dispatching a stock vda-5050-lib 1.4.0 VirtualAgvAdapter (VDA 5050 2.0.0)', () => {
  let current: Setup | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  it('asks for its factsheet and delivers to rooms on two floors by pick and drop: done, each load dropped at its door', async () => {
    current = await setup();
    const { app, robot, states, api } = current;
    await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'the AGV’s factsheet, and the AGV idle');
    expect(app.fleet.get(robot)).toMatchObject({ manufacturer: robot.split('/')[0], serialNumber: 'agv-1', version: '2.0.0', node: 'home', level: 'G' });

    // Its lastNodeId is its own ('home'): the start comes from its position, at the loading station.
    const sent = await api('POST', '/api/trips', {
      robot,
      trays: [
        { tray: 1, room: '103' },
        { tray: 2, room: '207' },
      ],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().id as string;
    // Held at the station until the medic confirms: nothing is picked before.
    await new Promise((r) => setTimeout(r, 300));
    expect(states.some((s) => s.actionStates.some((a) => a.actionId.includes(':pick:')))).toBe(false);
    for (const tray of [1, 2]) expect((await api('POST', `/api/trips/${id}/trays/${tray}/loaded`)).statusCode).toBe(200);

    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    const trip = app.trips.get(id)!;
    expect(trip, trip.reason).toMatchObject({
      status: 'done',
      trays: [
        { room: '103', status: 'delivered' },
        { room: '207', status: 'delivered' },
      ],
    });
    // Each drop finished at its room's door, on that room's floor (told after each lift ride).
    for (const [tray, door, level] of [
      [1, 'R103', 'F1'],
      [2, 'R207', 'F2'],
    ] as const) {
      const at = states.find((s) => s.actionStates.some((a) => a.actionId === `trip-${id}:drop:${tray}` && a.actionStatus === 'FINISHED'));
      expect(at?.lastNodeId, `drop ${tray}`).toBe(door);
      expect(at?.agvPosition?.mapId, `drop ${tray}`).toBe(level);
      expect(at?.loads ?? []).toEqual([]);
    }
    expect(app.fleet.get(robot)).toMatchObject({ node: 'G-loading', level: 'G', state: 'idle' });
  }, 90_000);

  it('rides lifts by the horizon: the base stops at each landing, an order update releases the ride once the controller grants the car, the car is free again at the far landing', async () => {
    // The rides and the station only: the hotel's single-width ways (held too, by updates of their
    // own: `trip-narrow.integration.test.ts`) are left out so each update here is a ride or the station.
    const hotel = await quickHotel();
    current = await setup({ site: { ...hotel, lanes: hotel.lanes.map(({ way: _, ...lane }) => lane) } });
    const { app, robot, api } = current;
    // What the controller sends the AGV, with where the AGV stood when each order left.
    const orders: { order: Order; standingAt?: string }[] = [];
    const publishAsync = app.mqtt.publishAsync.bind(app.mqtt);
    app.mqtt.publishAsync = ((topic: string, payload: string, options?: object) => {
      if (topic.endsWith('/order')) orders.push({ order: JSON.parse(payload), standingAt: app.fleet.lastState(robot)?.lastNodeId });
      return publishAsync(topic, payload, options);
    }) as typeof app.mqtt.publishAsync;
    const holders = new Set<string>();
    app.trips.lifts.on('lifts', (view) => view.forEach((car) => car.holder && holders.add(car.holder.robot)));
    await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'factsheet and AGV idle');
    const id = await sendTrip(current);
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    expect(app.trips.get(id), app.trips.get(id)!.reason).toMatchObject({ status: 'done' });

    const isRide = (edge: Order['edges'][number]) => edge.edgeDescription?.startsWith('lift ') ?? false;
    const delivery = orders.filter(({ order }) => order.orderId === `trip-${id}`);
    const [first, ...updates] = delivery;
    // Sent whole, but every ride in the horizon: the base ends on the first ride's landing.
    expect(first!.order.orderUpdateId).toBe(0);
    expect(first!.order.edges.filter(isRide).length).toBe(4);
    expect(first!.order.edges.filter(isRide).every((e) => !e.released)).toBe(true);
    const baseEnd = first!.order.nodes.filter((n) => n.released).at(-1)!;
    expect(baseEnd.nodeId).toBe(first!.order.edges.find(isRide)!.startNodeId);
    // One load a leg: one update per ride (up to F1, down, up to F2, down), each sent while the AGV stood on the
    // landing where it starts, releasing that ride first; the far landing tells it its new map. After each ride
    // down the AGV (no disinfect) is held at the disinfection station, released by an update of its own.
    expect(updates.map((u) => u.order.orderUpdateId)).toEqual([1, 2, 3, 4, 5, 6]);
    const rides = updates.filter((u) => isRide(u.order.edges[0]!));
    expect(rides.map((u) => u.order.orderUpdateId)).toEqual([1, 2, 4, 5]);
    expect(updates.filter((u) => !rides.includes(u)).map((u) => [u.order.orderUpdateId, u.standingAt])).toEqual([
      [3, 'G-disinfect'],
      [6, 'G-disinfect'],
    ]);
    for (const { order, standingAt } of rides) {
      expect(standingAt).toBe(order.nodes[0]!.nodeId);
      expect(order.nodes[0]!.actions).toEqual([]);
      expect(isRide(order.edges[0]!) && order.edges[0]!.released).toBe(true);
      expect(order.edges.slice(1).filter((e) => isRide(e) && e.released)).toEqual([]);
      const far = order.nodes[1]!;
      expect(far.actions.find((a) => a.actionType === 'initPosition')?.actionParameters).toContainEqual({ key: 'mapId', value: far.nodePosition!.mapId });
    }
    expect(holders).toEqual(new Set([robot]));
    expect((await api('GET', '/api/lifts')).json()).toEqual([]);
  }, 90_000);

  it('refuses a trip with 409 naming the missing capability when its factsheet lists no drop', async () => {
    current = await setup();
    const { app, agv, robot, api } = current;
    const features = FACTSHEET.protocolFeatures!;
    agv.updateFactsheet({ ...FACTSHEET, protocolFeatures: { ...features, agvActions: features.agvActions.filter((a) => a.actionType !== 'drop') } } as Headerless<LibFactsheet>);
    await waitFor(() => app.fleet.get(robot)?.state === 'idle', 15_000, 'AGV idle');
    await waitFor(() => app.fleet.factsheet(robot) !== undefined, 15_000, 'factsheet');
    const refused = await api('POST', '/api/trips', { robot, trays: [{ tray: 1, room: '103' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/drop \(NODE\)/);
  }, 60_000);

  /** Sends the two-floor trip and confirms both trays. */
  async function sendTrip({ robot, api }: Setup): Promise<string> {
    const sent = await api('POST', '/api/trips', {
      robot,
      trays: [
        { tray: 1, room: '103' },
        { tray: 2, room: '207' },
      ],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().id as string;
    for (const tray of [1, 2]) await api('POST', `/api/trips/${id}/trays/${tray}/loaded`);
    return id;
  }

  /** The trip failed with both rooms unserved, an alert per room naming both, the rooms can be planned again. */
  async function expectFailedWithAlerts({ app, api }: Setup, id: string, reason: RegExp): Promise<void> {
    expect(app.trips.get(id)).toMatchObject({
      reason: expect.stringMatching(reason),
      trays: [
        { room: '103', status: 'failed' },
        { room: '207', status: 'failed' },
      ],
    });
    const alerts = (await api('GET', '/api/alerts')).json<Alert[]>().filter((a) => a.kind === 'tripFailed');
    expect(alerts.map((a) => a.room).sort()).toEqual(['103', '207']);
    for (const alert of alerts) expect(alert.message).toMatch(/103, 207/);
    const replanned = await api('POST', `/api/trips/${id}/replan`);
    expect(replanned.statusCode, replanned.body).toBeLessThan(300);
    expect(replanned.json().rooms.sort()).toEqual(['103', '207']);
  }

  it('a FATAL error mid-trip fails the trip with the rooms on board, alerts naming them, cancels the order, and the rooms can be planned again', async () => {
    // Its battery falls below the threshold about 20 m out, mid-edge at this time lapse: the adapter's own FATAL batteryLowError.
    current = await setup({ battery: { batteryMaxReach: 1000, initialBatteryCharge: 22, lowBatteryChargeThreshold: 20 }, timeLapse: 5, controllerBattery: BATTERY_MISJUDGED });
    const setupDone = current;
    const { app, robot } = setupDone;
    await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'factsheet and AGV idle');
    const id = await sendTrip(setupDone);
    await waitFor(() => app.trips.get(id)!.status === 'failed', 30_000, 'trip failed');
    expect(app.fleet.lastState(robot)?.errors.some((e) => e.errorLevel === 'FATAL')).toBe(true);
    await expectFailedWithAlerts(setupDone, id, /FATAL.*battery/);
    // The AGV was told to cancel: it holds no order any more.
    await waitFor(() => (app.fleet.lastState(robot)?.nodeStates.length ?? 1) === 0, 10_000, 'order cancelled');
  }, 90_000);

  it('a trip that stops progressing without an error is stopped after the stall time, with the same alert and re-plan', async () => {
    // At this time lapse its battery runs out exactly at a node: the adapter then just stands, reporting no error.
    current = await setup({
      battery: { batteryMaxReach: 1000, initialBatteryCharge: 22, lowBatteryChargeThreshold: 20 },
      timeLapse: 25,
      tripStalledAfterMs: 2000,
      controllerBattery: BATTERY_MISJUDGED,
    });
    const setupDone = current;
    const { app, robot } = setupDone;
    // The instant actions the controller sends: with its battery empty the adapter stands and may
    // never report the cancel, so what is checked is that the controller told it to cancel.
    const instantActions: string[] = [];
    const publishAsync = app.mqtt.publishAsync.bind(app.mqtt);
    app.mqtt.publishAsync = ((topic: string, payload: string, options?: object) => {
      if (topic.endsWith('/instantActions')) instantActions.push(payload);
      return publishAsync(topic, payload, options);
    }) as typeof app.mqtt.publishAsync;
    await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'factsheet and AGV idle');
    const id = await sendTrip(setupDone);
    await waitFor(() => app.trips.get(id)!.status === 'failed', 30_000, 'trip failed');
    // Stopped for standing still, with no error of its own. The cancel the controller then sends
    // may come back as noOrderToCancel before this look (seen in CI); that answer is not the cause.
    const ownErrors = (app.fleet.lastState(robot)?.errors ?? []).filter((e) => !e.errorReferences?.some((r) => r.referenceKey === 'actionType' && r.referenceValue === 'cancelOrder'));
    expect(ownErrors).toEqual([]);
    await expectFailedWithAlerts(setupDone, id, /no progress/);
    await waitFor(() => instantActions.some((p) => p.includes('"cancelOrder"')), 10_000, 'cancelOrder sent');
  }, 90_000);
});
