import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../firmware-bridge/index.js';
import {
  orderSchema,
  PICKUP_RESULT,
  type Action,
  robotAction,
  VDA_VERSION,
  vdaTopic,
  type Clock,
  type CreateTripBody,
  type Language,
  type State,
  type TripView,
} from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { writeInBackground, type Audit, type Store, type TripRecord } from '../storage/index.js';
import type { SiteGraph } from '../site/index.js';
import { buildTripOrder, parseTripActionId } from './order-builder.js';
import { balancedRoute, ridesPerLift } from './lift-balance.js';
import { nearestNeighbourOrder } from './visit-order.js';

export interface TripManagerOptions {
  client: MqttClient;
  fleet: FleetRegistry;
  graph: SiteGraph;
  manufacturer: string;
  clock: Clock;
  log: Logger;
  /** Seconds a robot waits at a door before the tray counts as not collected. Default 120. */
  pickupTimeoutS?: number;
  /** The announcement language for new trips (a setting people change while running). */
  language?: () => Language;
  /** Where trips are kept across restarts; they are saved before their order is sent. */
  store: Store;
  /** The audit log: trips sent, trays confirmed and what became of each. */
  audit: Audit;
  /** Trips the store held at start (after a restart). */
  saved?: TripRecord[];
}

/** Why a trip cannot start now (HTTP 409). */
export type TripConflict = { ok: false; reason: string };

interface Trip extends TripRecord {
  /** Loaded after a restart, or its robot dropped out: its next state decides how it goes on. */
  reconcilePending?: boolean;
}

/**
 * Runs trips: one robot, its trays mapped to rooms. Orders the visits, sends one VDA order,
 * and follows every tray through the robot's state messages.
 */
export class TripManager extends EventEmitter<{ trip: [TripView] }> {
  private readonly trips = new Map<string, Trip>();
  private readonly headerIds = new Map<string, number>();

  constructor(private readonly options: TripManagerOptions) {
    super();
    for (const record of options.saved ?? []) {
      const active = record.view.status === 'planned' || record.view.status === 'running';
      this.trips.set(record.view.id, { ...record, ...(active ? { reconcilePending: true } : {}) });
    }
    options.fleet.on('state', (robot, state) => this.onState(robot, state));
    options.fleet.on('lost', (robot) => {
      for (const trip of this.trips.values()) if (trip.view.robot === robot && ['planned', 'running'].includes(trip.view.status)) trip.reconcilePending = true;
    });
    // After a restart, ask every robot that shows up for its state at once instead of waiting up to 30 s.
    options.fleet.on('robot', (robot) => {
      if (!robot.online || this.stateRequested.has(robot.id)) return;
      this.stateRequested.add(robot.id);
      void this.sendInstantAction(robot.id, robotAction('stateRequest', `state-${robot.id}-${Date.now().toString(36)}`, {}, 'NONE'));
    });
  }

  private readonly stateRequested = new Set<string>();
  /** Orders of abandoned trips: if their robot turns up still running one, it is told to cancel. */
  private readonly abandonedOrders = new Set<string>();

  /**
   * Gives up on a trip whose robot is offline, so its rooms can go on other robots: the trays
   * on board count as failed. If the robot comes back still running the order, it is cancelled
   * (its trays then come back to the station with it), so no room is served twice.
   */
  abandon(tripId: string, reason: string): TripView | undefined {
    const trip = this.trips.get(tripId);
    if (!trip || (trip.view.status !== 'planned' && trip.view.status !== 'running')) return undefined;
    for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
    this.finish(trip.view, 'failed', new Date(this.options.clock.now()).toISOString(), reason);
    this.abandonedOrders.add(trip.orderId);
    this.saveLater(trip);
    this.options.audit({ at: trip.view.finishedAt!, actor: 'controller', action: 'tripAbandoned', subject: `trip ${tripId}`, detail: { robot: trip.view.robot, reason } });
    this.emit('trip', trip.view);
    return trip.view;
  }



  list(): TripView[] {
    return [...this.trips.values()].map((t) => t.view);
  }

  get(id: string): TripView | undefined {
    return this.trips.get(id)?.view;
  }

  /** The trip a robot is on, if any. */
  activeTripOf(robot: string): TripView | undefined {
    return this.list().find((t) => t.robot === robot && (t.status === 'planned' || t.status === 'running'));
  }

  /**
   * Starts a trip, or says why it cannot start now. The rooms are visited in nearest-neighbour
   * order unless `keepOrder` (a planner already ordered them).
   */
  async create(
    body: CreateTripBody,
    options: { keepOrder?: boolean; origin?: TripRecord['origin']; /** Who sent it, for the audit log. */ actor?: string } = {},
  ): Promise<{ ok: true; trip: TripView } | TripConflict> {
    const { fleet, graph, clock } = this.options;
    const robot = fleet.get(body.robot);
    if (!robot?.online) return { ok: false, reason: `robot ${body.robot} is offline` };
    const unknown = body.trays.filter((t) => !graph.roomNodes.has(t.room)).map((t) => t.room);
    if (unknown.length) return { ok: false, reason: `unknown room ${unknown.join(', ')}` };
    if (body.trays.some((t) => t.tray > robot.trays)) return { ok: false, reason: `robot ${robot.id} has ${robot.trays} trays` };
    const active = this.activeTripOf(robot.id);
    if (active || robot.state !== 'idle') {
      return { ok: false, reason: `robot ${robot.id} is busy (${active ? `trip ${active.id}` : robot.state})` };
    }

    const startNodeId = robot.node!;
    const id = randomUUID().slice(0, 8);
    const stops = options.keepOrder ? body.trays : nearestNeighbourOrder(graph, graph.loadingStation.id, body.trays);
    const running = [...this.trips.values()].filter((t) => t.view.status === 'planned' || t.view.status === 'running');
    const ridesRouted = ridesPerLift(graph, running.map((t) => t.order));
    const timestamp = new Date(clock.now()).toISOString();
    const order = buildTripOrder({
      graph,
      orderId: `trip-${id}`,
      manufacturer: this.options.manufacturer,
      serialNumber: robot.id,
      headerId: this.nextHeaderId(robot.id),
      timestamp,
      startNodeId,
      stops,
      pickupTimeoutS: this.options.pickupTimeoutS ?? 120,
      language: this.options.language?.(),
      route: (from, to) => balancedRoute(graph, from, to, ridesRouted),
    });
    const view: TripView = {
      id,
      robot: robot.id,
      status: 'planned',
      visits: stops.map((s) => s.room),
      trays: body.trays.map((t) => ({ ...t, status: 'loaded' as const })),
      loading: { confirmedTrays: [] },
      createdAt: timestamp,
    };
    const trip: Trip = { view, orderId: order.orderId, order, ...(options.origin ? { origin: options.origin } : {}) };
    this.trips.set(id, trip);
    if (process.env.NODE_ENV === 'test') orderSchema.parse(order);
    // Saved before it is sent: after a crash the trip is known even if the order already left.
    await this.options.store.saveTrip(recordOf(trip));
    this.options.audit({ at: timestamp, actor: options.actor ?? 'controller', action: 'tripSent', subject: `trip ${id}`, detail: { robot: robot.id, trays: body.trays } });
    await this.publishOrder(trip);
    this.options.log.info({ trip: id, robot: robot.id, rooms: view.visits }, 'trip sent');
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  private async publishOrder(trip: Trip): Promise<void> {
    const serialNumber = trip.view.robot;
    await this.options.client.publishAsync(vdaTopic({ manufacturer: this.options.manufacturer, serialNumber }, 'order'), JSON.stringify(trip.order), { qos: 1 });
  }

  private async sendInstantAction(serialNumber: string, action: Action): Promise<void> {
    const { manufacturer, clock } = this.options;
    const message = {
      headerId: this.nextHeaderId(`${serialNumber}/instantActions`),
      timestamp: new Date(clock.now()).toISOString(),
      version: VDA_VERSION,
      manufacturer,
      serialNumber,
      actions: [action],
    };
    await this.options.client.publishAsync(vdaTopic({ manufacturer, serialNumber }, 'instantActions'), JSON.stringify(message), { qos: 1 });
  }

  private saveLater(trip: Trip): void {
    writeInBackground(() => this.options.store.saveTrip(recordOf(trip)), this.options.log, `trip ${trip.view.id}`);
  }


  /**
   * The medic confirms one tray as loaded on the dashboard; once every tray of the trip is
   * confirmed the robot is told (instant action confirmLoaded) and leaves.
   */
  async confirmTray(tripId: string, tray: number, actor = 'api'): Promise<{ ok: true; trip: TripView } | { ok: false; status: 404 | 409; reason: string }> {
    const trip = this.trips.get(tripId);
    if (!trip) return { ok: false, status: 404, reason: `no trip ${tripId}` };
    const view = trip.view;
    if (view.status !== 'planned') return { ok: false, status: 409, reason: `trip ${tripId} has already left (${view.status})` };
    if (!view.trays.some((t) => t.tray === tray)) return { ok: false, status: 409, reason: `trip ${tripId} has nothing on tray ${tray}` };
    if (!view.loading.confirmedTrays.includes(tray)) view.loading.confirmedTrays = [...view.loading.confirmedTrays, tray].sort();
    this.saveLater(trip);
    this.options.audit({
      at: new Date(this.options.clock.now()).toISOString(),
      actor,
      action: 'trayLoaded',
      subject: `trip ${tripId}`,
      detail: { robot: view.robot, tray, room: view.trays.find((t) => t.tray === tray)!.room },
    });
    if (view.trays.every((t) => view.loading.confirmedTrays.includes(t.tray))) {
      await this.sendInstantAction(view.robot, robotAction('confirmLoaded', `${trip.orderId}:confirm`, { trays: view.loading.confirmedTrays }, 'NONE'));
    }
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  private onState(robot: string, state: State): void {
    const running = state.nodeStates.length > 0 || state.actionStates.some((a) => a.actionStatus === 'WAITING' || a.actionStatus === 'RUNNING');
    if (this.abandonedOrders.has(state.orderId) && running) {
      this.abandonedOrders.delete(state.orderId);
      this.options.log.warn({ robot, orderId: state.orderId }, 'robot came back on an abandoned trip: cancelling it');
      void this.sendInstantAction(robot, robotAction('cancelOrder', `${state.orderId}:cancel`, {}, 'HARD'));
    }
    for (const trip of this.trips.values()) {
      if (trip.view.robot !== robot || trip.view.status === 'done' || trip.view.status === 'failed') continue;
      if (trip.reconcilePending && this.reconcile(trip, state)) continue;
      if (this.apply(trip, state)) {
        this.saveLater(trip);
        this.emit('trip', trip.view);
      }
    }
  }

  /**
   * The first state of a robot after a restart of the controller or after the robot dropped
   * out, for a trip it was on. Same order: carry on.
   * A trip whose order never arrived (the robot is idle where the order starts): send the saved
   * order again, unchanged, so it cannot run twice. A robot that no longer has the order: the
   * trip failed, and its rooms can be planned again. Returns true when it handled the state.
   */
  private reconcile(trip: Trip, state: State): boolean {
    trip.reconcilePending = undefined;
    if (state.orderId === trip.orderId) return false;
    const idle = state.nodeStates.length === 0 && !state.driving;
    if (trip.view.status === 'planned' && idle && state.lastNodeId === trip.order.nodes[0]!.nodeId) {
      this.options.log.info({ trip: trip.view.id, robot: trip.view.robot }, 'order re-sent after restart');
      void this.publishOrder(trip);
      return true;
    }
    for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
    this.finish(trip.view, 'failed', state.timestamp, `${trip.view.robot} no longer has order ${trip.orderId} (it is on ${state.orderId || 'no order'})`);
    this.saveLater(trip);
    this.emit('trip', trip.view);
    return true;
  }

  /** Updates a trip from a state of its robot; true when something changed. */
  private apply(trip: Trip, state: State): boolean {
    const before = JSON.stringify(trip.view);
    const view = trip.view;
    const rejection = state.errors.find((e) => e.errorReferences?.some((r) => r.referenceKey === 'orderId' && r.referenceValue === trip.orderId));
    if (state.orderId !== trip.orderId) {
      if (rejection) this.finish(view, 'failed', state.timestamp, `robot rejected the order: ${rejection.errorDescription ?? rejection.errorType}`);
      return JSON.stringify(view) !== before;
    }
    let allFinal = true;
    for (const action of state.actionStates) {
      const meaning = parseTripActionId(trip.orderId, action.actionId);
      if (!meaning) continue;
      const final = action.actionStatus === 'FINISHED' || action.actionStatus === 'FAILED';
      allFinal &&= final;
      if (meaning.kind === 'load' && action.actionStatus === 'FINISHED' && view.status === 'planned') view.status = 'running';
      if (meaning.kind !== 'pickup' || !final) continue;
      const tray = view.trays.find((t) => t.tray === meaning.tray);
      if (tray?.status !== 'loaded') continue;
      if (action.actionStatus === 'FINISHED') {
        tray.status = 'delivered';
        tray.deliveredAt = state.timestamp;
      } else {
        tray.status = action.resultDescription === PICKUP_RESULT.notCollected ? 'notCollected' : 'failed';
      }
      this.options.audit({ at: state.timestamp, actor: view.robot, action: `tray ${tray.status}`, subject: `room ${tray.room}`, detail: { trip: view.id, tray: tray.tray } });
    }
    if (allFinal && state.nodeStates.length === 0 && !state.driving) {
      const fatal = state.errors.find((e) => e.errorLevel === 'FATAL');
      for (const tray of view.trays) if (tray.status === 'loaded') tray.status = fatal ? 'failed' : 'returned';
      const failed = fatal || view.trays.some((t) => t.status === 'failed');
      this.finish(view, failed ? 'failed' : 'done', state.timestamp, fatal?.errorDescription ?? (failed ? 'order ended before every tray was offered' : undefined));
    }
    return JSON.stringify(view) !== before;
  }

  private finish(view: TripView, status: 'done' | 'failed', at: string, reason?: string): void {
    view.status = status;
    view.finishedAt = at;
    if (reason) view.reason = reason;
    this.options.log.info({ trip: view.id, robot: view.robot, status, reason }, 'trip finished');
  }

  private nextHeaderId(robot: string): number {
    const id = this.headerIds.get(robot) ?? 0;
    this.headerIds.set(robot, id + 1);
    return id;
  }
}

/** A trip as the store keeps it (without what only this run needs). */
function recordOf(trip: Trip): TripRecord {
  const { reconcilePending: _, ...record } = trip;
  return record;
}
