import { robotAction, VDA_VERSION, type Action, type Language, type Order, type OrderEdge, type OrderNode } from '../../protocol/index.js';
import type { Route, SiteGraph } from '../site/index.js';
import { liftRideAction, type LiftRideMode } from '../lifts/index.js';
import { DOOR_HOLD, disinfectionHoldDescription, holdAtFirst, HOLD_SEPARATOR, narrowHoldDescription } from './order-holds.js';

/** One tray of a trip: which tray goes to which room. */
export interface TrayStop {
  tray: number;
  room: string;
  item?: string;
}

export interface TripOrderInput {
  graph: SiteGraph;
  orderId: string;
  manufacturer: string;
  serialNumber: string;
  headerId: number;
  timestamp: string;
  /** Where the robot stands now. */
  startNodeId: string;
  /** Stops in visiting order. */
  stops: TrayStop[];
  pickupTimeoutS: number;
  language?: Language;
  /**
   * How to get from one node to the next; default the shortest route. `contaminated`: the
   * robot arrives at `from` contaminated (see `RouteOptions`).
   */
  route?: (from: string, to: string, contaminated: boolean) => Route | undefined;
  /** The robot is contaminated where it stands (entered red since its last disinfection). Default false. */
  startContaminated?: boolean;
  /**
   * Whether the robot runs `disinfect` (its factsheet lists it). Default true. Without, the
   * order holds it at each station where it must be disinfected (the base ends there, marked
   * `disinfection hold` in its `nodeDescription`; see `OrderHold`), for the controller to release
   * the rest once the station's duration has passed.
   */
  disinfect?: boolean;
  /**
   * How the robot is given a lift car (see `LiftRideMode`): `action` puts `liftRide` on each lift
   * edge, `horizon` ends the base at the first ride's landing. Default neither: every edge
   * released, the robot calls cars itself.
   */
  lifts?: LiftRideMode;
  /**
   * `controller`: the controller opens the site's doors on the robot's way (a robot that cannot
   * ask them itself): each edge through a door is described `DOOR_HOLD` and held (see
   * `OrderHold`). Default: the robot's bridge opens them.
   */
  doors?: 'controller';
  /**
   * `controller`: the controller reserves the site's single-width ways for the robot (see
   * `TripNarrow`): each edge that enters one is described `NARROW_HOLD` and held until the way
   * is granted. Default: none held (a robot alone on the site, or a test of something else).
   */
  narrowWays?: 'controller';
}

/** What an action id of a trip order stands for; see {@link tripActionId}. */
export type TripAction = { kind: 'load' } | { kind: 'announce' | 'pickup' | 'pick' | 'drop'; tray: number } | { kind: 'disinfect'; sequenceId: number };

/**
 * Action ids carry their meaning (`ORDER:pickup:2`), so a state alone says which tray it is
 * about; a disinfection names its node's sequenceId (`ORDER:disinfect:14`).
 */
export function tripActionId(orderId: string, action: TripAction): string {
  if (action.kind === 'load') return `${orderId}:load`;
  return `${orderId}:${action.kind}:${action.kind === 'disinfect' ? action.sequenceId : action.tray}`;
}

/** Inverse of {@link tripActionId}; `undefined` for ids of other orders or kinds. */
export function parseTripActionId(orderId: string, actionId: string): TripAction | undefined {
  if (!actionId.startsWith(`${orderId}:`)) return undefined;
  const [kind, tray] = actionId.slice(orderId.length + 1).split(':');
  if (kind === 'load') return { kind };
  if (kind === 'disinfect' && tray) return { kind, sequenceId: Number(tray) };
  if ((kind === 'announce' || kind === 'pickup' || kind === 'pick' || kind === 'drop') && tray) return { kind, tray: Number(tray) };
  return undefined;
}

/**
 * One VDA order for a trip: from where the robot stands to the loading station (trays are
 * loaded and confirmed there), to each room door in order (announce, wait for pickup), and
 * back to the loading station. Every hop of the routes (the shortest, unless `route` says
 * otherwise) becomes an edge with its length, so the robot needs no map to follow it.
 */
export function buildTripOrder(input: TripOrderInput): Order {
  const { graph, orderId } = input;
  const loading = graph.loadingStation.id;
  const waypoints: Waypoint[] = [
    {
      nodeId: loading,
      actions: [robotAction('loadTrays', tripActionId(orderId, { kind: 'load' }), { trays: input.stops })],
    },
    // Trays for one room in a row are one stop at its door, each tray announced and waited for in turn.
    ...sameRoomRuns(input.stops).map((run) => ({
      nodeId: graph.roomNodes.get(run[0]!.room)!.id,
      actions: run.flatMap((stop) => [
        robotAction('announce', tripActionId(orderId, { kind: 'announce', tray: stop.tray }), {
          room: stop.room,
          tray: stop.tray,
          language: input.language,
        }),
        robotAction('waitForPickup', tripActionId(orderId, { kind: 'pickup', tray: stop.tray }), {
          tray: stop.tray,
          timeoutS: input.pickupTimeoutS,
        }),
      ]),
    })),
    { nodeId: loading, actions: [] },
  ];

  return orderAlong(input, input.startNodeId, waypoints);
}

/** Stops split where the room changes: consecutive trays for one room together. */
function sameRoomRuns(stops: readonly TrayStop[]): TrayStop[][] {
  const runs: TrayStop[][] = [];
  for (const stop of stops) {
    const last = runs.at(-1);
    if (last && last[0]!.room === stop.room) last.push(stop);
    else runs.push([stop]);
  }
  return runs;
}

/** A stop of an order: the node to go to and the actions to run there. */
export interface Waypoint {
  nodeId: string;
  actions: Action[];
}

/**
 * One order from `startNodeId` through `waypoints` in turn. Every hop of the routes (the
 * shortest, unless `input.route` says otherwise) becomes an edge with its length, so the robot
 * needs no map to follow it; a lift ride is a 0 m edge described `lift X` (with `liftRide`, or
 * held in the horizon, as `input.lifts` says), and its arrival node gets `input.afterLift`'s
 * actions (a generic AGV is told its new map there). Where a route has the robot disinfected
 * (on its way out of red, see `SiteGraph`) the station's node gets a HARD `disinfect` with the
 * station's method and duration, before anything else done there (a robot without `disinfect`
 * is held there instead: `input.disinfect`); whether the robot is contaminated carries from one
 * leg to the next, from `input.startContaminated`. The base ends at the first hold (see `holdsOf`).
 */
export function orderAlong(
  input: Pick<
    TripOrderInput,
    'graph' | 'orderId' | 'manufacturer' | 'serialNumber' | 'headerId' | 'timestamp' | 'route' | 'lifts' | 'startContaminated' | 'disinfect' | 'doors' | 'narrowWays'
  > & {
    afterLift?: (nodeId: string, sequenceId: number) => Action[];
  },
  startNodeId: string,
  waypoints: Waypoint[],
): Order {
  const { graph } = input;
  const nodes: OrderNode[] = [orderNode(graph, startNodeId, 0, [])];
  const edges: OrderEdge[] = [];
  let at = startNodeId;
  let contaminated = input.startContaminated ?? false;
  for (const waypoint of waypoints) {
    const route = input.route ? input.route(at, waypoint.nodeId, contaminated) : graph.route(at, waypoint.nodeId, { contaminated });
    if (!route) throw new Error(`no route from ${at} to ${waypoint.nodeId}`);
    const legStart = nodes.length - 1;
    for (const hop of route.hops) {
      const sequenceId = nodes.length * 2;
      edges.push({
        edgeId: `${hop.from}--${hop.to}`,
        sequenceId: sequenceId - 1,
        released: true,
        startNodeId: hop.from,
        endNodeId: hop.to,
        length: hop.lengthM,
        ...(hop.lift ? { edgeDescription: `lift ${hop.lift}` } : { maxSpeed: graph.site.robotSpeedMps }),
        ...holdDescription([
          input.narrowWays === 'controller' && !hop.lift ? narrowHoldDescription(graph, hop.from, hop.to) : undefined,
          input.doors === 'controller' && doorOf(graph, hop.from, hop.to) ? `${DOOR_HOLD}${doorOf(graph, hop.from, hop.to)}` : undefined,
        ]),
        actions: hop.lift && input.lifts === 'action' ? [liftRideAction(input.orderId, sequenceId - 1, hop.lift, graph.node(hop.from).level, graph.node(hop.to).level)] : [],
      });
      nodes.push(orderNode(graph, hop.to, sequenceId, hop.lift && input.afterLift ? input.afterLift(hop.to, sequenceId) : []));
    }
    for (const { at: index, method, durationS } of route.disinfections) {
      const node = nodes[legStart + index]!;
      if (input.disinfect === false) node.nodeDescription = disinfectionHoldDescription({ method, durationS });
      else node.actions.unshift(robotAction('disinfect', tripActionId(input.orderId, { kind: 'disinfect', sequenceId: node.sequenceId }), { method, durationS }));
    }
    contaminated = route.contaminatedAtEnd;
    // Actions belong to the node the waypoint ends on (the start node when already there).
    nodes[nodes.length - 1]!.actions.push(...waypoint.actions);
    at = waypoint.nodeId;
  }
  const order: Order = {
    headerId: input.headerId,
    timestamp: input.timestamp,
    version: VDA_VERSION,
    manufacturer: input.manufacturer,
    serialNumber: input.serialNumber,
    orderId: input.orderId,
    orderUpdateId: 0,
    nodes,
    edges,
  };
  return holdAtFirst(graph, order, input.lifts === 'horizon');
}

function orderNode(graph: SiteGraph, nodeId: string, sequenceId: number, actions: Action[]): OrderNode {
  const node = graph.node(nodeId);
  return {
    nodeId,
    sequenceId,
    released: true,
    nodePosition: { x: node.x, y: node.y, mapId: node.level },
    actions,
  };
}

/** The edge's description for the holds on it, way before door (see `NARROW_HOLD`); none without. */
function holdDescription(holds: (string | undefined)[]): { edgeDescription?: string } {
  const given = holds.filter((h): h is string => h !== undefined);
  return given.length ? { edgeDescription: given.join(HOLD_SEPARATOR) } : {};
}

/** The door on the lane between two nodes (either way), if any. */
function doorOf(graph: SiteGraph, from: string, to: string): string | undefined {
  return graph.site.lanes.find((l) => l.door && ((l.from === from && l.to === to) || (l.from === to && l.to === from)))?.door;
}
