import type { Action, Order } from '../../protocol/index.js';
import type { TripPlan } from './capabilities.js';
import { orderAlong, tripActionId, type TripOrderInput, type Waypoint } from './order-builder.js';

/** The two orders of a contactless trip; see {@link buildContactlessOrders}. */
export interface ContactlessOrders {
  /** From where the robot stands to the loading station, nothing to do there. */
  approach: Order;
  /** From the loading station: pick, deliver, drop, back; sent once the medic has confirmed. */
  delivery: Order;
}

/** The approach order's id, from the trip's order id. */
export const approachOrderId = (orderId: string) => `${orderId}:approach`;

/**
 * A trip for a robot with only the standard VDA 5050 actions (`pick`, `drop`; see
 * `tripPlanFor`), in two orders, because the robot has nothing like our `loadTrays` to hold it
 * at the station while the medic loads: the approach order brings it to the station; once every
 * tray is confirmed the delivery order (sent whole, released) picks `loadsPerLeg` loads at the
 * station, drops each at its room's door (contactless: left at the door, the resident is told),
 * comes back for the next loads, and ends at the station. Action ids follow `tripActionId`
 * (`pick`/`drop` and the tray). `pick`/`drop` parameters are the standard ones: `stationType`
 * `floor` (the load is set down on the floor at the door), `stationName` the node,
 * `loadType` the robot's own from its factsheet. After a lift ride a robot that lists
 * `initPosition` is told its new map and place at the landing.
 */
export function buildContactlessOrders(input: TripOrderInput, plan: Extract<TripPlan, { kind: 'contactless' }>): ContactlessOrders {
  const { graph, orderId } = input;
  const loading = graph.loadingStation.id;
  const afterLift = plan.initPositionAfterLift
    ? (nodeId: string, sequenceId: number): Action[] => {
        const node = graph.node(nodeId);
        return [
          {
            actionType: 'initPosition',
            actionId: `${orderId}:init:${sequenceId}`,
            blockingType: 'HARD',
            actionParameters: [
              { key: 'x', value: node.x },
              { key: 'y', value: node.y },
              { key: 'theta', value: 0 },
              { key: 'mapId', value: node.level },
              { key: 'lastNodeId', value: nodeId },
              { key: 'lastNodeSequenceId', value: sequenceId },
            ],
          },
        ];
      }
    : undefined;
  const handling = (actionType: 'pick' | 'drop', tray: number, nodeId: string): Action => ({
    actionType,
    actionId: tripActionId(orderId, { kind: actionType, tray }),
    blockingType: 'HARD',
    actionParameters: [{ key: 'stationType', value: 'floor' }, { key: 'stationName', value: nodeId }, ...(plan.loadType ? [{ key: 'loadType', value: plan.loadType }] : [])],
  });

  const waypoints: Waypoint[] = [];
  for (let i = 0; i < input.stops.length; i += plan.loadsPerLeg) {
    const leg = input.stops.slice(i, i + plan.loadsPerLeg);
    waypoints.push({ nodeId: loading, actions: leg.map((stop) => handling('pick', stop.tray, loading)) });
    for (const stop of leg) {
      const door = graph.roomNodes.get(stop.room)!.id;
      waypoints.push({ nodeId: door, actions: [handling('drop', stop.tray, door)] });
    }
  }
  waypoints.push({ nodeId: loading, actions: [] });
  return {
    approach: orderAlong({ ...input, orderId: approachOrderId(orderId), afterLift }, input.startNodeId, [{ nodeId: loading, actions: [] }]),
    delivery: orderAlong({ ...input, headerId: input.headerId + 1, afterLift }, loading, waypoints),
  };
}
