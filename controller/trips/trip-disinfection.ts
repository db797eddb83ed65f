import type { ClockTimer, Order, State } from '../../protocol/index.js';
import type { ContaminationWatch } from '../fleet/contamination.js';
import type { Audit } from '../storage/index.js';
import { disinfectionHoldReached, holdsOf, releaseHold, type HeldTrip, type HoldReleaseOptions } from './order-holds.js';

export interface TripDisinfectionOptions<T extends HeldTrip> extends HoldReleaseOptions<T> {
  audit: Audit;
  contamination: ContaminationWatch;
}

/** A hold being timed: the trip, its order and the station's node in it. */
interface Timing<T> {
  trip: T;
  orderId: string;
  sequenceId: number;
  timer: ClockTimer;
}

/**
 * Holds robots that cannot run `disinfect` (a stock AGV) at the disinfection stations their
 * orders hold them at (see `OrderHold`): once a robot's state shows it standing on the station,
 * it stays for the station's `durationS` (the station's UV tunnel or spray arch works on what
 * stands in it; for `wait` a person wipes it down meanwhile), then an order update releases the
 * rest of its way, the robot counts as disinfected (`ContaminationWatch.disinfectedAt`), and the
 * audit log says so (`robotDisinfected`, `heldByController`). A robot that answers an update with
 * an `orderUpdateError` (VDA 5050 2.1, 6.6.3) is remembered: it cannot be held, so trips that
 * would need it are refused ({@link cannotHold}). After a controller restart a robot found on a
 * station is held for the whole duration again (an extra disinfection is the safe mistake).
 */
export class TripDisinfection<T extends HeldTrip> {
  /** Holds being timed, by robot (one at a time: a robot stands on one station). */
  private readonly timing = new Map<string, Timing<T>>();
  /** Robots seen refusing an order update. */
  private readonly refusingUpdates = new Set<string>();

  constructor(private readonly options: TripDisinfectionOptions<T>) {}

  /** Why `robot` cannot be held at a station, or `undefined` when it can. */
  cannotHold(robot: string): string | undefined {
    return this.refusingUpdates.has(robot) ? `it refused an order update (orderUpdateError), and a robot without disinfect is held at the station by the order's horizon` : undefined;
  }

  /** Whether `order` holds its robot at a disinfection station (see `OrderHold`). */
  holdsForDisinfection(order: Order): boolean {
    return holdsOf(this.options.graph, order).some((h) => h.kind === 'disinfect');
  }

  /** A state of a robot about a trip still under way: it reached a station it is held at, or refused the update. */
  onTripState(robot: string, trip: T, state: State): void {
    // An update of the order it runs refused (not a new order that did not stitch on).
    const refused =
      state.orderId === trip.order.orderId &&
      state.errors.some((e) => e.errorType === 'orderUpdateError' && e.errorReferences?.some((r) => r.referenceKey === 'orderId' && r.referenceValue === state.orderId));
    if (refused) {
      if (!this.refusingUpdates.has(robot)) this.options.log.warn({ robot, trip: trip.view.id }, 'robot refused an order update: it cannot be held at disinfection stations');
      this.refusingUpdates.add(robot);
    }
    const hold = disinfectionHoldReached(this.options.graph, trip.order, state);
    const timing = this.timing.get(robot);
    if (!hold || (timing?.orderId === trip.order.orderId && timing.sequenceId === hold.sequenceId)) return;
    const since = this.options.clock.now();
    const timer = this.options.clock.setTimeout(() => {
      this.release(robot, since).catch((error: Error) => this.options.log.warn({ robot, trip: trip.view.id, err: error.message }, 'could not release the disinfection hold'));
    }, hold.durationS * 1000);
    this.timing.set(robot, { trip, orderId: trip.order.orderId, sequenceId: hold.sequenceId, timer });
    this.options.log.info({ robot, trip: trip.view.id, station: hold.nodeId, method: hold.method, durationS: hold.durationS }, 'robot held at the disinfection station');
  }

  /** The robot's trip ended (or it left): a hold still timed for it is dropped. */
  ended(robot: string): void {
    const timing = this.timing.get(robot);
    if (timing) this.options.clock.clearTimeout(timing.timer);
    this.timing.delete(robot);
  }

  /** Drops every hold being timed (the controller stops; after a restart a robot on a station is held again). */
  stop(): void {
    for (const robot of [...this.timing.keys()]) this.ended(robot);
  }

  /** The station's duration has passed: release the rest of the order, count the robot disinfected. */
  private async release(robot: string, sinceMs: number): Promise<void> {
    const { graph, clock, underway } = this.options;
    const timing = this.timing.get(robot);
    this.timing.delete(robot);
    if (!timing || !underway.get(robot)?.has(timing.trip) || timing.trip.order.orderId !== timing.orderId) return;
    const { trip } = timing;
    const hold = holdsOf(graph, trip.order).find((h) => h.kind === 'disinfect' && h.sequenceId === timing.sequenceId);
    if (hold?.kind !== 'disinfect' || trip.order.edges[hold.edgeIndex]!.released) return;
    const at = new Date(clock.now()).toISOString();
    this.options.contamination.disinfectedAt(robot, hold.nodeId, at);
    this.options.audit({
      at,
      actor: 'controller',
      action: 'robotDisinfected',
      subject: robot,
      detail: { trip: trip.view.id, station: hold.nodeId, method: hold.method, durationS: hold.durationS, heldByController: true, since: new Date(sinceMs).toISOString() },
    });
    const { order, update } = releaseHold(graph, trip.order, hold.edgeIndex, { headerId: this.options.nextOrderHeaderId(robot), timestamp: at });
    await this.options.sendUpdate(trip, order, update);
  }
}
