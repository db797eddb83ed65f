import { describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { SiteGraph } from '../controller/site/site-graph.js';
import { buildTripOrder, type TrayStop } from '../controller/trips/order-builder.js';
import { robotAction, siteSchema, type Order } from '../protocol/index.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { SimRobotDriver } from '../sim/sim-robot-driver.js';
import { SimWorld } from '../sim/world.js';
import { OrderExecutor } from './order-executor.js';

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 }));
const graph = new SiteGraph(site);

function setup(options: { neverShare?: number; liftPort?: boolean; record?: boolean } = {}) {
  const clock = new ScaledClock(5000);
  const world = new SimWorld({ site, clock, seed: 7, residents: { neverShare: options.neverShare ?? 0 } });
  const driver = new SimRobotDriver(world, 'G-loading', { name: 'r1' });
  let changes = 0;
  /** With `record`, a snapshot at every change. */
  const snapshots: ReturnType<OrderExecutor['snapshot']>[] = [];
  const executor: OrderExecutor = new OrderExecutor(
    driver,
    () => {
      changes++;
      if (options.record) snapshots.push(executor.snapshot());
    },
    () => 'en',
    'G-loading',
    options.liftPort ? world.lifts.port('r1') : undefined,
  );
  const idle = async () => {
    while (executor.busy) await new Promise((r) => setTimeout(r, 2));
  };
  return { clock, world, driver, executor, idle, changes: () => changes, snapshots };
}

function tripOrder(orderId: string, stops: TrayStop[], startNodeId = 'G-loading', lifts?: 'action'): Order {
  return buildTripOrder({
    lifts,
    graph,
    orderId,
    manufacturer: 'm',
    serialNumber: 'r1',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId,
    stops,
    pickupTimeoutS: 120,
  });
}

describe('OrderExecutor on the simulated robot', () => {
  it('runs an order to the end: trays loaded, offered at each door, back at the station', async () => {
    const { executor, idle, driver } = setup();
    expect(
      executor.handleOrder(
        tripOrder('o1', [
          { tray: 1, room: '101' },
          { tray: 2, room: '203' },
        ]),
      ),
    ).toBe('accepted');
    expect(executor.busy).toBe(true);
    await idle();
    const state = executor.snapshot();
    expect(state.lastNodeId).toBe('G-loading');
    expect(state.nodeStates).toEqual([]);
    expect(state.edgeStates).toEqual([]);
    expect(state.actionStates.map((a) => [a.actionId, a.actionStatus, a.resultDescription])).toEqual([
      ['o1:load', 'FINISHED', undefined],
      ['o1:announce:1', 'FINISHED', undefined],
      ['o1:pickup:1', 'FINISHED', 'collected'],
      ['o1:announce:2', 'FINISHED', undefined],
      ['o1:pickup:2', 'FINISHED', 'collected'],
      // Back from the red floors through the hotel's station, disinfected there.
      [expect.stringMatching(/^o1:disinfect:\d+$/), 'FINISHED', undefined],
    ]);
    expect(driver.status().trays).toEqual([]);
  });

  it('reports a tray nobody collected as FAILED notCollected and keeps it on board', async () => {
    const { executor, idle, driver } = setup({ neverShare: 1 });
    executor.handleOrder(tripOrder('o1', [{ tray: 3, room: '102' }]));
    await idle();
    expect(executor.snapshot().actionStates.find((a) => a.actionId === 'o1:pickup:3')).toMatchObject({ actionStatus: 'FAILED', resultDescription: 'notCollected' });
    expect(driver.status().trays.map((t) => t.tray)).toEqual([3]);
  });

  it('ignores a repeat of the same orderId and orderUpdateId', async () => {
    const { executor, idle } = setup();
    const order = tripOrder('o1', [{ tray: 1, room: '101' }]);
    executor.handleOrder(order);
    expect(executor.handleOrder(structuredClone(order))).toBe('duplicate');
    await idle();
    expect(executor.snapshot().actionStates.filter((a) => a.actionId === 'o1:load')).toHaveLength(1);
  });

  it('rejects an order that does not start where the robot stands', () => {
    const { executor } = setup();
    expect(executor.handleOrder(tripOrder('o1', [{ tray: 1, room: '101' }], 'F1-w'))).toBe('rejected');
    expect(executor.snapshot().errors[0]).toMatchObject({ errorType: 'noRouteError' });
    expect(executor.busy).toBe(false);
  });

  it('rejects actions the robot cannot run, and bad action parameters, naming them', () => {
    const { executor } = setup();
    const order = tripOrder('o1', [{ tray: 1, room: '101' }]);
    order.nodes[0]!.actions.push({ actionType: 'pick', actionId: 'x', blockingType: 'HARD' });
    expect(executor.handleOrder(order)).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)).toMatchObject({ errorType: 'orderError', errorDescription: 'unsupported actionType pick' });

    const bad = tripOrder('o2', [{ tray: 1, room: '101' }]);
    bad.nodes[0]!.actions = [robotAction('waitForPickup', 'w', { tray: 1, timeoutS: 10 })];
    bad.nodes[0]!.actions[0]!.actionParameters![1]!.value = -5;
    expect(executor.handleOrder(bad)).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)?.errorDescription).toMatch(/action w: timeoutS: /);
  });

  it('rejects a new order while busy, and an older update', async () => {
    const { executor, idle } = setup();
    executor.handleOrder(tripOrder('o1', [{ tray: 1, room: '101' }]));
    expect(executor.handleOrder(tripOrder('o2', [{ tray: 1, room: '102' }]))).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)?.errorType).toBe('orderError');
    const older = { ...tripOrder('o1', [{ tray: 1, room: '101' }]), orderUpdateId: 0 };
    await idle();
    executor.handleOrder({ ...older, orderUpdateId: 2 });
    expect(executor.handleOrder({ ...older, orderUpdateId: 1 })).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)?.errorType).toBe('orderUpdateError');
  });

  it('takes an update that continues from the last base node', async () => {
    const { executor, idle } = setup();
    const first = tripOrder('o1', [{ tray: 1, room: '101' }]);
    executor.handleOrder(first);
    // The update starts at the first order's last node and goes on to the charger.
    const last = first.nodes.at(-1)!;
    const route = graph.route(last.nodeId, 'G-charger1')!;
    const update: Order = {
      ...first,
      orderUpdateId: 1,
      nodes: route.nodes.map((nodeId, i) => ({ nodeId, sequenceId: last.sequenceId + 2 * i, released: true, actions: [] })),
      edges: route.hops.map((hop, i) => ({
        edgeId: `${hop.from}--${hop.to}`,
        sequenceId: last.sequenceId + 2 * i + 1,
        released: true,
        startNodeId: hop.from,
        endNodeId: hop.to,
        length: hop.lengthM,
        actions: [],
      })),
    };
    expect(executor.handleOrder(update)).toBe('updated');
    await idle();
    expect(executor.snapshot()).toMatchObject({ orderUpdateId: 1, lastNodeId: 'G-charger1', nodeStates: [] });

    const wrongStart = { ...update, orderUpdateId: 2 };
    expect(executor.handleOrder(wrongStart)).toBe('rejected');
  });

  it('cancels a stuck robot: stops, fails what is left, takes new orders', async () => {
    const { executor, driver } = setup();
    driver.injectFault('stuck');
    executor.handleOrder(tripOrder('o1', [{ tray: 1, room: '101' }]));
    await new Promise((r) => setTimeout(r, 50));
    expect(await executor.cancel()).toBe(true);
    const state = executor.snapshot();
    expect(executor.busy).toBe(false);
    expect(state.nodeStates).toEqual([]);
    expect(state.actionStates.filter((a) => a.actionStatus !== 'FAILED').map((a) => a.actionId)).toEqual(['o1:load']);
    expect(await executor.cancel()).toBe(false);
  });

  it('pauses motion where it is and resumes from there', async () => {
    const { executor, driver, clock, idle } = setup();
    executor.handleOrder(tripOrder('o1', [{ tray: 1, room: '104' }]));
    // Wait until it drives (loading takes 10 s simulated).
    while (!executor.snapshot().driving) await new Promise((r) => setTimeout(r, 1));
    executor.setPaused(true);
    const at = driver.status().position;
    const t0 = clock.now();
    await new Promise((r) => setTimeout(r, 30));
    expect(clock.now() - t0).toBeGreaterThan(60_000);
    expect(driver.status().position).toEqual(at);
    expect(executor.snapshot().paused).toBe(true);
    executor.setPaused(false);
    await idle();
    expect(executor.snapshot().lastNodeId).toBe('G-loading');
  });

  describe('lift rides through a lift port', () => {
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
      expect(check()).toBe(true);
    };
    const ride = (executor: OrderExecutor, id: string) => executor.snapshot().actionStates.find((a) => a.actionId === id);

    it('waits at the landing with liftRide INITIALIZING until the car is granted, then rides and reports FINISHED on the far landing', async () => {
      const { executor, world, idle, clock, snapshots } = setup({ liftPort: true, record: true });
      const order = tripOrder('o1', [{ tray: 1, room: '101' }], 'G-loading', 'action');
      const action = order.edges.flatMap((e) => e.actions).find((a) => a.actionType === 'liftRide')!;
      expect(action.actionParameters).toEqual([
        { key: 'lift', value: 'A' },
        { key: 'fromLevel', value: 'G' },
        { key: 'toLevel', value: 'F1' },
      ]);
      expect(executor.handleOrder(order)).toBe('accepted');
      await until(() => ride(executor, action.actionId)?.actionStatus === 'INITIALIZING');
      const waitingSince = clock.now();
      // Ten simulated minutes later it still stands at the landing, not driving, the car untouched.
      await new Promise((r) => setTimeout(r, 150));
      expect(clock.now() - waitingSince).toBeGreaterThanOrEqual(600_000);
      expect(executor.snapshot()).toMatchObject({ lastNodeId: 'G-liftA', driving: false });
      expect(ride(executor, action.actionId)?.actionStatus).toBe('INITIALIZING');
      expect(world.lifts.occupant('A')).toBeUndefined();

      executor.grantLift(action.actionId);
      await until(() => ride(executor, action.actionId)?.actionStatus !== 'INITIALIZING');
      expect(world.lifts.occupant('A')).toBe('r1');
      // The ride back down is granted ahead: a grant that comes first is kept for its ride.
      const back = order.edges.flatMap((e) => e.actions).filter((a) => a.actionType === 'liftRide')[1]!;
      executor.grantLift(back.actionId);
      await idle();
      // The change that reports the ride FINISHED is the one that puts the robot on the far landing.
      const finished = snapshots.find((s) => s.actionStates.some((a) => a.actionId === action.actionId && a.actionStatus === 'FINISHED'));
      expect(finished?.lastNodeId).toBe('F1-liftA');
      expect(world.lifts.occupant('A')).toBeUndefined();
      expect(executor.snapshot().actionStates.every((a) => a.actionStatus === 'FINISHED')).toBe(true);
    });

    it('fails the order when the car is taken (a grant the lift cannot honour), and frees nothing it did not hold', async () => {
      const { executor, world, idle } = setup({ liftPort: true });
      const order = tripOrder('o1', [{ tray: 1, room: '101' }], 'G-loading', 'action');
      const action = order.edges.flatMap((e) => e.actions).find((a) => a.actionType === 'liftRide')!;
      expect(executor.handleOrder(order)).toBe('accepted');
      await until(() => ride(executor, action.actionId)?.actionStatus === 'INITIALIZING');
      const other = world.lifts.port('r2');
      await other.callCar('A', 'G', new AbortController().signal);
      executor.grantLift(action.actionId);
      await idle();
      expect(ride(executor, action.actionId)?.actionStatus).toBe('FAILED');
      expect(executor.snapshot().errors.at(-1)).toMatchObject({ errorLevel: 'FATAL', errorDescription: expect.stringMatching(/in use by r2/) });
      expect(world.lifts.occupant('A')).toBe('r2');
    });

    it('cancelOrder while waiting for the car fails the ride and leaves the robot at the landing', async () => {
      const { executor } = setup({ liftPort: true });
      const order = tripOrder('o1', [{ tray: 1, room: '101' }], 'G-loading', 'action');
      const action = order.edges.flatMap((e) => e.actions).find((a) => a.actionType === 'liftRide')!;
      executor.handleOrder(order);
      await until(() => ride(executor, action.actionId)?.actionStatus === 'INITIALIZING');
      expect(await executor.cancel()).toBe(true);
      expect(ride(executor, action.actionId)?.actionStatus).toBe('FAILED');
      expect(executor.snapshot().lastNodeId).toBe('G-liftA');
    });

    it('a robot without a lift port refuses liftRide, naming the action', () => {
      const { executor } = setup();
      const order = tripOrder('o1', [{ tray: 1, room: '101' }], 'G-loading', 'action');
      const ride = order.edges.flatMap((e) => e.actions).find((a) => a.actionType === 'liftRide')!;
      expect(executor.handleOrder(order)).toBe('rejected');
      expect(executor.snapshot().errors.at(-1)).toMatchObject({
        errorType: 'orderError',
        errorDescription: 'unsupported actionType liftRide',
        errorReferences: expect.arrayContaining([{ referenceKey: 'actionId', referenceValue: ride.actionId }]),
      });
    });
  });
});
