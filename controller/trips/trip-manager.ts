import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/index.js';
import { assertOutbound, orderSchema, robotAction, type Clock, type CreateTripBody, type Language, type Order, type State, type TripView } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { ContaminationWatch } from '../fleet/contamination.js';
import { writeInBackground, type Audit, type Page, type Store, type TripRecord } from '../storage/index.js';
import type { SiteGraph } from '../site/index.js';
import { tripPlanFor } from './capabilities.js';
import { tripOrdersFor } from './trip-orders.js';
import { abandonTrip, confirmActionId, confirmTrayOf, stallTrip, tripOnDoorOpen, tripOnState, unsentTrip, type Trip, type TripEffect } from './trip-core.js';
import { refusal, type Refusal } from '../refusal.js';
import { VdaMaster } from '../vda-master/index.js';
import { startNodeOf } from './start-node.js';
import { balancedRoute, plannedRoutes, ridesPerLift, type PlannedWay } from './lift-balance.js';
import { LiftSessionManager, liftRideModeOf } from '../lifts/index.js';
import { TripLifts } from './trip-lifts.js';
import { TripHolds } from './trip-holds.js';
import type { TripNarrow } from './trip-narrow.js';
import type { DoorPort } from '../../firmware-bridge/index.js';
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
  /** Which robots are contaminated, from their states; an order starts from it. Default a fresh one on `fleet`. */
  contamination?: ContaminationWatch;
  /** The site's door controller: with it, the controller opens the doors on the way of robots with the standard actions only (see `TripDoors`). */
  doorPort?: DoorPort;
  /**
   * Last check of a trip before it is sent, with its orders (the first starts where the robot
   * stands): a refusal stops it (a robot that would end it below its battery reserve, see
   * `EnergyManager.checkTrip`).
   */
  checkTrip?: (robot: string, orders: Order[]) => Refusal | undefined;
  /**
   * After `checkTrip`: a promise when the robot was just told to stop charging, resolved once
   * its state shows it stopped (undefined: send the order) or with why the order cannot go
   * (the trip then ends as a refused order does). See `EnergyManager.untilOffCharger`.
   */
  untilOffCharger?: (robot: string) => Promise<string | undefined> | undefined;
}

/** Finished trips kept in memory by default: the API pages older ones from the store. */
export const KEEP_FINISHED_TRIPS = 200;

/**
 * Runs trips: one robot, its trays mapped to rooms. Orders the visits, sends one VDA order,
 * and follows every tray through the robot's state messages.
 */
export class TripManager extends EventEmitter<{ trip: [TripView]; doorNotOpened: [{ robot: string; door: string; reason: string; orderId: string }] }> {
  /** Every trip in memory: those under way, the newest finished, and those `retain` keeps. */
  private readonly trips = new Map<string, Trip>();
  /** What goes to the robots, and what the controller asks of them by itself (the chargers' orders go through it too, one header count per robot). */
  readonly master: VdaMaster;
  /** Trips under way (planned or running) per robot: what a robot's state message is about. */
  private readonly underway = new Map<string, Set<Trip>>();
  /** Ids of the finished trips in memory, oldest finished first. */
  private readonly finished = new Set<string>();

  /** The lift sessions of the robots on trips. */
  readonly lifts: LiftSessionManager;
  /** Which robots entered red since they were last disinfected. */
  readonly contamination: ContaminationWatch;
  private readonly tripLifts: TripLifts<Trip>;
  /** Disinfection stations, doors and single-width ways the controller holds robots at. */
  private readonly holds: TripHolds<Trip>;

  constructor(private readonly options: TripManagerOptions) {
    super();
    this.master = new VdaMaster({ client: options.client, fleet: options.fleet, clock: options.clock, log: options.log });
    this.lifts = options.lifts ?? new LiftSessionManager({ clock: options.clock, log: options.log });
    this.contamination = options.contamination ?? new ContaminationWatch(options.fleet, (id) => options.graph.nodes.get(id)?.zone, options.log);
    this.tripLifts = new TripLifts<Trip>({
      lifts: this.lifts,
      graph: options.graph,
      clock: options.clock,
      fleet: options.fleet,
      underway: this.underway,
      instantAction: (robot, action) => this.master.instantAction(robot, action),
      nextOrderHeaderId: (robot) => this.master.nextOrderHeaderId(robot),
      sendUpdate: (trip, order, update) => this.sendUpdate(trip, order, update),
    });
    this.holds = new TripHolds<Trip>({
      ...options,
      contamination: this.contamination,
      underway: this.underway,
      nextOrderHeaderId: (robot) => this.master.nextOrderHeaderId(robot),
      sendUpdate: (trip, order, update) => this.sendUpdate(trip, order, update),
      doorNotOpened: (trip, door, reason) => {
        this.emit('doorNotOpened', { robot: trip.view.robot, door, reason, orderId: trip.order.orderId });
        this.stall(trip.view.id, `door ${door} did not open for ${trip.view.robot}: ${reason}`);
      },
    });
    for (const record of options.saved ?? []) {
      const active = record.view.status === 'planned' || record.view.status === 'running';
      this.add({ ...record, ...(active ? { reconcilePending: true } : {}) });
    }
    options.fleet.on('state', (robot, state) => this.onState(robot, state));
    options.fleet.on('lost', (robot) => {
      this.lifts.apply({ type: 'offline', robot });
      for (const trip of this.underway.get(robot) ?? []) trip.reconcilePending = true;
    });
    this.master.start();
  }

  /** The single-width ways: who holds and waits for each (`reservations`), and every wait for one (`waits`). */
  get narrowWays(): TripNarrow<Trip> {
    return this.holds.narrow;
  }

  /** Drops the holds being timed and closes the doors asked open (the controller closes). */
  stop(): void {
    this.holds.stop();
  }

  /**
   * Gives up on a trip whose robot is offline, so its rooms can go on other robots: the trays
   * on board count as failed. If the robot comes back still running the order, it is cancelled
   * (its trays then come back to the station with it), so no room is served twice.
   */
  abandon(tripId: string, reason: string): TripView | undefined {
    const trip = this.trips.get(tripId);
    const effects = trip && abandonTrip(trip, reason, new Date(this.options.clock.now()).toISOString());
    if (!trip || !effects) return undefined;
    void this.apply(trip, effects);
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
      /** With `shortestRoutes`: legs that ride another lift than their shortest route's, as the planner picked (see `plannedRoutes`). */
      ways?: readonly PlannedWay[];
    } = {},
  ): Promise<{ ok: true; trip: TripView } | Refusal> {
    const { fleet, graph, clock } = this.options;
    const unknown = body.trays.findIndex((t) => !graph.roomNodes.has(t.room));
    if (unknown >= 0) return refusal('invalid', `unknown room ${body.trays[unknown]!.room}`, `body.trays.${unknown}.room`);
    const robot = fleet.get(body.robot);
    if (!robot) return refusal('invalid', `no robot ${body.robot} on this site`, 'body.robot');
    if (!robot.online) return refusal('conflict', `robot ${body.robot} is offline`);
    const plan = tripPlanFor(robot.id, fleet.factsheet(robot.id), robot.manufacturer === fleet.ownManufacturer);
    if (!plan.ok) return refusal('conflict', plan.reason);
    if (plan.plan.kind === 'isofleet' && body.trays.some((t) => t.tray > robot.trays)) return refusal('conflict', `robot ${robot.id} has ${robot.trays} trays`);
    const active = this.activeTripOf(robot.id);
    if (active || robot.state !== 'idle') {
      return refusal('conflict', `robot ${robot.id} is busy (${active ? `trip ${active.id}` : robot.state})`);
    }
    const start = startNodeOf(graph, robot.id, robot.node, robot.position);
    if (!start.ok) return refusal('conflict', start.reason);

    const id = randomUUID().slice(0, 8);
    const stops = options.keepOrder ? body.trays : nearestNeighbourOrder(graph, graph.loadingStation.id, body.trays);
    const running = [...this.underway.values()].flatMap((trips) => [...trips]);
    const ridesRouted = ridesPerLift(
      graph,
      running.map((t) => t.order),
    );
    const timestamp = new Date(clock.now()).toISOString();
    // Not tracked yet (no state on a site node): contaminated unless it stands in green, as the watch would take it.
    const contaminated = this.contamination.isContaminated(robot.id) ?? graph.node(start.nodeId).zone !== 'green';
    const factsheet = fleet.factsheet(robot.id);
    const input = {
      graph,
      orderId: `trip-${id}`,
      manufacturer: robot.manufacturer,
      serialNumber: robot.serialNumber,
      headerId: this.master.nextOrderHeaderId(robot.id),
      timestamp,
      startNodeId: start.nodeId,
      stops,
      pickupTimeoutS: this.options.pickupTimeoutS ?? 120,
      language: this.options.language?.(),
      route: options.shortestRoutes ? plannedRoutes(graph, options.ways ?? []) : (from: string, to: string, dirty: boolean) => balancedRoute(graph, from, to, ridesRouted, dirty),
      lifts: liftRideModeOf(factsheet),
      startContaminated: contaminated,
      // Our own robot before its factsheet is taken to run our actions, as in `tripPlanFor`.
      disinfect: factsheet ? factsheet.protocolFeatures.agvActions.some((a) => a.actionType === 'disinfect') : true,
      // Our bridge opens doors itself; a robot with the standard actions only has them opened.
      doors: plan.plan.kind === 'contactless' && this.holds.opensDoors ? ('controller' as const) : undefined,
      // Every robot on a trip goes through single-width ways one direction at a time (see `TripNarrow`).
      narrowWays: 'controller' as const,
    };
    const built = tripOrdersFor(plan.plan, input);
    if (!built.ok) return refusal('conflict', `no way for robot ${robot.id}: ${built.reason}`);
    const orders = built.orders;
    const order = orders.order;
    const cannotHold = this.holds.refusal(robot.id, [order, orders.pending]);
    if (cannotHold) return refusal('conflict', cannotHold);
    const checked = this.options.checkTrip?.(robot.id, orders.pending ? [order, orders.pending] : [order]);
    if (checked) return checked;
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
    for (const o of [order, orders.pending]) if (o) assertOutbound(orderSchema, o);
    // Saved before it is sent: after a crash the trip is known even if the order already left.
    await this.options.store.saveTrip(recordOf(trip));
    this.options.audit({ at: timestamp, actor: options.actor ?? 'controller', action: 'tripSent', subject: `trip ${id}`, detail: { robot: robot.id, trays: body.trays } });
    // A robot refuses an order while its stopCharging still runs: the order goes once it stopped.
    const offCharger = this.options.untilOffCharger?.(robot.id);
    if (offCharger !== undefined) void offCharger.then((refused) => this.sendOffCharger(trip, refused));
    else await this.publishOrder(trip);
    this.options.log.info({ trip: id, robot: robot.id, rooms: view.visits, plan: plan.plan.kind }, 'trip sent');
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  /** An order update for a trip under way (a hold released): `order` saved first as the trip's order, as every order, then `update` sent. */
  private async sendUpdate(trip: Trip, order: Order, update: Order): Promise<void> {
    trip.order = order;
    await this.options.store.saveTrip(recordOf(trip));
    await this.master.order(trip.view.robot, update);
  }

  /** The trip's robot stopped charging (`refused` undefined): its order goes, unless the trip ended meanwhile; or it did not, and the trip ends unsent. */
  private async sendOffCharger(trip: Trip, refused: string | undefined): Promise<void> {
    if (trip.view.status !== 'planned') return;
    if (refused === undefined) return this.publishOrder(trip);
    this.options.log.warn({ trip: trip.view.id, robot: trip.view.robot, reason: refused }, 'trip order not sent');
    await this.apply(trip, unsentTrip(trip, refused, new Date(this.options.clock.now()).toISOString())!);
  }

  /**
   * Sends the trip's order. It was saved first, so one that cannot leave (the broker gone, the
   * controller closing) is logged, not thrown: the trip stays planned and its order is sent
   * again once the robot reports standing idle without it (trip-core `resendOrder`).
   */
  private async publishOrder(trip: Trip): Promise<void> {
    await this.master.order(trip.view.robot, trip.order).catch((error: Error) => {
      this.options.log.warn({ trip: trip.view.id, robot: trip.view.robot, err: error.message }, 'trip order not sent; sent again once the robot reports without it');
    });
  }

  private saveLater(trip: Trip): void {
    writeInBackground(() => this.options.store.saveTrip(recordOf(trip)), this.options.log, `trip ${trip.view.id}`);
  }

  /**
   * The medic confirms one tray as loaded on the dashboard; once every tray of the trip is
   * confirmed the robot is told (instant action confirmLoaded) and leaves.
   */
  async confirmTray(tripId: string, tray: number, actor = 'api'): Promise<{ ok: true; trip: TripView } | Refusal> {
    const trip = this.trips.get(tripId);
    const effects = confirmTrayOf(trip, tripId, tray, actor, new Date(this.options.clock.now()).toISOString());
    if (!Array.isArray(effects)) return effects;
    await this.apply(trip!, effects);
    return { ok: true, trip: trip!.view };
  }

  /**
   * A contactless trip whose trays are all confirmed: its delivery order replaces the approach
   * order (saved first, as every order) and leaves. Sent while the robot may still be on its way
   * to the station: it starts at the station, where the approach order ends, so a robot stitches
   * it on (VDA 5050 6.6.4) or, already there, takes it as a new order.
   */
  private async releaseDelivery(trip: Trip): Promise<void> {
    const delivery = trip.pending!;
    trip.order = { ...delivery, headerId: this.master.nextOrderHeaderId(trip.view.robot), timestamp: new Date(this.options.clock.now()).toISOString() };
    trip.orderId = delivery.orderId;
    trip.pending = undefined;
    await this.options.store.saveTrip(recordOf(trip));
    await this.publishOrder(trip);
  }

  private onState(robot: string, state: State): void {
    this.master.observe(robot, state);
    this.tripLifts.observe(robot, state);
    this.holds.observe(robot, state);
    // Only this robot's trips under way: the cost of a state message does not grow with history.
    for (const trip of [...(this.underway.get(robot) ?? [])]) {
      const step = tripOnState(trip, state);
      void this.apply(trip, step.effects);
      if (step.reconciled) continue;
      // Rides it asks for, rides, or ended (a trip that just ended has released its cars); stations it is held at.
      if (!this.underway.get(robot)?.has(trip)) continue;
      this.tripLifts.onTripState(robot, trip, state);
      this.holds.onTripState(robot, trip, state);
    }
  }

  /** Trays for `room` on robots' trips under way (loaded, not yet offered): a delivery is due. */
  traysDueAt(room: string): number {
    let due = 0;
    for (const trips of this.underway.values()) for (const trip of trips) due += trip.view.trays.filter((t) => t.room === room && t.status === 'loaded').length;
    return due;
  }

  /**
   * The door of `room` opened at `at` (ISO): trays waiting at that door now are marked
   * `doorOpenedAt` (see `tripOnDoorOpen`), so their pickup counts as collected. Returns how many.
   */
  doorOpened(room: string, at: string): number {
    let marked = 0;
    for (const trips of this.underway.values()) {
      for (const trip of [...trips]) {
        const effects = tripOnDoorOpen(trip, room, at, this.options.fleet.lastState(trip.view.robot));
        if (effects.length === 0) continue;
        marked += trip.view.trays.filter((t) => t.room === room && t.doorOpenedAt === at).length;
        void this.apply(trip, effects);
      }
    }
    return marked;
  }

  /**
   * Ends a trip whose robot no longer makes progress (see `watchTripProgress`) the way
   * {@link stop} does: the rooms on board can be planned again, the robot is told to cancel.
   */
  stall(tripId: string, reason: string): TripView | undefined {
    const trip = this.trips.get(tripId);
    const effects = trip && stallTrip(trip, reason, new Date(this.options.clock.now()).toISOString(), this.options.fleet.lastState(trip.view.robot)?.orderId);
    if (!trip || !effects) return undefined;
    void this.apply(trip, effects);
    return trip.view;
  }

  /**
   * Applies the trip core's effects in order; resolves once the messages the robot must have
   * before the screens hear of it (`confirmLoaded`, the delivery order) are published.
   */
  private async apply(trip: Trip, effects: TripEffect[]): Promise<void> {
    const { view } = trip;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'finished':
          this.options.log.info({ trip: view.id, robot: view.robot, status: view.status, reason: view.reason }, 'trip finished');
          this.settled(trip);
          this.holds.ended(view.robot);
          // Its place in a lift queue for this trip's orders (`trip-ID`, `trip-ID:approach`) is given up;
          // a car it holds goes once its state shows the ride over.
          this.lifts.apply({ type: 'cancelled', robot: view.robot, sessionPrefix: `trip-${view.id}:` });
          break;
        case 'cancelOrder':
          void this.master.cancelOrder(view.robot, trip.orderId);
          break;
        case 'watchAbandoned':
          this.master.watchAbandoned(trip.orderId);
          break;
        case 'resendOrder':
          this.options.log.info({ trip: view.id, robot: view.robot }, 'order re-sent after restart');
          void this.publishOrder(trip);
          break;
        case 'confirmLoaded':
          await this.master.instantAction(view.robot, robotAction('confirmLoaded', confirmActionId(trip.orderId), { trays: effect.trays }, 'NONE'));
          break;
        case 'releaseDelivery':
          await this.releaseDelivery(trip);
          break;
        case 'save':
          this.saveLater(trip);
          break;
        case 'audit':
          this.options.audit(effect.line);
          break;
        case 'push':
          this.emit('trip', view);
          break;
      }
    }
  }
}

/** A trip as the store keeps it (without what only this run needs). */
function recordOf(trip: Trip): TripRecord {
  const { reconcilePending: _, ...record } = trip;
  return record;
}
