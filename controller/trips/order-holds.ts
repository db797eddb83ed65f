import { disinfectionAt, type DisinfectionStation, type Order, type State } from '../../protocol/index.js';
import { ridesOf, type OrderRide } from '../lifts/index.js';
import type { SiteGraph } from '../site/index.js';
import type { Logger } from '../../common/index.js';
import type { Clock } from '../../protocol/index.js';
import { narrowWaysOf } from '../traffic/narrow-ways.js';

/**
 * `nodeDescription` that marks a disinfection station where the controller holds a robot that
 * cannot run `disinfect` itself (see {@link OrderHold}), followed by the method and duration.
 */
export const DISINFECTION_HOLD = 'disinfection hold';

/** `edgeDescription` of an edge through a door the controller opens for the robot, followed by the door's id. */
export const DOOR_HOLD = 'door opened by the controller: ';

/**
 * `edgeDescription` of the edge that enters a single-width way the controller reserves for the
 * robot, followed by the way's id. On an edge through a door too (a room's door spur), both
 * are given, the way first, joined by {@link HOLD_SEPARATOR}: the way is granted, then the door opened.
 */
export const NARROW_HOLD = 'single-width way reserved by the controller: ';

/** Between two holds' descriptions on one edge. */
export const HOLD_SEPARATOR = '; ';

/** The holds' descriptions an edge carries (see {@link DOOR_HOLD}, {@link NARROW_HOLD}). */
const descriptions = (edge: { edgeDescription?: string }) => edge.edgeDescription?.split(HOLD_SEPARATOR) ?? [];

/** The `nodeDescription` for a held disinfection station: `disinfection hold: spray 15 s`. */
export const disinfectionHoldDescription = (station: DisinfectionStation) => `${DISINFECTION_HOLD}: ${station.method} ${station.durationS} s`;

/**
 * Where an order's base ends until the controller releases what follows (VDA 5050 2.1, 6.6:
 * base and horizon, order updates). `edgeIndex` is the first held edge, so the robot waits on
 * node `edgeIndex` (the start of that edge):
 * - `lift`: a lift ride held in the horizon (`lifts: 'horizon'`), released once the car is granted;
 * - `disinfect`: a disinfection station where a robot without `disinfect` must stand for the
 *   station's `durationS` (the station, or a person, disinfects it), released once that has passed;
 * - `door`: a lane through a site door the controller opens for the robot (its edge described
 *   {@link DOOR_HOLD}), released once the door reports open;
 * - `narrow`: the first lane of a single-width way (see `laneSchema.way`; its edge described
 *   {@link NARROW_HOLD}), entered at node `edgeIndex` (one of the way's ends) and left at `exit`
 *   (where the order leaves the way), released once the controller grants the robot the way
 *   (`TripNarrow`).
 */
export type OrderHold =
  | { kind: 'lift'; edgeIndex: number; ride: OrderRide }
  | { kind: 'door'; edgeIndex: number; door: string }
  | { kind: 'narrow'; edgeIndex: number; way: string; entry: string; exit: string }
  | ({ kind: 'disinfect'; edgeIndex: number; nodeId: string; sequenceId: number } & DisinfectionStation);

/**
 * The holds of an order, in order: rides with no `liftRide` action (held in the horizon), edges
 * through doors marked {@link DOOR_HOLD}, entries into single-width ways marked {@link NARROW_HOLD}, and stations marked {@link DISINFECTION_HOLD} with an edge after them (a station where the order
 * ends holds the robot anyway; its next order starts with the hold). `liftRides` false: no ride
 * is held (an order whose robot calls the cars itself).
 */
export function holdsOf(graph: SiteGraph, order: Order, liftRides = true): OrderHold[] {
  const holds: OrderHold[] = ridesOf(graph, order)
    .filter((ride) => liftRides && !order.edges[ride.edgeIndex]!.actions.some((a) => a.actionId === ride.session))
    .map((ride) => ({ kind: 'lift', edgeIndex: ride.edgeIndex, ride }));
  // A way before a door on one edge: the robot is granted the way, then the door is opened.
  holds.push(...narrowHoldsOf(graph, order));
  order.edges.forEach((edge, edgeIndex) => {
    for (const d of descriptions(edge)) if (d.startsWith(DOOR_HOLD)) holds.push({ kind: 'door', edgeIndex, door: d.slice(DOOR_HOLD.length) });
  });
  order.nodes.forEach((node, index) => {
    const station = graph.nodes.get(node.nodeId);
    const how = station && disinfectionAt(station);
    if (!how || !node.nodeDescription?.startsWith(DISINFECTION_HOLD) || index >= order.edges.length) return;
    holds.push({ kind: 'disinfect', edgeIndex: index, nodeId: node.nodeId, sequenceId: node.sequenceId, ...how });
  });
  return holds.sort((a, b) => a.edgeIndex - b.edgeIndex);
}

/** The edges marked {@link NARROW_HOLD}, with where the order leaves each way (the first of its ends after the entry). */
function narrowHoldsOf(graph: SiteGraph, order: Order): OrderHold[] {
  const holds: OrderHold[] = [];
  order.edges.forEach((edge, edgeIndex) => {
    const mark = descriptions(edge).find((d) => d.startsWith(NARROW_HOLD));
    const way = mark && narrowWaysOf(graph.site).byId.get(mark.slice(NARROW_HOLD.length));
    if (!way) return;
    let last = edgeIndex;
    while (way.inside.has(order.edges[last]!.endNodeId) && last + 1 < order.edges.length) last++;
    holds.push({ kind: 'narrow', edgeIndex, way: way.id, entry: edge.startNodeId, exit: order.edges[last]!.endNodeId });
  });
  return holds;
}

/**
 * The `edgeDescription` for an edge from `from` to `to` when it enters a single-width way (from
 * one of its ends), for the controller to reserve; `undefined` otherwise.
 */
export function narrowHoldDescription(graph: SiteGraph, from: string, to: string): string | undefined {
  const way = narrowWaysOf(graph.site).wayOf(from, to);
  return way?.ends.has(from) ? `${NARROW_HOLD}${way.id}` : undefined;
}

/** The order with everything after its first hold in the horizon (`liftRides` as in {@link holdsOf}); the order itself when it has none. */
export function holdAtFirst(graph: SiteGraph, order: Order, liftRides = true): Order {
  const first = holdsOf(graph, order, liftRides)[0];
  return first ? releasedUpTo(order, first.edgeIndex) : order;
}

/**
 * The hold on edge `edgeIndex` is over: `order` (the whole order as last sent) released up to its
 * next hold, and the update to send: from the node the robot waits on (without its actions,
 * which ran) to the end, `orderUpdateId` + 1 (VDA 5050 2.1, 6.6.2).
 */
export function releaseHold(graph: SiteGraph, order: Order, edgeIndex: number, header: Pick<Order, 'headerId' | 'timestamp'>): { order: Order; update: Order } {
  const next = holdsOf(graph, order).find((h) => h.edgeIndex > edgeIndex);
  const released = { ...releasedUpTo(order, next?.edgeIndex ?? order.edges.length), ...header, orderUpdateId: order.orderUpdateId + 1 };
  const update: Order = {
    ...released,
    nodes: [{ ...released.nodes[edgeIndex]!, actions: [] }, ...released.nodes.slice(edgeIndex + 1)],
    edges: released.edges.slice(edgeIndex),
  };
  return { order: released, update };
}

/**
 * The way entered on edge `edgeIndex` is granted: released as {@link releaseHold} does, unless
 * another hold waits on that edge (its door): then only the way's mark goes from the edge, and the
 * update (nothing more released) lets the door's hold go next.
 */
export function grantWay(graph: SiteGraph, order: Order, edgeIndex: number, header: Pick<Order, 'headerId' | 'timestamp'>): { order: Order; update: Order } {
  const others = holdsOf(graph, order).some((h) => h.edgeIndex === edgeIndex && h.kind !== 'narrow');
  if (!others) return releaseHold(graph, order, edgeIndex, header);
  const left = descriptions(order.edges[edgeIndex]!)
    .filter((d) => !d.startsWith(NARROW_HOLD))
    .join(HOLD_SEPARATOR);
  const marked: Order = {
    ...order,
    ...header,
    orderUpdateId: order.orderUpdateId + 1,
    edges: order.edges.map((e, i) => (i === edgeIndex ? { ...e, edgeDescription: left } : e)),
  };
  const update: Order = { ...marked, nodes: [{ ...marked.nodes[edgeIndex]!, actions: [] }, ...marked.nodes.slice(edgeIndex + 1)], edges: marked.edges.slice(edgeIndex) };
  return { order: marked, update };
}

/** Nodes up to index `lastEdge` (the start node of edge `lastEdge`) and edges before it released; the rest horizon. */
function releasedUpTo(order: Order, lastEdge: number): Order {
  return {
    ...order,
    nodes: order.nodes.map((n, i) => ({ ...n, released: i <= lastEdge })),
    edges: order.edges.map((e, i) => ({ ...e, released: i < lastEdge })),
  };
}

/**
 * The disinfection hold `state` shows its robot standing on: the order's first hold not yet
 * released is a `disinfect` one and the robot has reached its node (its `lastNodeSequenceId`).
 * `undefined` for another order, a robot still on its way, or a hold of another kind.
 */
export function disinfectionHoldReached(
  graph: SiteGraph,
  order: Order,
  state: Pick<State, 'orderId' | 'lastNodeId' | 'lastNodeSequenceId'>,
): Extract<OrderHold, { kind: 'disinfect' }> | undefined {
  if (state.orderId !== order.orderId) return undefined;
  const current = holdsOf(graph, order).find((h) => !order.edges[h.edgeIndex]!.released);
  if (current?.kind !== 'disinfect') return undefined;
  return state.lastNodeSequenceId === current.sequenceId && state.lastNodeId === current.nodeId ? current : undefined;
}

/** What the glue that releases holds reads of a trip under way. */
export interface HeldTrip {
  order: Order;
  view: { id: string; robot: string };
}

/** What the glue that releases holds needs of the trip manager (see `TripDisinfection`, `TripDoors`). */
export interface HoldReleaseOptions<T extends HeldTrip> {
  graph: SiteGraph;
  clock: Clock;
  log: Logger;
  /** The trips under way, per robot. */
  underway: ReadonlyMap<string, ReadonlySet<T>>;
  /** Saves `order` as the trip's order now (the whole order, the hold released) and sends `update` to the robot. */
  sendUpdate(trip: T, order: Order, update: Order): Promise<void>;
  nextOrderHeaderId(robot: string): number;
}
