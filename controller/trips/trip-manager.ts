import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../firmware-bridge/index.js';
import { orderSchema, PICKUP_RESULT, robotAction, type Clock, type CreateTripBody, type Language, type State, type TripView } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { writeInBackground, type Audit, type Page, type Store, type TripRecord } from '../storage/index.js';
import type { SiteGraph } from '../site/index.js';
import { tripPlanFor } from './capabilities.js';
import { buildContactlessOrders } from './contactless-order.js';
import { buildTripOrder, parseTripActionId } from './order-builder.js';
import { RobotOutbox } from './robot-outbox.js';
import { startNodeOf } from './start-node.js';
import { balancedRoute, ridesPerLift } from './lift-balance.js';
import { LiftSessionManager, liftRideModeOf } from '../lifts/index.js';
import { TripLifts } from './trip-lifts.js';
import { nearestNeighbourOrder } from './visit-order.js';

export interface TripManagerOptions {
  client: MqttClient;
  fleet: FleetRegistry;
  graph: SiteGraph;
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
  /** Finished trips kept in memory (and pushed to new screens) besides those `retain` keeps. Default 200. */
  keepFinished?: number;
  /** True for a finished trip that must stay in memory beyond the window (a trip of a round still held). */
  retain?: (trip: TripRecord) => boolean;
  /** Who holds which lift car; the trips ask for cars and tell robots when they have one. Default a fresh one. */
  lifts?: LiftSessionManager;
}

/** Finished trips kept in memory by default: the API pages older ones from the store. */
export const KEEP_FINISHED_TRIPS = 200;

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
  /** Every trip in memory: those under way, the newest finished, and those `retain` keeps. */
  private readonly trips = new Map<string, Trip>();
  private readonly outbox: RobotOutbox;
  /** Trips under way (planned or running) per robot: what a robot's state message is about. */
  private readonly underway = new Map<string, Set<Trip>>();
  /** Ids of the finished trips in memory, oldest finished first. */
  private readonly finished = new Set<string>();

  /** The lift sessions of the robots on trips. */
  readonly lifts: LiftSessionManager;
  private readonly tripLifts: TripLifts<Trip>;

  constructor(private readonly options: TripManagerOptions) {
    super();
    this.outbox = new RobotOutbox(options.client, options.fleet, options.clock);
    this.lifts = options.lifts ?? new LiftSessionManager({ clock: options.clock, log: options.log });
    this.tripLifts = new TripLifts<Trip>({
      lifts: this.lifts,
      graph: options.graph,
      clock: options.clock,
      fleet: options.fleet,
      underway: this.underway,
      instantAction: (robot, action) => this.sendInstantAction(robot, action),
      nextOrderHeaderId: (robot) => this.outbox.nextHeaderId(robot, 'order'),
      sendUpdate: async (trip, order, update) => {
        // Saved first, as every order.
        trip.order = order;
        await options.store.saveTrip(recordOf(trip));
        await this.outbox.order(trip.view.robot, update);
      },
    });
    for (const record of options.saved ?? []) {
      const active = record.view.status === 'planned' || record.view.status === 'running';
      this.add({ ...record, ...(active ? { reconcilePending: true } : {}) });
    }
    options.fleet.on('state', (robot, state) => this.onState(robot, state));
    options.fleet.on('lost', (robot) => {
      this.factsheetRequested.delete(robot);
      this.lifts.apply({ type: 'offline', robot });
      for (const trip of this.underway.get(robot) ?? []) trip.reconcilePending = true;
    });
    // After a restart, ask every robot that shows up for its state at once instead of waiting up to 30 s.
    options.fleet.on('robot', (robot) => {
      if (!robot.online || this.stateRequested.has(robot.id)) return;
      this.stateRequested.add(robot.id);
      void this.sendInstantAction(robot.id, robotAction('stateRequest', `state-${robot.id}-${Math.round(options.clock.now()).toString(36)}`, {}, 'NONE'));
    });
    // A robot without a factsheet once it reports (ours publish theirs before their first state)
    // is asked for one, again every 10 s while none valid comes: trips are planned from the actions it lists.
    options.fleet.on('state', (robot) => {
      const askedMs = this.factsheetRequested.get(robot);
      if (options.fleet.factsheet(robot) || (askedMs !== undefined && options.clock.now() - askedMs < 10_000)) return;
      this.factsheetRequested.set(robot, options.clock.now());
      void this.sendInstantAction(robot, { actionType: 'factsheetRequest', actionId: `factsheet-${robot}-${Math.round(options.clock.now()).toString(36)}`, blockingType: 'NONE' });
    });
  }

  private readonly stateRequested = new Set<string>();
  /** Clock ms each robot without a factsheet was last asked for one. */
  private readonly factsheetRequested = new Map<string, number>();
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

  /** The trips in memory, oldest first: every one under way, the newest finished, and those retained. */
  list(): TripView[] {
    return [...this.trips.values()].map((t) => t.view);
  }

  get(id: string): TripView | undefined {
    return this.trips.get(id)?.view;
  }

  /** The trip a robot is on, if any. */
  activeTripOf(robot: string): TripView | undefined {
    for (const trip of this.underway.get(robot) ?? []) return trip.view;
    return undefined;
  }

  /**
   * A page of every trip ever made, newest first (`limit`, older than trip `before`), as the
   * store has them with the ones in memory as they are now; undefined when `before` names no trip.
   */
  async page(page: Page): Promise<TripView[] | undefined> {
    const records = await this.options.store.tripPage(page);
    return records?.map((r) => this.trips.get(r.view.id)?.view ?? r.view);
  }

  private add(trip: Trip): void {
    this.trips.set(trip.view.id, trip);
    if (trip.view.status === 'planned' || trip.view.status === 'running') {
      const mine = this.underway.get(trip.view.robot) ?? this.underway.set(trip.view.robot, new Set()).get(trip.view.robot)!;
      mine.add(trip);
      // Loaded finished: the store already chose the window.
    } else this.finished.add(trip.view.id);
  }

  /**
   * A trip just finished: it leaves the robot's trips under way and
   * joins the window of finished trips, whose oldest leave memory (not the store) beyond
   * `keepFinished`, unless `retain` keeps them.
   */
  private settled(trip: Trip): void {
    this.underway.get(trip.view.robot)?.delete(trip);
    this.finished.add(trip.view.id);
    this.forgetOldFinished();
  }

  /** Drops the oldest finished trips beyond the window (a round that ended releases its trips here too). */
  forgetOldFinished(): void {
    const keep = this.options.keepFinished ?? KEEP_FINISHED_TRIPS;
    const retain = this.options.retain ?? (() => false);
    const free = [...this.finished].filter((id) => !retain(this.trips.get(id)!));
    for (const id of free.slice(0, Math.max(0, free.length - keep))) {
      this.finished.delete(id);
      this.trips.delete(id);
    }
  }

  /**
   * Starts a trip, or says why it cannot start now. The rooms are visited in nearest-neighbour
   * order unless `keepOrder` (a planner already ordered them).
   */
  async create(
    body: CreateTripBody,
    options: {
      keepOrder?: boolean;
      origin?: TripRecord['origin'];
      /** Who sent it, for the audit log. */
      actor?: string;
      /** Ride the cars of the shortest routes instead of balancing them here: a planner that timed the queues for the cars on those routes. */
      shortestRoutes?: boolean;
    } = {},
  ): Promise<{ ok: true; trip: TripView } | TripConflict> {
    const { fleet, graph, clock } = this.options;
    const robot = fleet.get(body.robot);
    if (!robot?.online) return { ok: false, reason: `robot ${body.robot} is offline` };
    const unknown = body.trays.filter((t) => !graph.roomNodes.has(t.room)).map((t) => t.room);
    if (unknown.length) return { ok: false, reason: `unknown room ${unknown.join(', ')}` };
    const plan = tripPlanFor(robot.id, fleet.factsheet(robot.id), robot.manufacturer === fleet.ownManufacturer);
    if (!plan.ok) return plan;
    if (plan.plan.kind === 'isofleet' && body.trays.some((t) => t.tray > robot.trays)) return { ok: false, reason: `robot ${robot.id} has ${robot.trays} trays` };
    const active = this.activeTripOf(robot.id);
    if (active || robot.state !== 'idle') {
      return { ok: false, reason: `robot ${robot.id} is busy (${active ? `trip ${active.id}` : robot.state})` };
    }
    const start = startNodeOf(graph, robot.id, robot.node, robot.position);
    if (!start.ok) return start;

    const id = randomUUID().slice(0, 8);
    const stops = options.keepOrder ? body.trays : nearestNeighbourOrder(graph, graph.loadingStation.id, body.trays);
    const running = [...this.underway.values()].flatMap((trips) => [...trips]);
    const ridesRouted = ridesPerLift(
      graph,
      running.map((t) => t.order),
    );
    const timestamp = new Date(clock.now()).toISOString();
    const input = {
      graph,
      orderId: `trip-${id}`,
      manufacturer: robot.manufacturer,
      serialNumber: robot.serialNumber,
      headerId: this.outbox.nextHeaderId(robot.id, 'order'),
      timestamp,
      startNodeId: start.nodeId,
      stops,
      pickupTimeoutS: this.options.pickupTimeoutS ?? 120,
      language: this.options.language?.(),
      route: (from: string, to: string) => (options.shortestRoutes ? graph.route(from, to) : balancedRoute(graph, from, to, ridesRouted)),
      lifts: liftRideModeOf(fleet.factsheet(robot.id)),
    };
    let orders: Pick<TripRecord, 'order' | 'pending'>;
    try {
      if (plan.plan.kind === 'isofleet') orders = { order: buildTripOrder(input) };
      else {
        const { approach, delivery } = buildContactlessOrders(input, plan.plan);
        orders = { order: approach, pending: delivery };
      }
    } catch (error) {
      // A site whose graph leaves the robot's node unconnected: say so, do not answer 500.
      return { ok: false, reason: `no way for robot ${robot.id}: ${(error as Error).message}` };
    }
    const order = orders.order;
    const view: TripView = {
      id,
      robot: robot.id,
      status: 'planned',
      visits: stops.map((s) => s.room),
      trays: body.trays.map((t) => ({ ...t, status: 'loaded' as const })),
      loading: { confirmedTrays: [] },
      createdAt: timestamp,
    };
    const trip: Trip = { view, orderId: order.orderId, ...orders, ...(options.origin ? { origin: options.origin } : {}) };
    this.add(trip);
    if (process.env.NODE_ENV === 'test') for (const o of [order, orders.pending]) if (o) orderSchema.parse(o);
    // Saved before it is sent: after a crash the trip is known even if the order already left.
    await this.options.store.saveTrip(recordOf(trip));
    this.options.audit({ at: timestamp, actor: options.actor ?? 'controller', action: 'tripSent', subject: `trip ${id}`, detail: { robot: robot.id, trays: body.trays } });
    await this.publishOrder(trip);
    this.options.log.info({ trip: id, robot: robot.id, rooms: view.visits, plan: plan.plan.kind }, 'trip sent');
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  private async publishOrder(trip: Trip): Promise<void> {
    await this.outbox.order(trip.view.robot, trip.order);
  }

  private async sendInstantAction(robot: string, action: Parameters<RobotOutbox['instantAction']>[1]): Promise<void> {
    await this.outbox.instantAction(robot, action);
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
      if (trip.pending) await this.releaseDelivery(trip);
      else await this.sendInstantAction(view.robot, robotAction('confirmLoaded', `${trip.orderId}:confirm`, { trays: view.loading.confirmedTrays }, 'NONE'));
    }
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  /**
   * A contactless trip whose trays are all confirmed: its delivery order replaces the approach
   * order (saved first, as every order) and leaves. Sent while the robot may still be on its way
   * to the station: it starts at the station, where the approach order ends, so a robot stitches
   * it on (VDA 5050 6.6.4) or, already there, takes it as a new order.
   */
  private async releaseDelivery(trip: Trip): Promise<void> {
    const delivery = trip.pending!;
    trip.order = { ...delivery, headerId: this.outbox.nextHeaderId(trip.view.robot, 'order'), timestamp: new Date(this.options.clock.now()).toISOString() };
    trip.orderId = delivery.orderId;
    trip.pending = undefined;
    await this.options.store.saveTrip(recordOf(trip));
    await this.publishOrder(trip);
  }

  private onState(robot: string, state: State): void {
    const running = state.nodeStates.length > 0 || state.actionStates.some((a) => a.actionStatus === 'WAITING' || a.actionStatus === 'RUNNING');
    if (this.abandonedOrders.has(state.orderId) && running) {
      this.abandonedOrders.delete(state.orderId);
      this.options.log.warn({ robot, orderId: state.orderId }, 'robot came back on an abandoned trip: cancelling it');
      void this.sendInstantAction(robot, robotAction('cancelOrder', `${state.orderId}:cancel`, {}, 'HARD'));
    }
    this.tripLifts.observe(robot, state);
    // Only this robot's trips under way: the cost of a state message does not grow with history.
    for (const trip of [...(this.underway.get(robot) ?? [])]) {
      if (trip.reconcilePending && this.reconcile(trip, state)) continue;
      if (this.apply(trip, state)) {
        this.saveLater(trip);
        this.emit('trip', trip.view);
      }
      // Rides it asks for, rides, or ended (a trip that just ended has released its cars).
      if (this.underway.get(robot)?.has(trip)) this.tripLifts.onTripState(robot, trip, state);
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
      if (rejection) this.stop(trip, state, 'returned', `robot rejected the order: ${rejection.errorDescription ?? rejection.errorType}`);
      return JSON.stringify(view) !== before;
    }
    const confirmError = this.confirmLoadedError(trip, state);
    if (confirmError) {
      this.stop(trip, state, 'returned', `robot refused confirmLoaded: ${confirmError}; the trays are still at the station`);
      return true;
    }
    // A robot that stops with a FATAL error mid-order does not go on by itself (a stock AGV keeps
    // its order and waits): the rooms on board are failed now, so they can be planned again.
    const fatal = state.errors.find((e) => e.errorLevel === 'FATAL');
    const alive = state.nodeStates.length > 0 || state.actionStates.some((a) => a.actionStatus !== 'FINISHED' && a.actionStatus !== 'FAILED');
    if (fatal && alive) {
      this.stop(trip, state, 'failed', `${view.robot} stopped with a FATAL error: ${fatal.errorDescription ?? fatal.errorType}`);
      return true;
    }
    let allFinal = true;
    for (const action of state.actionStates) {
      const meaning = parseTripActionId(trip.orderId, action.actionId);
      if (!meaning) continue;
      const final = action.actionStatus === 'FINISHED' || action.actionStatus === 'FAILED';
      allFinal &&= final;
      if ((meaning.kind === 'load' || meaning.kind === 'pick') && action.actionStatus === 'FINISHED' && view.status === 'planned') view.status = 'running';
      const handsOver = meaning.kind === 'pickup' || meaning.kind === 'drop' || (meaning.kind === 'pick' && action.actionStatus === 'FAILED');
      if (!handsOver || !final) continue;
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
    // A contactless trip's approach order ending means the robot waits at the station for the medic.
    if (!trip.pending && allFinal && state.nodeStates.length === 0 && !state.driving) {
      const fatal = state.errors.find((e) => e.errorLevel === 'FATAL');
      for (const tray of view.trays) if (tray.status === 'loaded') tray.status = fatal ? 'failed' : 'returned';
      const failed = fatal || view.trays.some((t) => t.status === 'failed');
      this.finish(view, failed ? 'failed' : 'done', state.timestamp, fatal?.errorDescription ?? (failed ? 'order ended before every tray was offered' : undefined));
    }
    return JSON.stringify(view) !== before;
  }

  /** Why the robot refused our `confirmLoaded` for this trip, if it did (a FAILED action state or an error naming it). */
  private confirmLoadedError(trip: Trip, state: State): string | undefined {
    if (trip.view.status !== 'planned') return undefined;
    const actionId = `${trip.orderId}:confirm`;
    const error = state.errors.find((e) => e.errorReferences?.some((r) => r.referenceKey === 'actionId' && r.referenceValue === actionId));
    if (error) return error.errorDescription ?? error.errorType;
    const failed = state.actionStates.find((a) => a.actionId === actionId && a.actionStatus === 'FAILED');
    return failed ? (failed.resultDescription ?? 'FAILED') : undefined;
  }

  /**
   * Ends a trip its robot cannot finish: trays still on board become `onBoard` (`failed`: out
   * on the robot; `returned`: never left the station), so the medic can plan the rooms again
   * (`POST /api/trips/:id/replan`); a robot still holding the order is told to cancel it.
   */
  private stop(trip: Trip, state: State, onBoard: 'failed' | 'returned', reason: string): void {
    for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = onBoard;
    this.finish(trip.view, 'failed', state.timestamp, reason);
    if (state.orderId === trip.orderId && state.nodeStates.length > 0) {
      void this.sendInstantAction(trip.view.robot, robotAction('cancelOrder', `${trip.orderId}:cancel`, {}, 'HARD'));
    } else this.abandonedOrders.add(trip.orderId);
  }

  /**
   * Ends a trip whose robot no longer makes progress (see `watchTripProgress`) the way
   * {@link stop} does: the rooms on board can be planned again, the robot is told to cancel.
   */
  stall(tripId: string, reason: string): TripView | undefined {
    const trip = this.trips.get(tripId);
    if (trip?.view.status !== 'running') return undefined;
    const state = this.options.fleet.lastState(trip.view.robot);
    const at = new Date(this.options.clock.now()).toISOString();
    for (const tray of trip.view.trays) if (tray.status === 'loaded') tray.status = 'failed';
    this.finish(trip.view, 'failed', at, reason);
    if (state?.orderId === trip.orderId) void this.sendInstantAction(trip.view.robot, robotAction('cancelOrder', `${trip.orderId}:cancel`, {}, 'HARD'));
    this.abandonedOrders.add(trip.orderId);
    this.saveLater(trip);
    this.options.audit({ at, actor: 'controller', action: 'tripStalled', subject: `trip ${tripId}`, detail: { robot: trip.view.robot, reason } });
    this.emit('trip', trip.view);
    return trip.view;
  }

  private finish(view: TripView, status: 'done' | 'failed', at: string, reason?: string): void {
    view.status = status;
    view.finishedAt = at;
    if (reason) view.reason = reason;
    this.options.log.info({ trip: view.id, robot: view.robot, status, reason }, 'trip finished');
    this.settled(this.trips.get(view.id)!);
    // Its place in a lift queue for this trip's orders (`trip-ID`, `trip-ID:approach`) is given up;
    // a car it holds goes once its state shows the ride over.
    this.lifts.apply({ type: 'cancelled', robot: view.robot, sessionPrefix: `trip-${view.id}:` });
  }
}

/** A trip as the store keeps it (without what only this run needs). */
function recordOf(trip: Trip): TripRecord {
  const { reconcilePending: _, ...record } = trip;
  return record;
}
