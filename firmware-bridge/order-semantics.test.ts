import { describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { SiteGraph } from '../controller/site/site-graph.js';
import { robotAction, siteSchema, type Action, type Order } from '../protocol/index.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { SimRobotDriver } from '../sim/sim-robot-driver.js';
import { SimWorld } from '../sim/world.js';
import type { DriveTarget } from './driver.js';
import { OrderExecutor } from './order-executor.js';

// VDA 5050 order semantics on the simulated robot: horizon, updates, new orders at the end of
// the last one, edge actions, route checks, cancel and pause as a conforming AGV reports them.

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 }));
const graph = new SiteGraph(site);
/** The far end of the ground floor corridor: routes to it from the loading station have several nodes. */
const END = 'G-e';

function setup() {
  const clock = new ScaledClock(5000);
  const world = new SimWorld({ site, clock, seed: 7, residents: { neverShare: 0 } });
  const driver = new SimRobotDriver(world, 'G-loading');
  const targets: DriveTarget[] = [];
  const driveTo = driver.driveTo.bind(driver);
  driver.driveTo = (target, signal) => {
    targets.push(target);
    return driveTo(target, signal);
  };
  const executor = new OrderExecutor(
    driver,
    () => {},
    () => 'en',
    'G-loading',
  );
  const idle = async () => {
    while (executor.busy) await new Promise((r) => setTimeout(r, 2));
  };
  return { clock, driver, executor, idle, targets };
}

/**
 * An order along the site's route from `from` to `to`, node sequence ids from `firstSequenceId`;
 * the last `horizon` nodes (and the edges into them) unreleased.
 */
function routeOrder(
  orderId: string,
  from: string,
  to: string,
  options: { orderUpdateId?: number; firstSequenceId?: number; horizon?: number; nodeActions?: Record<string, Action[]>; edgeActions?: Action[][] } = {},
): Order {
  const route = graph.route(from, to)!;
  const seq = options.firstSequenceId ?? 0;
  const base = route.nodes.length - (options.horizon ?? 0);
  return {
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 'r1',
    orderId,
    orderUpdateId: options.orderUpdateId ?? 0,
    nodes: route.nodes.map((nodeId, i) => ({ nodeId, sequenceId: seq + 2 * i, released: i < base, actions: options.nodeActions?.[nodeId] ?? [] })),
    edges: route.hops.map((hop, i) => ({
      edgeId: `${hop.from}--${hop.to}`,
      sequenceId: seq + 2 * i + 1,
      released: i + 1 < base,
      startNodeId: hop.from,
      endNodeId: hop.to,
      length: hop.lengthM,
      actions: options.edgeActions?.[i] ?? [],
    })),
  };
}

const announce = (actionId: string, blockingType: Action['blockingType'] = 'HARD') => robotAction('announce', actionId, { room: '101', tray: 1 }, blockingType);

describe('VDA 5050 order semantics', () => {
  it('drives the base only, keeps the horizon in state, and takes an update that starts at the last base node', async () => {
    const { executor, idle, targets } = setup();
    const order = routeOrder('h1', 'G-loading', END, { horizon: 2 });
    const lastBase = order.nodes.at(-3)!;
    expect(executor.handleOrder(order)).toBe('accepted');
    await idle();
    const held = executor.snapshot();
    expect(held.lastNodeId).toBe(lastBase.nodeId);
    expect(held.nodeStates.map((n) => [n.nodeId, n.released])).toEqual(order.nodes.slice(-2).map((n) => [n.nodeId, false]));
    expect(held.edgeStates.map((e) => e.released)).toEqual([false, false]);
    expect(targets.map((t) => t.nodeId)).not.toContain(order.nodes.at(-1)!.nodeId);

    // The standard update: the same orderId, first node = the last base node with its sequenceId.
    const update = routeOrder('h1', lastBase.nodeId, END, { orderUpdateId: 1, firstSequenceId: lastBase.sequenceId });
    expect(executor.handleOrder(update)).toBe('updated');
    await idle();
    expect(executor.snapshot()).toMatchObject({ orderUpdateId: 1, lastNodeId: END, nodeStates: [], edgeStates: [] });
  });

  it('refuses an update that does not start at the last base node, naming it', async () => {
    const { executor, idle } = setup();
    const order = routeOrder('h2', 'G-loading', END, { horizon: 2 });
    executor.handleOrder(order);
    await idle();
    const horizonNode = order.nodes.at(-1)!;
    const wrong = { ...routeOrder('h2', horizonNode.nodeId, 'G-loading', { orderUpdateId: 1, firstSequenceId: horizonNode.sequenceId }) };
    expect(executor.handleOrder(wrong)).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)).toMatchObject({ errorType: 'orderUpdateError', errorDescription: expect.stringContaining(order.nodes.at(-3)!.nodeId) });
  });

  it('takes a new orderId that starts where the last one ended: idle there, holding a horizon, or still finishing its actions there', async () => {
    const { executor, idle } = setup();
    // Idle at the end of a finished order.
    executor.handleOrder(routeOrder('a', 'G-loading', END));
    await idle();
    expect(executor.handleOrder(routeOrder('b', END, 'G-loading', { horizon: 1 }))).toBe('accepted');
    await idle();
    // Holding a horizon: the new order replaces it.
    const b = executor.snapshot();
    expect(b.nodeStates.every((n) => !n.released)).toBe(true);
    expect(executor.handleOrder(routeOrder('c', b.lastNodeId, 'G-loading', { nodeActions: { 'G-loading': [announce('c:announce')] } }))).toBe('accepted');
    // Still finishing: the last node reached, its announcement running.
    while (!executor.snapshot().actionStates.some((a) => a.actionId === 'c:announce' && a.actionStatus === 'RUNNING')) await new Promise((r) => setTimeout(r, 1));
    expect(executor.snapshot().nodeStates).toEqual([]);
    expect(executor.handleOrder(routeOrder('d', 'G-loading', END))).toBe('accepted');
    await idle();
    const d = executor.snapshot();
    expect(d).toMatchObject({ orderId: 'd', lastNodeId: END, nodeStates: [] });
    expect(d.errors).toEqual([]);
  });

  it('refuses a new orderId while base nodes are left to drive (VDA 5050 Figure 8)', () => {
    const { executor } = setup();
    executor.handleOrder(routeOrder('a', 'G-loading', END));
    expect(executor.handleOrder(routeOrder('b', END, 'G-loading'))).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)).toMatchObject({ errorType: 'orderError', errorDescription: expect.stringMatching(/busy with order a: \d+ base node/) });
  });

  it('runs edge actions as it traverses: HARD before moving, NONE while driving, and the order completes', async () => {
    const { executor, idle } = setup();
    const order = routeOrder('e', 'G-loading', END, { edgeActions: [[announce('e:hard', 'HARD'), announce('e:none', 'NONE')]] });
    executor.handleOrder(order);
    let sawNoneWhileDriving = false;
    while (executor.busy) {
      const s = executor.snapshot();
      if (s.driving && s.actionStates.find((a) => a.actionId === 'e:none')?.actionStatus === 'RUNNING') sawNoneWhileDriving = true;
      await new Promise((r) => setTimeout(r, 1));
    }
    await idle();
    expect(sawNoneWhileDriving).toBe(true);
    expect(executor.snapshot().actionStates.map((a) => [a.actionId, a.actionStatus])).toEqual([
      ['e:hard', 'FINISHED'],
      ['e:none', 'FINISHED'],
    ]);
  });

  it('refuses an order to a node not on the robot map before accepting it, naming the node', () => {
    const { executor } = setup();
    const order = routeOrder('x', 'G-loading', END);
    order.nodes.at(-1)!.nodeId = 'nowhere';
    order.edges.at(-1)!.endNodeId = 'nowhere';
    expect(executor.handleOrder(order)).toBe('rejected');
    expect(executor.busy).toBe(false);
    expect(executor.snapshot().orderId).toBe('');
    expect(executor.snapshot().errors.at(-1)).toMatchObject({
      errorType: 'noRouteError',
      errorReferences: expect.arrayContaining([
        { referenceKey: 'orderId', referenceValue: 'x' },
        { referenceKey: 'orderUpdateId', referenceValue: '0' },
        { referenceKey: 'nodeId', referenceValue: 'nowhere' },
      ]),
    });
  });

  it('refuses orders under an e-stop or out of automatic mode', () => {
    const { executor, driver } = setup();
    driver.setSafety({ eStop: 'MANUAL' });
    expect(executor.handleOrder(routeOrder('s1', 'G-loading', END))).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)?.errorReferences).toContainEqual({ referenceKey: 'safetyState.eStop', referenceValue: 'MANUAL' });
    driver.setSafety({ eStop: 'NONE' });
    driver.setOperatingMode('MANUAL');
    expect(executor.handleOrder(routeOrder('s2', 'G-loading', END))).toBe('rejected');
    expect(executor.snapshot().errors.at(-1)?.errorReferences).toContainEqual({ referenceKey: 'operatingMode', referenceValue: 'MANUAL' });
    driver.setOperatingMode('AUTOMATIC');
    expect(executor.handleOrder(routeOrder('s3', 'G-loading', END))).toBe('accepted');
  });

  it('hands the driver the whole edge: orientation, description and the end node deviation', async () => {
    const { executor, idle, targets } = setup();
    const order = routeOrder('w', 'G-loading', END);
    Object.assign(order.edges[0]!, { orientation: 1.5, orientationType: 'GLOBAL', edgeDescription: 'corridor west', rotationAllowed: false });
    order.nodes[1]!.nodePosition = { x: 0, y: 0, mapId: 'G', allowedDeviationXY: 0.3, allowedDeviationTheta: 0.2 };
    executor.handleOrder(order);
    await idle();
    expect(targets[0]).toMatchObject({
      edgeId: order.edges[0]!.edgeId,
      edge: { orientation: 1.5, orientationType: 'GLOBAL', edgeDescription: 'corridor west', rotationAllowed: false },
      position: { allowedDeviationXY: 0.3, allowedDeviationTheta: 0.2 },
    });
  });

  it('cancels without failing the cancel itself: the order actions FAILED, instant actions untouched, horizon gone', async () => {
    const { executor, driver } = setup();
    driver.injectFault('stuck');
    executor.handleOrder(routeOrder('k', 'G-loading', END, { horizon: 1, nodeActions: { [END]: [announce('k:a')] } }));
    while (!executor.snapshot().driving) await new Promise((r) => setTimeout(r, 1));
    const cancel = { actionType: 'cancelOrder', actionId: 'c1', blockingType: 'HARD' as const };
    executor.trackInstantAction(cancel, 'RUNNING');
    expect(await executor.cancel()).toBe(true);
    const s = executor.snapshot();
    expect(s.actionStates.find((a) => a.actionId === 'c1')?.actionStatus).toBe('RUNNING');
    expect(s.actionStates.find((a) => a.actionId === 'k:a')?.actionStatus).toBe('FAILED');
    expect(s.nodeStates).toEqual([]);
    expect(s.driving).toBe(false);
    expect(await executor.cancel()).toBe(false);
  });

  it('after a cancel, takes an update of the same order only from where the robot stopped (Figure 8 (8))', async () => {
    const { executor, driver, idle } = setup();
    const order = routeOrder('u', 'G-loading', END);
    driver.injectFault('stuck');
    executor.handleOrder(order);
    while (!executor.snapshot().driving) await new Promise((r) => setTimeout(r, 1));
    expect(await executor.cancel()).toBe(true);
    driver.clearFault('stuck');
    const stoppedAt = order.nodes.find((n) => n.nodeId === executor.snapshot().lastNodeId && n.sequenceId === executor.snapshot().lastNodeSequenceId)!;
    const fromOldEnd = routeOrder('u', END, 'G-loading', { orderUpdateId: 1, firstSequenceId: order.nodes.at(-1)!.sequenceId });
    expect(executor.handleOrder(fromOldEnd)).toBe('rejected');
    const fromStop = routeOrder('u', stoppedAt.nodeId, END, { orderUpdateId: 2, firstSequenceId: stoppedAt.sequenceId });
    expect(executor.handleOrder(fromStop)).toBe('updated');
    await idle();
    expect(executor.snapshot()).toMatchObject({ orderUpdateId: 2, lastNodeId: END, nodeStates: [] });
  });

  it('reports driving false while paused mid-edge, and true again after', async () => {
    const { executor } = setup();
    executor.handleOrder(routeOrder('p', 'G-loading', END));
    while (!executor.snapshot().driving) await new Promise((r) => setTimeout(r, 1));
    executor.setPaused(true);
    expect(executor.snapshot()).toMatchObject({ paused: true, driving: false });
    executor.setPaused(false);
    expect(executor.snapshot()).toMatchObject({ paused: false, driving: true });
  });
});
