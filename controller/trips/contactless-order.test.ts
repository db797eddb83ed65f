import { describe, expect, it } from 'vitest';
import { orderSchema, type Order } from '../../protocol/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { approachOrderId, buildContactlessOrders } from './contactless-order.js';

describe('buildContactlessOrders', async () => {
  const graph = new SiteGraph(await loadSite('hotel'));
  graph.precomputeRooms();
  const input = {
    graph,
    orderId: 'trip-x',
    manufacturer: 'acme',
    serialNumber: 'agv-1',
    headerId: 4,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'G-charger1',
    stops: [
      { tray: 1, room: '103' },
      { tray: 2, room: '207' },
      { tray: 3, room: '208' },
    ],
    pickupTimeoutS: 120,
  };
  /** Where each action is, in order: `type@node`. */
  const actions = (order: Order) => order.nodes.flatMap((n) => n.actions.map((a) => `${a.actionType}@${n.nodeId}`));

  it('approaches the station with nothing to do, then picks each leg’s loads there and drops each at its door', () => {
    const { approach, delivery } = buildContactlessOrders(input, { kind: 'contactless', loadsPerLeg: 2, initPositionAfterLift: false });
    expect(approach.orderId).toBe(approachOrderId('trip-x'));
    expect(approach.nodes[0]!.nodeId).toBe('G-charger1');
    expect(approach.nodes.at(-1)!.nodeId).toBe('G-loading');
    expect(actions(approach)).toEqual([]);
    expect(delivery.nodes[0]!.nodeId).toBe('G-loading');
    expect(delivery.nodes.at(-1)!.nodeId).toBe('G-loading');
    // Each leg back from the red floors stops at the station to be disinfected.
    expect(actions(delivery)).toEqual(['pick@G-loading', 'pick@G-loading', 'drop@R103', 'drop@R207', 'disinfect@G-disinfect', 'pick@G-loading', 'drop@R208', 'disinfect@G-disinfect']);
    for (const order of [approach, delivery]) expect(orderSchema.safeParse(order).success).toBe(true);
    // Every node carries its position on its own level's map.
    for (const node of delivery.nodes) expect(node.nodePosition?.mapId).toBe(graph.node(node.nodeId).level);
  });

  it('names loads by tray in action ids, sends the standard parameters, and tells a robot its map after each lift ride', () => {
    const { delivery } = buildContactlessOrders(input, { kind: 'contactless', loadsPerLeg: 1, loadType: 'EPAL', initPositionAfterLift: true });
    const drop = delivery.nodes.flatMap((n) => n.actions).find((a) => a.actionId === 'trip-x:drop:2')!;
    expect(drop.actionParameters).toEqual([
      { key: 'stationType', value: 'floor' },
      { key: 'stationName', value: 'R207' },
      { key: 'loadType', value: 'EPAL' },
    ]);
    const liftEdges = delivery.edges.filter((e) => e.edgeDescription?.startsWith('lift'));
    expect(liftEdges.length).toBeGreaterThan(0);
    for (const edge of liftEdges) {
      const landing = delivery.nodes.find((n) => n.sequenceId === edge.sequenceId + 1)!;
      const init = landing.actions.find((a) => a.actionType === 'initPosition')!;
      const value = (key: string) => init.actionParameters!.find((p) => p.key === key)!.value;
      expect([value('mapId'), value('lastNodeId')]).toEqual([graph.node(landing.nodeId).level, landing.nodeId]);
    }
  });
});
