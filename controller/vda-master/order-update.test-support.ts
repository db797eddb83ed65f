import type { Order, State } from '../../protocol/index.js';

/** Update 3 of trip-1, from F2-c7 where robot-2 waits for it, into the way to R208. */
export const update = {
  headerId: 7,
  timestamp: '2026-11-30T08:00:00.000Z',
  version: '2.1.0',
  manufacturer: 'isofleet',
  serialNumber: 'robot-2',
  orderId: 'trip-1',
  orderUpdateId: 3,
  nodes: [
    { nodeId: 'F2-c7', sequenceId: 38, released: true, actions: [] },
    { nodeId: 'R208', sequenceId: 40, released: true, actions: [] },
  ],
  edges: [{ edgeId: 'F2-c7--R208', sequenceId: 39, released: true, startNodeId: 'F2-c7', endNodeId: 'R208', actions: [] }],
} as unknown as Order;
/** robot-2 standing at F2-c7 on update 2, its horizon left: it waits for update 3. */
export const waiting = {
  orderId: 'trip-1',
  orderUpdateId: 2,
  lastNodeId: 'F2-c7',
  lastNodeSequenceId: 38,
  driving: false,
  nodeStates: [{ nodeId: 'R208', sequenceId: 40, released: false }],
  actionStates: [],
  errors: [],
} as unknown as State;
