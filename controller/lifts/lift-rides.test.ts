import { describe, expect, it } from 'vitest';
import { siteSchema, type Factsheet, type Order, type State } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { buildTripOrder } from '../trips/order-builder.js';
import { releaseHold } from '../trips/order-holds.js';
import { liftEventsOf, liftRideModeOf, rideUnderWay, ridesOf } from './lift-rides.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 })));

/** A trip from the loading station to room 101 (F1) and back: two rides, up and down. */
const trip = (lifts: 'action' | 'horizon') =>
  buildTripOrder({
    graph,
    orderId: 'o1',
    manufacturer: 'm',
    serialNumber: 'r1',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'G-loading',
    stops: [{ tray: 1, room: '101' }],
    pickupTimeoutS: 120,
    lifts,
  });

/** A state of robot r1 on `order`, standing on node index `at`, with the rest of the order still to go. */
function stateOn(order: Order, at: number, actions: State['actionStates'] = []): State {
  return {
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 'r1',
    orderId: order.orderId,
    orderUpdateId: order.orderUpdateId,
    lastNodeId: order.nodes[at]!.nodeId,
    lastNodeSequenceId: order.nodes[at]!.sequenceId,
    nodeStates: order.nodes.slice(at + 1).map((n) => ({ nodeId: n.nodeId, sequenceId: n.sequenceId, released: n.released })),
    edgeStates: order.edges.slice(at).map((e) => ({ edgeId: e.edgeId, sequenceId: e.sequenceId, released: e.released })),
    actionStates: actions,
    driving: false,
    operatingMode: 'AUTOMATIC',
    errors: [],
    batteryState: { batteryCharge: 90, charging: false },
    safetyState: { eStop: 'NONE', fieldViolation: false },
  } as State;
}

describe('lift rides in orders', () => {
  it('finds each ride with its car and levels', () => {
    const rides = ridesOf(graph, trip('horizon'));
    expect(rides.map((r) => [r.lift, r.fromNodeId, r.toNodeId, r.fromLevel, r.toLevel])).toEqual([
      ['A', 'G-liftA', 'F1-liftA', 'G', 'F1'],
      ['A', 'F1-liftA', 'G-liftA', 'F1', 'G'],
    ]);
    expect(rides[0]!.session).toBe(`o1:lift:${rides[0]!.edgeSequenceId}`);
  });

  it('action mode: every edge released, each ride carries liftRide whose actionId is the session', () => {
    const order = trip('action');
    expect([...order.nodes, ...order.edges].every((x) => x.released)).toBe(true);
    for (const ride of ridesOf(graph, order)) {
      expect(order.edges[ride.edgeIndex]!.actions).toEqual([
        {
          actionType: 'liftRide',
          actionId: ride.session,
          blockingType: 'HARD',
          actionParameters: [
            { key: 'lift', value: ride.lift },
            { key: 'fromLevel', value: ride.fromLevel },
            { key: 'toLevel', value: ride.toLevel },
          ],
        },
      ]);
    }
  });

  it('horizon mode: the base ends on the first ride’s landing; granting it releases up to the next ride’s landing, as an update from the landing', () => {
    const order = trip('horizon');
    const [up, down] = ridesOf(graph, order);
    expect(order.nodes.filter((n) => n.released).at(-1)!.nodeId).toBe('G-liftA');
    expect(order.edges.filter((e) => e.released)).toHaveLength(up!.edgeIndex);
    const { order: released, update } = releaseHold(graph, order, up!.edgeIndex, { headerId: 7, timestamp: 'T' });
    expect(update).toMatchObject({ orderId: 'o1', orderUpdateId: 1, headerId: 7, timestamp: 'T' });
    expect(update.nodes[0]).toMatchObject({ nodeId: 'G-liftA', sequenceId: up!.edgeSequenceId - 1, released: true, actions: [] });
    expect(update.edges[0]).toMatchObject({ sequenceId: up!.edgeSequenceId, released: true });
    // Released up to the landing of the ride down, which stays in the horizon.
    expect(update.nodes.filter((n) => n.released).at(-1)!.nodeId).toBe('F1-liftA');
    expect(update.edges.find((e) => e.sequenceId === down!.edgeSequenceId)!.released).toBe(false);
    // The whole order as now sent: the same nodes, the new flags, the new orderUpdateId.
    expect(released.nodes.map((n) => n.nodeId)).toEqual(order.nodes.map((n) => n.nodeId));
    expect(released.orderUpdateId).toBe(1);
    const last = releaseHold(graph, released, down!.edgeIndex, { headerId: 8, timestamp: 'T' });
    expect([...last.order.nodes, ...last.order.edges].every((x) => x.released)).toBe(true);
  });

  it('horizon mode: asks for the car standing on the landing with the ride unreleased, rides once released, ends past the far landing', () => {
    const order = trip('horizon');
    const [up] = ridesOf(graph, order);
    const landing = up!.edgeIndex;
    expect(liftEventsOf(graph, 'r1', order, stateOn(order, landing - 1), 0)).toEqual([]);
    expect(liftEventsOf(graph, 'r1', order, stateOn(order, landing), 5)).toEqual([
      { type: 'request', request: { session: up!.session, robot: 'r1', lift: 'A', fromLevel: 'G', toLevel: 'F1', since: 5 } },
    ]);
    const { order: released } = releaseHold(graph, order, up!.edgeIndex, { headerId: 1, timestamp: 'T' });
    expect(liftEventsOf(graph, 'r1', released, stateOn(released, landing), 6).map((e) => e.type)).toEqual(['riding']);
    expect(liftEventsOf(graph, 'r1', released, stateOn(released, landing + 1), 7)).toEqual([{ type: 'ended', session: up!.session }]);
    // Another order's state says nothing about this one's rides.
    expect(liftEventsOf(graph, 'r1', order, { ...stateOn(order, landing), orderId: 'o2' }, 8)).toEqual([]);
  });

  it('action mode: INITIALIZING asks, RUNNING rides, FINISHED or FAILED ends', () => {
    const order = trip('action');
    const [up] = ridesOf(graph, order);
    const at = (actionStatus: State['actionStates'][number]['actionStatus']) =>
      liftEventsOf(graph, 'r1', order, stateOn(order, up!.edgeIndex, [{ actionId: up!.session, actionType: 'liftRide', actionStatus }]), 0).map((e) => e.type);
    expect(at('WAITING')).toEqual([]);
    expect(at('INITIALIZING')).toEqual(['request']);
    expect(at('RUNNING')).toEqual(['riding']);
    expect(at('FINISHED')).toEqual(['ended']);
    expect(at('FAILED')).toEqual(['ended']);
  });

  it('a ride is under way until the robot is past it, its action ended, or it is on another order', () => {
    const order = trip('horizon');
    const [up] = ridesOf(graph, order);
    expect(rideUnderWay(stateOn(order, up!.edgeIndex), up!.session)).toBe(true);
    expect(rideUnderWay(stateOn(order, up!.edgeIndex + 1), up!.session)).toBe(false);
    expect(rideUnderWay({ ...stateOn(order, up!.edgeIndex), edgeStates: [], nodeStates: [] }, up!.session)).toBe(false);
    expect(rideUnderWay({ ...stateOn(order, up!.edgeIndex), orderId: 'o2' }, up!.session)).toBe(false);
    const failed = stateOn(order, up!.edgeIndex, [{ actionId: up!.session, actionType: 'liftRide', actionStatus: 'FAILED' }]);
    expect(rideUnderWay(failed, up!.session)).toBe(false);
  });

  it('grants by liftRide only a robot that lists liftRide (EDGE) and liftGranted (INSTANT)', () => {
    const factsheet = (agvActions: { actionType: string; actionScopes: ('EDGE' | 'INSTANT' | 'NODE')[] }[]) => ({ protocolFeatures: { agvActions } }) as unknown as Factsheet;
    expect(liftRideModeOf(undefined)).toBe('horizon');
    expect(liftRideModeOf(factsheet([{ actionType: 'liftRide', actionScopes: ['EDGE'] }]))).toBe('horizon');
    expect(
      liftRideModeOf(
        factsheet([
          { actionType: 'liftRide', actionScopes: ['NODE'] },
          { actionType: 'liftGranted', actionScopes: ['INSTANT'] },
        ]),
      ),
    ).toBe('horizon');
    expect(
      liftRideModeOf(
        factsheet([
          { actionType: 'liftRide', actionScopes: ['EDGE'] },
          { actionType: 'liftGranted', actionScopes: ['INSTANT'] },
        ]),
      ),
    ).toBe('action');
  });
});
