import { describe, expect, it } from 'vitest';
import { siteSchema, type Action, type Order, type State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { LiftSessionManager, ridesOf } from '../lifts/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { buildTripOrder } from './order-builder.js';
import { TripLifts } from './trip-lifts.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 })));
const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} } as never;

interface FakeTrip {
  order: Order;
  reconcilePending?: boolean;
}

const orderFor = (orderId: string, lifts: 'action' | 'horizon') =>
  buildTripOrder({
    graph,
    orderId,
    manufacturer: 'm',
    serialNumber: 'r',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'G-loading',
    stops: [{ tray: 1, room: '101' }],
    pickupTimeoutS: 120,
    lifts,
  });

/** A state on `order` standing on the first ride's landing, with the ride action (if any) in `status`. */
function atFirstLanding(order: Order, status?: State['actionStates'][number]['actionStatus']): State {
  const ride = ridesOf(graph, order)[0]!;
  const at = ride.edgeIndex;
  return {
    orderId: order.orderId,
    lastNodeId: order.nodes[at]!.nodeId,
    lastNodeSequenceId: order.nodes[at]!.sequenceId,
    nodeStates: order.nodes.slice(at + 1).map((n) => ({ nodeId: n.nodeId, sequenceId: n.sequenceId, released: n.released })),
    edgeStates: order.edges.slice(at).map((e) => ({ edgeId: e.edgeId, sequenceId: e.sequenceId, released: e.released })),
    actionStates: status ? [{ actionId: ride.session, actionType: 'liftRide', actionStatus: status }] : [],
  } as unknown as State;
}

function setup(online: Record<string, boolean>) {
  const lifts = new LiftSessionManager({ clock, log: { info: () => {}, warn: () => {} } });
  const underway = new Map<string, Set<FakeTrip>>();
  const sent: { robot: string; action?: Action; update?: Order }[] = [];
  const tripLifts = new TripLifts<FakeTrip>({
    lifts,
    graph,
    clock,
    fleet: { get: (robot: string) => ({ online: online[robot] ?? false }) } as unknown as FleetRegistry,
    underway,
    instantAction: async (robot, action) => void sent.push({ robot, action }),
    nextOrderHeaderId: () => 1,
    sendUpdate: async (trip, order, update) => {
      trip.order = order;
      sent.push({ robot: update.serialNumber, update });
    },
  });
  const onTrip = (robot: string, trip: FakeTrip) => underway.set(robot, new Set([trip]));
  return { lifts, tripLifts, sent, onTrip };
}

describe('trips and lift sessions', () => {
  it('grants by liftGranted naming the ride, once the robot asks at the landing', async () => {
    const { tripLifts, sent, onTrip, lifts } = setup({ r1: true });
    const trip = { order: orderFor('o1', 'action') };
    onTrip('r1', trip);
    tripLifts.onTripState('r1', trip, atFirstLanding(trip.order, 'INITIALIZING'));
    await Promise.resolve();
    const session = ridesOf(graph, trip.order)[0]!.session;
    expect(sent).toEqual([
      { robot: 'r1', action: { actionType: 'liftGranted', actionId: `${session}:granted`, blockingType: 'NONE', actionParameters: [{ key: 'session', value: session }] } },
    ]);
    expect(lifts.view()[0]?.holder).toMatchObject({ robot: 'r1', session });
  });

  it('grants by an order update releasing the ride for a robot held by the horizon, and keeps the released order as the trip’s', async () => {
    const { tripLifts, sent, onTrip } = setup({ r1: true });
    const trip = { order: orderFor('o1', 'horizon') };
    onTrip('r1', trip);
    tripLifts.onTripState('r1', trip, atFirstLanding(trip.order));
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.update).toMatchObject({ orderId: 'o1', orderUpdateId: 1 });
    expect(sent[0]!.update!.nodes[0]!.nodeId).toBe('G-liftA');
    expect(trip.order.orderUpdateId).toBe(1);
    expect(trip.order.edges[ridesOf(graph, trip.order)[0]!.edgeIndex]!.released).toBe(true);
  });

  it('after a restart, grants nothing until every online robot on a trip has reported: the one not heard from may be riding', async () => {
    const { tripLifts, sent, onTrip, lifts } = setup({ r1: true, r2: true });
    const waiting = { order: orderFor('o1', 'action') };
    const riding: FakeTrip = { order: orderFor('o2', 'action'), reconcilePending: true };
    onTrip('r1', waiting);
    onTrip('r2', riding);
    tripLifts.onTripState('r1', waiting, atFirstLanding(waiting.order, 'INITIALIZING'));
    await Promise.resolve();
    expect(sent).toEqual([]);
    expect(lifts.view()).toEqual([]);
    // r2 reports (the trip manager reconciles it first): it is in the car.
    riding.reconcilePending = undefined;
    tripLifts.onTripState('r2', riding, atFirstLanding(riding.order, 'RUNNING'));
    await Promise.resolve();
    expect(lifts.view()).toMatchObject([{ holder: { robot: 'r2', aboard: true }, queue: [{ robot: 'r1' }] }]);
    expect(sent).toEqual([]);
    tripLifts.onTripState('r2', riding, atFirstLanding(riding.order, 'FINISHED'));
    await Promise.resolve();
    expect(sent.map((s) => [s.robot, s.action?.actionType])).toEqual([['r1', 'liftGranted']]);
  });

  it('does not wait for a robot on a trip that is offline', async () => {
    const { tripLifts, sent, onTrip } = setup({ r1: true, r2: false });
    const waiting = { order: orderFor('o1', 'action') };
    onTrip('r1', waiting);
    onTrip('r2', { order: orderFor('o2', 'action'), reconcilePending: true });
    tripLifts.onTripState('r1', waiting, atFirstLanding(waiting.order, 'INITIALIZING'));
    await Promise.resolve();
    expect(sent.map((s) => s.robot)).toEqual(['r1']);
  });

  it('ends a granted session no trip under way knows any more', async () => {
    const { lifts, sent } = setup({ r1: true });
    lifts.apply({ type: 'request', request: { session: 'gone:lift:3', robot: 'r1', lift: 'A', fromLevel: 'G', toLevel: 'F1', since: 0 } });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([]);
    expect(lifts.view()).toEqual([]);
  });
});
