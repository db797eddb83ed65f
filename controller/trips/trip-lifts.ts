import { robotAction, type Action, type Clock, type Order, type State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { liftEventsOf, ridesOf, type LiftEvent, type LiftHolder, type LiftSessionManager } from '../lifts/index.js';
import type { SiteGraph } from '../site/index.js';
import { releaseHold } from './order-holds.js';

/** What the lift glue reads of a trip under way. */
interface TripOrder {
  order: Order;
  /** Loaded after a restart, or its robot dropped out, and not heard from since. */
  reconcilePending?: boolean;
}

export interface TripLiftsOptions<T extends TripOrder> {
  lifts: LiftSessionManager;
  graph: SiteGraph;
  clock: Clock;
  fleet: FleetRegistry;
  /** The trips under way, per robot. */
  underway: ReadonlyMap<string, ReadonlySet<T>>;
  instantAction(robot: string, action: Action): Promise<void>;
  /** Saves `order` as the trip's order now (the whole order, the ride released) and sends `update` to the robot. */
  sendUpdate(trip: T, order: Order, update: Order): Promise<void>;
  nextOrderHeaderId(robot: string): number;
}

/**
 * Between trips and lift sessions: reads what robots on trips say about their rides, and tells a
 * robot when it has the car (see `LiftRideMode`).
 */
export class TripLifts<T extends TripOrder> {
  /** Requests held back while robots online have not reported since a restart or an outage, by robot. */
  private readonly heldRequests = new Map<string, LiftEvent[]>();

  constructor(private readonly options: TripLiftsOptions<T>) {
    options.lifts.grant = (holder) => void this.grant(holder);
  }

  /** Any state of a robot: a car it holds for a ride its state no longer shows is released. */
  observe(robot: string, state: State): void {
    this.options.lifts.observe(robot, state);
  }

  /**
   * A state of a robot about a trip still under way: the rides it asks for, rides, or ended.
   * Requests wait while a robot that is online has a trip not yet reconciled (after a controller
   * restart): it may be riding a car it has not reported yet, and a car granted to another robot
   * would meet it inside.
   */
  onTripState(robot: string, trip: T, state: State): void {
    const { lifts, graph, clock, fleet, underway } = this.options;
    const events = liftEventsOf(graph, robot, trip.order, state, clock.now());
    const requests = events.filter((e) => e.type === 'request');
    lifts.apply(...events.filter((e) => e.type !== 'request'));
    const unheard = [...underway].some(([r, trips]) => fleet.get(r)?.online && [...trips].some((t) => t.reconcilePending));
    if (unheard) {
      if (requests.length) this.heldRequests.set(robot, requests);
      return;
    }
    const held = [...this.heldRequests.values()].flat();
    this.heldRequests.clear();
    lifts.apply(...held, ...requests);
  }

  /**
   * Tells a robot it has the car: the instant action `liftGranted` for a ride with `liftRide`,
   * else an order update releasing the ride and the way to the next one. A session no trip under
   * way knows any more is ended.
   */
  private async grant(holder: LiftHolder): Promise<void> {
    const { graph, clock, underway } = this.options;
    for (const trip of underway.get(holder.robot) ?? []) {
      const ride = ridesOf(graph, trip.order).find((r) => r.session === holder.session);
      if (!ride) continue;
      if (trip.order.edges[ride.edgeIndex]!.actions.some((a) => a.actionId === holder.session)) {
        await this.options.instantAction(holder.robot, robotAction('liftGranted', `${holder.session}:granted`, { session: holder.session }, 'NONE'));
        return;
      }
      const { order, update } = releaseHold(graph, trip.order, ride.edgeIndex, {
        headerId: this.options.nextOrderHeaderId(holder.robot),
        timestamp: new Date(clock.now()).toISOString(),
      });
      await this.options.sendUpdate(trip, order, update);
      return;
    }
    queueMicrotask(() => this.options.lifts.apply({ type: 'ended', session: holder.session }));
  }
}
