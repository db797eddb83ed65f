import { robotAction, type Action, type Factsheet, type Order, type State } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';
import type { LiftEvent, LiftRequest } from './lift-session-core.js';

/**
 * How a robot is given the car (see README, "Lift rides"):
 * - `action`: the lift edge carries our `liftRide` action; the robot waits at the landing with
 *   it INITIALIZING until the instant action `liftGranted` names it (robots that list both in
 *   their factsheet, as our bridge with a lift port does);
 * - `horizon`: standard VDA 5050 only. The order's base ends at the landing before each ride;
 *   the lift edge and what follows are horizon (`released: false`) until the car is granted,
 *   when an order update releases the ride and the way on to the next landing.
 */
export type LiftRideMode = 'action' | 'horizon';

/** `action` when the factsheet lists `liftRide` (EDGE) and `liftGranted` (INSTANT), else `horizon`. */
export function liftRideModeOf(factsheet: Factsheet | undefined): LiftRideMode {
  const listed = (type: string, scope: 'EDGE' | 'INSTANT') => factsheet?.protocolFeatures.agvActions.some((a) => a.actionType === type && a.actionScopes.includes(scope)) ?? false;
  return listed('liftRide', 'EDGE') && listed('liftGranted', 'INSTANT') ? 'action' : 'horizon';
}

/** One lift ride of an order: its edge, the car and the two landings. */
export interface OrderRide {
  /** `liftRide` actionId, or `ORDER:lift:SEQ` for a ride held in the horizon. */
  session: string;
  edgeIndex: number;
  edgeSequenceId: number;
  lift: string;
  fromNodeId: string;
  toNodeId: string;
  fromLevel: string;
  toLevel: string;
}

/** The session id of the lift edge with `edgeSequenceId` in order `orderId` (also the `liftRide` actionId). */
export const liftSessionId = (orderId: string, edgeSequenceId: number) => `${orderId}:lift:${edgeSequenceId}`;

/** The lift rides of an order, in order: the edges between two landings of one car on different levels. */
export function ridesOf(graph: SiteGraph, order: Pick<Order, 'orderId' | 'edges'>): OrderRide[] {
  const rides: OrderRide[] = [];
  order.edges.forEach((edge, edgeIndex) => {
    const a = graph.nodes.get(edge.startNodeId);
    const b = graph.nodes.get(edge.endNodeId);
    if (a?.kind !== 'liftLanding' || b?.kind !== 'liftLanding' || !a.lift || a.lift !== b.lift || a.level === b.level) return;
    const action = edge.actions.find((x) => x.actionType === 'liftRide');
    rides.push({
      session: action?.actionId ?? liftSessionId(order.orderId, edge.sequenceId),
      edgeIndex,
      edgeSequenceId: edge.sequenceId,
      lift: a.lift,
      fromNodeId: a.id,
      toNodeId: b.id,
      fromLevel: a.level,
      toLevel: b.level,
    });
  });
  return rides;
}

/** The `liftRide` action for a lift edge (`action` mode). */
export function liftRideAction(orderId: string, edgeSequenceId: number, lift: string, fromLevel: string, toLevel: string): Action {
  return robotAction('liftRide', liftSessionId(orderId, edgeSequenceId), { lift, fromLevel, toLevel }, 'HARD');
}

/**
 * What a robot's state says about the rides of the order it runs, as lift events at clock ms
 * `now`:
 * - `action` mode: `liftRide` INITIALIZING asks for the car, RUNNING rides, FINISHED or FAILED ends;
 * - `horizon` mode: standing on a ride's landing with its edge not released asks for the car; a
 *   released ride edge not yet passed is a ride under way; a landing passed ends it.
 * Events for rides of other orders are not produced (the caller passes the order the state is about).
 */
export function liftEventsOf(graph: SiteGraph, robot: string, order: Order, state: State, now: number): LiftEvent[] {
  if (state.orderId !== order.orderId) return [];
  const events: LiftEvent[] = [];
  const request = (ride: OrderRide): LiftRequest => ({ session: ride.session, robot, lift: ride.lift, fromLevel: ride.fromLevel, toLevel: ride.toLevel, since: now });
  for (const ride of ridesOf(graph, order)) {
    const edge = order.edges[ride.edgeIndex]!;
    const action = state.actionStates.find((a) => a.actionId === ride.session);
    if (action) {
      if (action.actionStatus === 'INITIALIZING') events.push({ type: 'request', request: request(ride) });
      else if (action.actionStatus === 'RUNNING') events.push({ type: 'riding', request: request(ride) });
      else if (action.actionStatus === 'FINISHED' || action.actionStatus === 'FAILED') events.push({ type: 'ended', session: ride.session });
      continue;
    }
    if (edge.actions.some((a) => a.actionId === ride.session)) continue; // its action state is not reported (yet)
    const passed = state.lastNodeSequenceId > ride.edgeSequenceId;
    const atLanding = state.lastNodeSequenceId === ride.edgeSequenceId - 1;
    if (passed) events.push({ type: 'ended', session: ride.session });
    else if (atLanding && !edge.released) events.push({ type: 'request', request: request(ride) });
    else if (edge.released && state.lastNodeSequenceId < ride.edgeSequenceId && stillToDrive(state, ride)) events.push({ type: 'riding', request: request(ride) });
  }
  return events;
}

/** The ride's edge is still in the robot's edgeStates as released: it has it to drive. */
function stillToDrive(state: State, ride: OrderRide): boolean {
  return state.edgeStates.some((e) => e.sequenceId === ride.edgeSequenceId && e.released);
}

/**
 * Whether `state` shows the ride `session` still to come or under way: its `liftRide` action not
 * ended, or (held in the horizon) its edge still among the robot's edges, released or not (the
 * update releasing it may be on its way). False once the robot is past it, its ride failed, or
 * it is on another order.
 */
export function rideUnderWay(state: State, session: string): boolean {
  const at = session.lastIndexOf(':lift:');
  if (at < 0 || state.orderId !== session.slice(0, at)) return false;
  const action = state.actionStates.find((a) => a.actionId === session);
  if (action) return action.actionStatus !== 'FINISHED' && action.actionStatus !== 'FAILED';
  const edgeSequenceId = Number(session.slice(at + ':lift:'.length));
  return state.lastNodeSequenceId < edgeSequenceId && state.edgeStates.some((e) => e.sequenceId === edgeSequenceId);
}
