import { describe, expect, it } from 'vitest';
import type { Order, State } from '../../protocol/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { orderAlong } from './order-builder.js';
import type { HeldTrip } from './order-holds.js';
import { TripNarrow } from './trip-narrow.js';

const graph = new SiteGraph(await loadSite('hotel'));

/** An order from the corridor through the hotel's tunnel to the loading station, not a trip (a charger's is sent so). */
function errandOrder(orderId: string): Order {
  return orderAlong(
    { graph, orderId, manufacturer: 'm', serialNumber: 'robot-2', headerId: 0, timestamp: '2026-11-30T08:00:00.000Z', startContaminated: false, narrowWays: 'controller' },
    'G-c6',
    [{ nodeId: 'G-loading', actions: [] }],
  );
}

/** A state of `robot` on `orderId` at the node of sequence id `at` (the rest of its order still to go). */
const stateAt = (orderId: string, nodeId: string, at: number): State =>
  ({ orderId, lastNodeId: nodeId, lastNodeSequenceId: at, nodeStates: [{ nodeId: 'G-loading', sequenceId: at + 2, released: false }], actionStates: [] }) as unknown as State;

function narrow() {
  const sent: Order[] = [];
  const ways = new TripNarrow<HeldTrip>({
    graph,
    clock: { now: () => 0 } as never,
    log: { info: () => {}, warn: () => {} },
    underway: new Map(),
    sendUpdate: async () => {},
    nextOrderHeaderId: () => 1,
  });
  return { ways, sent, send: async (update: Order) => void sent.push(update) };
}

describe('single-width ways for orders that are not trips', () => {
  it('holds a charger-like order at the tunnel while another robot is in it, and releases it by an update once the tunnel is free', async () => {
    const { ways, sent, send } = narrow();
    const order = errandOrder('charge-1');
    // The order stops at the tunnel's corridor end: the way beyond is horizon.
    expect(order.edges[0]!.released).toBe(false);
    ways.follow('robot-2', order, send);
    // robot-1 is inside the tunnel (at the disinfection station): it holds the way.
    ways.observe('robot-1', { lastNodeId: 'G-disinfect' });
    // robot-2's state still shows the order before: nothing asked, the errand kept.
    ways.observe('robot-2', { ...stateAt('before', 'G-c6', 0), nodeStates: [] } as State);
    ways.observe('robot-2', stateAt('charge-1', 'G-c6', 0));
    await Promise.resolve();
    expect(sent).toEqual([]);
    expect(ways.reservations.of('G-tunnel')).toEqual({ holders: ['robot-1'], waiting: ['robot-2'] });
    // robot-1 comes out at the loading station: the way is robot-2's.
    ways.observe('robot-1', { lastNodeId: 'G-loading' });
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ orderId: 'charge-1', orderUpdateId: 1 });
    expect(sent[0]!.edges.every((e) => e.released)).toBe(true);
  });

  it('forgets the errand once the robot runs another order, giving up its place in the queue', () => {
    const { ways, send } = narrow();
    ways.follow('robot-2', errandOrder('charge-2'), send);
    ways.observe('robot-1', { lastNodeId: 'G-disinfect' });
    ways.observe('robot-2', stateAt('charge-2', 'G-c6', 0));
    expect(ways.reservations.of('G-tunnel').waiting).toEqual(['robot-2']);
    ways.observe('robot-2', stateAt('trip-9', 'G-c6', 0));
    expect(ways.reservations.of('G-tunnel').waiting).toEqual([]);
  });

  it('sends the robot waiting on once people take a robot that died inside the tunnel out of it', async () => {
    const { ways, sent, send } = narrow();
    ways.follow('robot-2', errandOrder('charge-3'), send);
    ways.observe('robot-1', { lastNodeId: 'G-disinfect' });
    ways.observe('robot-2', stateAt('charge-3', 'G-c6', 0));
    // robot-1 reports nothing more: robot-2 waits for ever.
    ways.observe('robot-2', stateAt('charge-3', 'G-c6', 0));
    await Promise.resolve();
    expect(sent).toEqual([]);
    expect(ways.removed('robot-2', 'G-tunnel', 'G-c6')).toBe(false);
    expect(ways.removed('robot-1', 'G-tunnel', 'G-disinfect')).toBe(true);
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.edges.every((e) => e.released)).toBe(true);
    expect(ways.reservations.of('G-tunnel')).toEqual({ holders: ['robot-2'], waiting: [] });
    // Back online where it was carried to, still naming the station: it does not take the tunnel back.
    ways.observe('robot-1', { lastNodeId: 'G-disinfect' });
    expect(ways.reservations.of('G-tunnel').holders).toEqual(['robot-2']);
  });
});
