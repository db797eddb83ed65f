import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingType,
  MasterController,
  Topic,
  type Action as LibAction,
  type ActionState as LibActionState,
  type AgvId,
  type Error as LibError,
  type Factsheet as LibFactsheet,
  type Order as LibOrder,
  type State as LibState,
} from 'vda-5050-lib';
import { generateHotel } from '../../controller/site/hotel-generator.js';
import { SiteGraph } from '../../controller/site/site-graph.js';
import { brokerForTests, uniqueManufacturer } from '../../controller/transport/test-broker.js';
import { robotAction, siteSchema, type VdaVersion } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimRobotDriver } from '../../sim/sim-robot-driver.js';
import { SimWorld } from '../../sim/world.js';
import { RobotAgent } from '../robot-agent.js';

/*
 * Interoperability: vda-5050-lib 1.4.0 from the npm registry (coatyio, VDA 5050 2.0.0) as an
 * independent master, its MasterController driving one isofleet bridge on the simulated robot
 * through a real broker (embedded aedes, or Mosquitto at MQTT_URL in CI). Each test is one case
 * of what a conforming AGV must publish. The library connects with random client ids, so the
 * broker here has no client-id rule (brokerForTests has no logins). It publishes orders with
 * QoS 0, which no broker queues for a device that is offline: the restart case (QoS 1 orders
 * queued for the bridge's persistent session) is covered in robot-agent-vda.integration.test.ts.
 */

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 }));
const graph = new SiteGraph(site);
const END = 'G-e';

interface Processed {
  error?: LibError;
  byCancelation: boolean;
  active: boolean;
  state: LibState;
}

describe('vda-5050-lib 1.4.0 MasterController driving an isofleet bridge', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let master: MasterController;
  let agent: RobotAgent;
  let driver: SimRobotDriver;
  let agv: AgvId;
  let states: LibState[];
  const last = () => states.at(-1);

  async function startBridge(vdaVersion: VdaVersion, world: { announceS?: number } = {}) {
    const clock = new ScaledClock(2000);
    driver = new SimRobotDriver(new SimWorld({ site, clock, seed: 1, residents: { neverShare: 0 }, ...world }), 'G-loading');
    agent = new RobotAgent({ mqttUrl: broker.url, vehicle: agv, driver, clock, startNodeId: 'G-loading', vdaVersion });
    await agent.start();
  }

  beforeEach(async () => {
    broker = await brokerForTests();
    agv = { manufacturer: uniqueManufacturer('interop'), serialNumber: 'agv1' };
    states = [];
    master = new MasterController({ interfaceName: 'uagv', transport: { brokerUrl: broker.url }, vdaVersion: '2.0.0' }, { targetAgvs: { manufacturer: agv.manufacturer } });
    await master.start();
    // The library validates every state against its 2.0 schemas and drops what fails: a state
    // seen here is one it accepted.
    await master.subscribe(Topic.State, agv, (state) => states.push(state));
  });

  afterEach(async () => {
    await agent.stop();
    await master.stop();
    await broker.close();
  });

  /** Assigns an order; resolves once the library says it was processed (or refused). */
  function assign(order: LibOrder, traversed: string[] = [], actions: LibActionState[] = []): Promise<Processed> {
    return new Promise((resolve, reject) => {
      master
        .assignOrder(agv, order, {
          onOrderProcessed: (error, byCancelation, active, { state }) => resolve({ error, byCancelation, active, state }),
          onNodeTraversed: (node) => traversed.push(node.nodeId),
          onActionStateChanged: (actionState) => actions.push(actionState),
        })
        .catch(reject);
    });
  }

  /** Initiates instant actions; collects every state change the library reports for them. */
  function instant(actions: LibAction[]): { changes: LibActionState[]; ended: Promise<void> } {
    const changes: LibActionState[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      master
        .initiateInstantActions(
          agv,
          { instantActions: actions },
          {
            onActionStateChanged: (actionState) => {
              changes.push(actionState);
              if (actionState.actionStatus === 'FINISHED' || actionState.actionStatus === 'FAILED') resolve();
            },
            onActionError: (error) => reject(new Error(`instant action error ${JSON.stringify(error)}`)),
          },
        )
        .catch(reject);
    });
    return { changes, ended };
  }

  it('starts in 2.0.0 when configured so: the library takes its state', async () => {
    await startBridge('2.0.0');
    await waitFor(() => states.length > 0, 5000, 'a state the library accepted');
    expect(last()).toMatchObject({ version: '2.0.0', lastNodeId: 'G-loading', driving: false });
  });

  it('answers in 2.0.0 a bridge started in 2.1.0 once the library speaks to it', async () => {
    await startBridge('2.1.0');
    // The library drops every 2.1.0 message; its first instant action (2.0.0, under
    // "instantActions") switches the bridge to its version.
    const { changes, ended } = instant([{ actionType: 'stateRequest', actionId: 'sr1', blockingType: BlockingType.None }]);
    await ended;
    expect(changes.at(-1)?.actionStatus).toBe('FINISHED');
    expect(last()?.version).toBe('2.0.0');
  });

  it('drives the base only and keeps the horizon; an update from the last base node completes the order', async () => {
    await startBridge('2.0.0');
    const order = routeOrder('h1', 'G-loading', END, { horizon: 2 });
    const lastBase = order.nodes.at(-3)!;
    const first = await assign(order);
    expect(first.error).toBeUndefined();
    expect(first.active).toBe(true);
    expect(first.state.lastNodeId).toBe(lastBase.nodeId);
    expect(first.state.nodeStates.map((n) => [n.nodeId, n.released])).toEqual(order.nodes.slice(-2).map((n) => [n.nodeId, false]));
    expect(first.state.driving).toBe(false);

    const update = await assign(routeOrder('h1', lastBase.nodeId, END, { orderUpdateId: 1, firstSequenceId: lastBase.sequenceId }));
    expect(update.error).toBeUndefined();
    expect(update.active).toBe(false);
    expect(update.state).toMatchObject({ orderId: 'h1', orderUpdateId: 1, lastNodeId: END, nodeStates: [], edgeStates: [] });
  });

  it('takes a new orderId that starts where the last order ended, idle there or still finishing there', async () => {
    // Announcements of 10 simulated minutes (0.3 s here) leave time to send an order meanwhile.
    await startBridge('2.0.0', { announceS: 600 });
    expect((await assign(routeOrder('a', 'G-loading', END))).error).toBeUndefined();
    // Idle at the end of "a".
    void assign(routeOrder('b', END, 'G-loading', { nodeActions: { 'G-loading': [announce('b:announce')] } }));
    // Still finishing "b": its last node reached, its announcement running.
    await waitFor(
      () => last()?.orderId === 'b' && last()!.nodeStates.length === 0 && last()!.actionStates.some((s) => s.actionId === 'b:announce' && s.actionStatus === 'RUNNING'),
      10_000,
      'b finishing',
    );
    const c = await assign(routeOrder('c', 'G-loading', END));
    expect(c.error).toBeUndefined();
    expect(c.state).toMatchObject({ orderId: 'c', lastNodeId: END, nodeStates: [] });
    // What "b" still had to do at its last node was done first, not cut short.
    expect(c.state.actionStates.find((s) => s.actionId === 'b:announce')?.actionStatus).toBe('FINISHED');
    expect(last()!.errors).toEqual([]);
  });

  it('reports cancelOrder RUNNING then FINISHED, never FAILED; the order ends by cancelation with its actions FAILED', async () => {
    await startBridge('2.0.0');
    driver.injectFault('stuck');
    const order = routeOrder('k', 'G-loading', END, { nodeActions: { [END]: [announce('k:announce')] } });
    const processed = assign(order);
    await waitFor(() => last()?.driving === true, 5000, 'driving');
    const { changes, ended } = instant([{ actionType: 'cancelOrder', actionId: 'cancel-1', blockingType: BlockingType.Hard }]);
    await ended;
    expect(changes.map((c) => c.actionStatus)).not.toContain('FAILED');
    expect(changes.at(-1)?.actionStatus).toBe('FINISHED');
    const result = await processed;
    expect(result.byCancelation).toBe(true);
    expect(result.error).toBeUndefined();
    expect(last()!.actionStates.find((s) => s.actionId === 'k:announce')?.actionStatus).toBe('FAILED');
    expect(last()!.driving).toBe(false);
  });

  it('answers factsheetRequest with a factsheet the library accepts, the action FINISHED', async () => {
    await startBridge('2.0.0');
    const factsheets: LibFactsheet[] = [];
    await master.subscribe(Topic.Factsheet, agv, (factsheet) => factsheets.push(factsheet));
    await waitFor(() => factsheets.length === 1, 5000, 'the retained factsheet');
    const { changes, ended } = instant([{ actionType: 'factsheetRequest', actionId: 'fs-1', blockingType: BlockingType.None }]);
    await ended;
    expect(changes.at(-1)?.actionStatus).toBe('FINISHED');
    await waitFor(() => factsheets.length === 2, 5000, 'the requested factsheet');
    expect(factsheets[1]).toMatchObject({ version: '2.0.0', physicalParameters: { heightMin: expect.any(Number) } });
    expect(factsheets[1]!.protocolFeatures!.agvActions.map((a) => a.actionType)).toContain('factsheetRequest');
  });

  it('runs an action on an edge while traversing it, and the order completes', async () => {
    await startBridge('2.0.0');
    const actions: LibActionState[] = [];
    const order = routeOrder('e', 'G-loading', END, { edgeActions: { 0: [announce('e:on-edge', BlockingType.None)] } });
    const result = await assign(order, [], actions);
    expect(result.error).toBeUndefined();
    expect(result.active).toBe(false);
    expect(
      actions
        .filter((a) => a.actionId === 'e:on-edge')
        .map((a) => a.actionStatus)
        .slice(-2),
    ).toEqual(['RUNNING', 'FINISHED']);
    // It ran while the robot drove the edge, not at a node: the edge's end was reached after it started.
    const started = states.findIndex((s) => s.actionStates.some((a) => a.actionId === 'e:on-edge' && a.actionStatus === 'RUNNING'));
    expect(states[started]!.lastNodeId).toBe('G-loading');
  });

  it('refuses an order to a node not on the robot map up front, with a noRouteError naming the node', async () => {
    await startBridge('2.0.0');
    const order = routeOrder('x', 'G-loading', END);
    order.nodes.at(-1)!.nodeId = 'not-on-map';
    order.edges.at(-1)!.endNodeId = 'not-on-map';
    const result = await assign(order);
    expect(result.error).toMatchObject({ errorType: 'noRouteError', errorLevel: 'WARNING' });
    expect(result.error!.errorReferences).toContainEqual({ referenceKey: 'nodeId', referenceValue: 'not-on-map' });
    expect(result.state.orderId).toBe('');
    expect(result.state.driving).toBe(false);
  });

  it('reports what the robot says of itself and refuses orders under its e-stop, the library told why', async () => {
    await startBridge('2.0.0');
    driver.setSafety({ eStop: 'MANUAL' });
    driver.raiseError({ errorType: 'bumperPressed', errorLevel: 'WARNING', errorDescription: 'front bumper' });
    await waitFor(() => last()?.safetyState.eStop === 'MANUAL' && last()!.errors.some((e) => e.errorType === 'bumperPressed'), 5000, 'e-stop in state');
    const refused = await assign(routeOrder('estop', 'G-loading', END));
    expect(refused.error).toMatchObject({ errorType: 'orderError', errorReferences: expect.arrayContaining([{ referenceKey: 'safetyState.eStop', referenceValue: 'MANUAL' }]) });
    driver.setSafety({ eStop: 'NONE' });
    driver.clearError('bumperPressed');
    await waitFor(() => last()?.safetyState.eStop === 'NONE' && !last()!.errors.some((e) => e.errorType === 'bumperPressed'), 5000, 'released');
    expect((await assign(routeOrder('after-estop', 'G-loading', END))).error).toBeUndefined();
  });

  it('says driving: false and paused: true while paused mid-edge', async () => {
    await startBridge('2.0.0');
    driver.injectFault('stuck');
    void assign(routeOrder('p', 'G-loading', END));
    await waitFor(() => last()?.driving === true, 5000, 'driving');
    await instant([{ actionType: 'startPause', actionId: 'pause-1', blockingType: BlockingType.Hard }]).ended;
    await waitFor(() => last()?.paused === true, 5000, 'paused');
    expect(last()!.driving).toBe(false);
    await instant([{ actionType: 'stopPause', actionId: 'pause-2', blockingType: BlockingType.Hard }]).ended;
    await waitFor(() => last()?.paused === false, 5000, 'resumed');
    expect(last()!.driving).toBe(true);
  });
});

/** Our announce action, as the library types an action (its parameter values are never objects in 2.0). */
const announce = (actionId: string, blockingType = BlockingType.Hard): LibAction => ({ ...robotAction('announce', actionId, { room: '101', tray: 1 }), blockingType }) as LibAction;

/** An order along the site's route, the last `horizon` nodes unreleased, with node positions (the library's virtual AGV needs them; ours checks their maps). */
function routeOrder(
  orderId: string,
  from: string,
  to: string,
  options: { orderUpdateId?: number; firstSequenceId?: number; horizon?: number; nodeActions?: Record<string, LibAction[]>; edgeActions?: Record<number, LibAction[]> } = {},
): LibOrder {
  const route = graph.route(from, to)!;
  const seq = options.firstSequenceId ?? 0;
  const base = route.nodes.length - (options.horizon ?? 0);
  const position = (id: string) => {
    const node = site.nodes.find((n) => n.id === id)!;
    return { x: node.x, y: node.y, mapId: node.level };
  };
  return {
    orderId,
    orderUpdateId: options.orderUpdateId ?? 0,
    nodes: route.nodes.map((nodeId, i) => ({ nodeId, sequenceId: seq + 2 * i, released: i < base, nodePosition: position(nodeId), actions: options.nodeActions?.[nodeId] ?? [] })),
    edges: route.hops.map((hop, i) => ({
      edgeId: `${hop.from}--${hop.to}`,
      sequenceId: seq + 2 * i + 1,
      released: i + 1 < base,
      startNodeId: hop.from,
      endNodeId: hop.to,
      length: hop.lengthM,
      actions: options.edgeActions?.[i] ?? [],
    })),
  } as LibOrder;
}
