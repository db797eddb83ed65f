import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../firmware-bridge/index.js';
import {
  orderSchema,
  PICKUP_RESULT,
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
import type { SiteGraph } from '../site/index.js';
import { buildTripOrder, parseTripActionId } from './order-builder.js';
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
}

/** Why a trip cannot start now (HTTP 409). */
export type TripConflict = { ok: false; reason: string };

interface Trip {
  view: TripView;
  orderId: string;
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
    options.fleet.on('state', (robot, state) => this.onState(robot, state));
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
  async create(body: CreateTripBody, options: { keepOrder?: boolean } = {}): Promise<{ ok: true; trip: TripView } | TripConflict> {
    const { fleet, graph, clock } = this.options;
    const robot = fleet.get(body.robot);
    if (!robot || !robot.online) return { ok: false, reason: `robot ${body.robot} is offline` };
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
    this.trips.set(id, { view, orderId: order.orderId });
    if (process.env.NODE_ENV === 'test') orderSchema.parse(order);
    await this.options.client.publishAsync(vdaTopic({ manufacturer: this.options.manufacturer, serialNumber: robot.id }, 'order'), JSON.stringify(order), { qos: 1 });
    this.options.log.info({ trip: id, robot: robot.id, rooms: view.visits }, 'trip sent');
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  /**
   * The medic confirms one tray as loaded on the dashboard; once every tray of the trip is
   * confirmed the robot is told (instant action confirmLoaded) and leaves.
   */
  async confirmTray(tripId: string, tray: number): Promise<{ ok: true; trip: TripView } | { ok: false; status: 404 | 409; reason: string }> {
    const trip = this.trips.get(tripId);
    if (!trip) return { ok: false, status: 404, reason: `no trip ${tripId}` };
    const view = trip.view;
    if (view.status !== 'planned') return { ok: false, status: 409, reason: `trip ${tripId} has already left (${view.status})` };
    if (!view.trays.some((t) => t.tray === tray)) return { ok: false, status: 409, reason: `trip ${tripId} has nothing on tray ${tray}` };
    if (!view.loading.confirmedTrays.includes(tray)) view.loading.confirmedTrays = [...view.loading.confirmedTrays, tray].sort();
    if (view.trays.every((t) => view.loading.confirmedTrays.includes(t.tray))) {
      const { manufacturer, clock } = this.options;
      const message = {
        headerId: this.nextHeaderId(`${view.robot}/instantActions`),
        timestamp: new Date(clock.now()).toISOString(),
        version: VDA_VERSION,
        manufacturer,
        serialNumber: view.robot,
        actions: [robotAction('confirmLoaded', `${trip.orderId}:confirm`, { trays: view.loading.confirmedTrays }, 'NONE')],
      };
      await this.options.client.publishAsync(vdaTopic({ manufacturer, serialNumber: view.robot }, 'instantActions'), JSON.stringify(message), { qos: 1 });
    }
    this.emit('trip', view);
    return { ok: true, trip: view };
  }

  private onState(robot: string, state: State): void {
    for (const trip of this.trips.values()) {
      if (trip.view.robot !== robot || trip.view.status === 'done' || trip.view.status === 'failed') continue;
      if (this.apply(trip, state)) this.emit('trip', trip.view);
    }
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
      if (!tray || tray.status !== 'loaded') continue;
      if (action.actionStatus === 'FINISHED') {
        tray.status = 'delivered';
        tray.deliveredAt = state.timestamp;
      } else {
        tray.status = action.resultDescription === PICKUP_RESULT.notCollected ? 'notCollected' : 'failed';
      }
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
