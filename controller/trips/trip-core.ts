import { PICKUP_RESULT, type State, type TripView } from '../../protocol/index.js';
import type { Audit, TripRecord } from '../storage/index.js';
import { refusal, type Refusal } from '../refusal.js';
import { orderEvents, type OrderEvent } from '../vda-master/index.js';
import { parseTripActionId, tripActionId } from './order-builder.js';

/** A trip in memory: as the store keeps it, and whether the robot's next state must reconcile it. */
export interface Trip extends TripRecord {
  /** Loaded after a restart, or its robot dropped out: its next state decides how it goes on. */
  reconcilePending?: boolean;
}

/** A line for the audit log. */
export type TripAuditLine = Parameters<Audit>[0];

/**
 * What the trip shell is to do, in order, after the core changed a trip:
 * - `finished`: the trip just ended (the view says how): it leaves its robot's trips under way and gives up its lift queue places;
 * - `cancelOrder`: tell the robot to cancel the trip's order (instant action, HARD);
 * - `watchAbandoned`: if the robot turns up still running the order, cancel it then;
 * - `resendOrder`: publish the saved order again, unchanged;
 * - `confirmLoaded`: every tray confirmed: tell the robot (instant action) it may leave;
 * - `releaseDelivery`: every tray of a contactless trip confirmed: send its delivery order;
 * - `save`, `push`: write the trip to the store, push it to the screens;
 * - `audit`: a line of the audit log.
 */
export type TripEffect =
  | { kind: 'finished' }
  | { kind: 'cancelOrder' }
  | { kind: 'watchAbandoned' }
  | { kind: 'resendOrder' }
  | { kind: 'confirmLoaded'; trays: number[] }
  | { kind: 'releaseDelivery' }
  | { kind: 'save' }
  | { kind: 'push' }
  | { kind: 'audit'; line: TripAuditLine };

/**
 * What a state of the trip's robot did to the trip: `reconciled` when the first state after a
 * restart (or after the robot dropped out) decided it, so that nothing else reads this state for it.
 */
export interface TripStep {
  reconciled: boolean;
  effects: TripEffect[];
}

const underway = (view: TripView) => view.status === 'planned' || view.status === 'running';

/**
 * A state of the trip's robot: the first one after a restart reconciles the trip (same order:
 * carry on; its order never arrived: send it again; the robot no longer has it: failed), any
 * other follows each tray through the order's action states. Pure: changes the trip, answers
 * the effects.
 */
export function tripOnState(trip: Trip, state: State): TripStep {
  if (trip.reconcilePending) {
    const effects = reconcile(trip, state);
    if (effects) return { reconciled: true, effects };
  }
  return { reconciled: false, effects: applyState(trip, state) };
}

/**
 * The first state of a robot after a restart of the controller or after the robot dropped
 * out, for a trip it was on. Same order: carry on (undefined).
 * A trip whose order never arrived (the robot is idle where the order starts): send the saved
 * order again, unchanged, so it cannot run twice. A robot that no longer has the order: the
 * trip failed, and its rooms can be planned again.
 */
function reconcile(trip: Trip, state: State): TripEffect[] | undefined {
  trip.reconcilePending = undefined;
  if (state.orderId === trip.orderId) return undefined;
  const idle = state.nodeStates.length === 0 && !state.driving;
  if (trip.view.status === 'planned' && idle && state.lastNodeId === trip.order.nodes[0]!.nodeId) return [{ kind: 'resendOrder' }];
  for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
  finishView(trip.view, 'failed', state.timestamp, `${trip.view.robot} no longer has order ${trip.orderId} (it is on ${state.orderId || 'no order'})`);
  return [{ kind: 'finished' }, { kind: 'save' }, { kind: 'push' }];
}

/**
 * Follows the trip's trays through a state of its robot, read as the events of the trip's order
 * ({@link orderEvents}); saves and pushes when something changed.
 */
function applyState(trip: Trip, state: State): TripEffect[] {
  const before = JSON.stringify(trip.view);
  const effects: TripEffect[] = [];
  const view = trip.view;
  const changed = (): TripEffect[] => (JSON.stringify(view) !== before ? [...effects, { kind: 'save' }, { kind: 'push' }] : effects);
  const events = orderEvents(state, {
    orderId: trip.orderId,
    ownsAction: (actionId) => parseTripActionId(trip.orderId, actionId) !== undefined,
    // A refused confirmLoaded matters only while the trays are still at the station.
    instantActionIds: view.status === 'planned' ? [confirmActionId(trip.orderId)] : [],
  });
  for (const event of events) {
    switch (event.kind) {
      case 'orderRejected':
        effects.push(...stop(trip, state, 'returned', `robot rejected the order: ${event.error.errorDescription ?? event.error.errorType}`));
        return changed();
      case 'instantActionFailed':
        effects.push(...stop(trip, state, 'returned', `robot refused confirmLoaded: ${event.description}; the trays are still at the station`));
        return [...effects, { kind: 'save' }, { kind: 'push' }];
      case 'fatalError':
        // A robot that stops with a FATAL error mid-order does not go on by itself (a stock AGV
        // keeps its order and waits): the rooms on board are failed now, so they can be planned again.
        effects.push(...stop(trip, state, 'failed', `${view.robot} stopped with a FATAL error: ${event.error.errorDescription ?? event.error.errorType}`));
        return [...effects, { kind: 'save' }, { kind: 'push' }];
      case 'action':
        effects.push(...onAction(trip, event, state.timestamp));
        break;
      case 'orderEnded': {
        // A contactless trip's approach order ending means the robot waits at the station for the medic.
        if (trip.pending) break;
        for (const tray of view.trays) if (tray.status === 'loaded') tray.status = event.fatal ? 'failed' : 'returned';
        const failed = !!event.fatal || view.trays.some((t) => t.status === 'failed');
        finishView(view, failed ? 'failed' : 'done', state.timestamp, event.fatal?.errorDescription ?? (failed ? 'order ended before every tray was offered' : undefined));
        effects.push({ kind: 'finished' });
        break;
      }
    }
  }
  return changed();
}

/** One action of the trip's order: the trip starts running once loaded; a tray is handed over (or not) at its door. */
function onAction(trip: Trip, action: Extract<OrderEvent, { kind: 'action' }>, at: string): TripEffect[] {
  const view = trip.view;
  const meaning = parseTripActionId(trip.orderId, action.actionId)!;
  if ((meaning.kind === 'load' || meaning.kind === 'pick') && action.status === 'FINISHED' && view.status === 'planned') view.status = 'running';
  const handsOver = meaning.kind === 'pickup' || meaning.kind === 'drop' || (meaning.kind === 'pick' && action.status === 'FAILED');
  if (!handsOver || !action.final) return [];
  const tray = view.trays.find((t) => t.tray === meaning.tray);
  if (tray?.status !== 'loaded') return [];
  // The room's door opened while the tray waited: the resident came for it, whatever the
  // robot's own tray sensor saw.
  const doorConfirmed = action.status === 'FAILED' && action.resultDescription === PICKUP_RESULT.notCollected && tray.doorOpenedAt !== undefined;
  if (action.status === 'FINISHED' || doorConfirmed) {
    tray.status = 'delivered';
    tray.deliveredAt = doorConfirmed ? tray.doorOpenedAt : at;
  } else {
    tray.status = action.resultDescription === PICKUP_RESULT.notCollected ? 'notCollected' : 'failed';
  }
  return [
    {
      kind: 'audit',
      line: {
        at,
        actor: view.robot,
        action: `tray ${tray.status}`,
        subject: `room ${tray.room}`,
        detail: { trip: view.id, tray: tray.tray, ...(tray.doorOpenedAt ? { doorOpenedAt: tray.doorOpenedAt } : {}), ...(doorConfirmed ? { confirmedBy: 'doorSensor' } : {}) },
      },
    },
  ];
}

/** The id of the `confirmLoaded` instant action of a trip's order. */
export const confirmActionId = (orderId: string) => `${orderId}:confirm`;

/**
 * Ends a trip its robot cannot finish: trays still on board become `onBoard` (`failed`: out
 * on the robot; `returned`: never left the station), so the medic can plan the rooms again
 * (`POST /api/trips/:id/replan`); a robot still holding the order is told to cancel it.
 */
function stop(trip: Trip, state: State, onBoard: 'failed' | 'returned', reason: string): TripEffect[] {
  for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = onBoard;
  finishView(trip.view, 'failed', state.timestamp, reason);
  const holdsIt = state.orderId === trip.orderId && state.nodeStates.length > 0;
  return [{ kind: 'finished' }, { kind: holdsIt ? 'cancelOrder' : 'watchAbandoned' }];
}

/**
 * Ends a trip whose order was never sent, as a robot's refusal of it ends one (`orderRejected`):
 * its trays never left the station (`returned`), so the medic can plan the rooms again.
 */
export function unsentTrip(trip: Trip, reason: string, at: string): TripEffect[] | undefined {
  if (trip.view.status !== 'planned') return undefined;
  for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'returned';
  finishView(trip.view, 'failed', at, reason);
  return [{ kind: 'finished' }, { kind: 'watchAbandoned' }, { kind: 'save' }, { kind: 'push' }];
}

/**
 * Gives up on a trip whose robot is offline, so its rooms can go on other robots: the trays
 * on board count as failed. If the robot comes back still running the order, it is cancelled
 * (its trays then come back to the station with it), so no room is served twice. Undefined
 * for a trip not under way.
 */
export function abandonTrip(trip: Trip, reason: string, at: string): TripEffect[] | undefined {
  if (!underway(trip.view)) return undefined;
  for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
  finishView(trip.view, 'failed', at, reason);
  return [
    { kind: 'finished' },
    { kind: 'watchAbandoned' },
    { kind: 'save' },
    { kind: 'audit', line: { at, actor: 'controller', action: 'tripAbandoned', subject: `trip ${trip.view.id}`, detail: { robot: trip.view.robot, reason } } },
    { kind: 'push' },
  ];
}

/**
 * Ends a running trip whose robot no longer makes progress the way a robot's refusal does: the
 * rooms on board can be planned again; the robot is told to cancel when its last state
 * (`robotOrderId`) shows it on the order, and in any case when it turns up on it.
 */
export function stallTrip(trip: Trip, reason: string, at: string, robotOrderId: string | undefined): TripEffect[] | undefined {
  if (trip.view.status !== 'running') return undefined;
  for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
  finishView(trip.view, 'failed', at, reason);
  return [
    { kind: 'finished' },
    ...(robotOrderId === trip.orderId ? [{ kind: 'cancelOrder' } as const] : []),
    { kind: 'watchAbandoned' },
    { kind: 'save' },
    { kind: 'audit', line: { at, actor: 'controller', action: 'tripStalled', subject: `trip ${trip.view.id}`, detail: { robot: trip.view.robot, reason } } },
    { kind: 'push' },
  ];
}

/**
 * The door of `room` opened at `at` (its sensor said so): every tray of the trip for that room
 * that waits at the door now, as the robot's last `state` shows (its announcement or
 * `waitForPickup` running), is marked `doorOpenedAt`, so the pickup counts as collected even if
 * the robot reports it not collected. Only the first open while it waits is kept. Empty when no
 * tray of this trip waits at that door.
 */
export function tripOnDoorOpen(trip: Trip, room: string, at: string, state: State | undefined): TripEffect[] {
  if (!underway(trip.view) || state?.orderId !== trip.orderId) return [];
  const running = new Set(state.actionStates.filter((a) => a.actionStatus === 'RUNNING' || a.actionStatus === 'INITIALIZING').map((a) => a.actionId));
  const waiting = trip.view.trays.filter(
    (tray) =>
      tray.room === room &&
      tray.status === 'loaded' &&
      tray.doorOpenedAt === undefined &&
      (running.has(tripActionId(trip.orderId, { kind: 'announce', tray: tray.tray })) || running.has(tripActionId(trip.orderId, { kind: 'pickup', tray: tray.tray }))),
  );
  if (waiting.length === 0) return [];
  for (const tray of waiting) tray.doorOpenedAt = at;
  return [
    { kind: 'save' },
    {
      kind: 'audit',
      line: { at, actor: 'controller', action: 'doorOpenedAtTray', subject: `room ${room}`, detail: { trip: trip.view.id, robot: trip.view.robot, trays: waiting.map((t) => t.tray) } },
    },
    { kind: 'push' },
  ];
}

/**
 * The medic confirms one tray as loaded; once every tray of the trip is confirmed the robot is
 * told to leave (`confirmLoaded`), or a contactless trip's delivery order goes (`releaseDelivery`).
 */
export function confirmTrayOf(trip: Trip | undefined, tripId: string, tray: number, actor: string, at: string): TripEffect[] | Refusal {
  if (!trip) return refusal('notFound', `no trip ${tripId}`);
  const view = trip.view;
  if (view.status !== 'planned') return refusal('conflict', `trip ${tripId} has already left (${view.status})`);
  if (!view.trays.some((t) => t.tray === tray)) return refusal('conflict', `trip ${tripId} has nothing on tray ${tray}`);
  if (!view.loading.confirmedTrays.includes(tray)) view.loading.confirmedTrays = [...view.loading.confirmedTrays, tray].sort();
  const effects: TripEffect[] = [
    { kind: 'save' },
    { kind: 'audit', line: { at, actor, action: 'trayLoaded', subject: `trip ${tripId}`, detail: { robot: view.robot, tray, room: view.trays.find((t) => t.tray === tray)!.room } } },
  ];
  if (view.trays.every((t) => view.loading.confirmedTrays.includes(t.tray)))
    effects.push(trip.pending ? { kind: 'releaseDelivery' } : { kind: 'confirmLoaded', trays: view.loading.confirmedTrays });
  effects.push({ kind: 'push' });
  return effects;
}

/** Ends a trip's view: its status, when, and why. */
function finishView(view: TripView, status: 'done' | 'failed', at: string, reason?: string): void {
  view.status = status;
  view.finishedAt = at;
  if (reason) view.reason = reason;
}
