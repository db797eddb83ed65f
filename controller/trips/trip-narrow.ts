import type { Order, State } from '../../protocol/index.js';
import { narrowWaysOf } from '../traffic/narrow-ways.js';
import { WayReservations, type WayClaim } from '../traffic/way-reservations.js';
import { grantWay, holdsOf, type HeldTrip, type HoldReleaseOptions } from './order-holds.js';

/** A robot standing at a way's end, its order held there until the way is granted. */
interface Waiting {
  /** The trip or other errand whose order holds the robot. */
  held: HeldTrip;
  /** Whether the robot is still on that errand (a trip may have ended meanwhile). */
  stillOn(): boolean;
  /** Keeps `order` as the errand's order now and sends `update` to the robot. */
  send(order: Order, update: Order): Promise<void>;
  orderId: string;
  edgeIndex: number;
  way: string;
  /** Clock ms it asked for the way. */
  sinceMs: number;
}

/** A robot's wait for a single-width way, from asking at its end to the grant. */
export interface WayWait {
  robot: string;
  way: string;
  waitedS: number;
}

/**
 * Takes robots through the site's single-width ways one direction at a time (the rule and why it
 * cannot deadlock: {@link WayReservations}). A trip's order holds its robot at the end of each
 * way it enters (`OrderHold` `narrow`); once the robot's state shows it there, it asks for the
 * way, and when granted an order update releases the way and on to the next hold (VDA 5050 2.1,
 * 6.6.2: same orderId, orderUpdateId + 1). Every state of every robot ({@link observe}) releases
 * the ways it is past, and grants them to the robots waiting next.
 */
export class TripNarrow<T extends HeldTrip> {
  /** Who holds and who waits for each way (read by tests and the logs). */
  readonly reservations: WayReservations;
  /** Every grant so far and how long its robot waited for it (0: the way was free). */
  readonly waits: WayWait[] = [];
  private readonly waiting = new Map<string, Waiting>();
  /** Orders that are not trips (a charger's), by robot, with how their updates reach the robot. */
  private readonly errands = new Map<string, { held: HeldTrip; send(update: Order): Promise<void>; seen: boolean }>();

  constructor(private readonly options: HoldReleaseOptions<T>) {
    this.reservations = new WayReservations(narrowWaysOf(options.graph.site));
  }

  /**
   * Any state of a robot: the ways it is past are released, and given to the robots next in
   * line; a robot on an errand that is not a trip (see {@link follow}) asks at the ways' ends as
   * a trip's robot does, and the errand is forgotten once the robot runs another order or none.
   */
  observe(robot: string, state: Pick<State, 'lastNodeId'> & Partial<State>): void {
    const errand = this.errands.get(robot);
    if (errand && state.orderId !== undefined) {
      // Until the robot shows the errand's order, its states are of the one before.
      const on = state.orderId === errand.held.order.orderId;
      errand.seen ||= on;
      if ((errand.seen && (!on || state.nodeStates?.length === 0)) || this.options.underway.get(robot)?.size) this.endErrand(robot);
      else if (on)
        this.ask(robot, state as State, {
          held: errand.held,
          // A trip given to the robot replaces its errand at once, before its states say so.
          stillOn: () => this.errands.get(robot) === errand && !this.options.underway.get(robot)?.size,
          send: (order, update) => {
            errand.held.order = order;
            return errand.send(update);
          },
        });
    }
    if (!state.lastNodeId) return;
    const { granted, released } = this.reservations.observe(robot, state.lastNodeId, state.driving === true);
    if (released.length) this.options.log.info({ robot, ways: released, at: state.lastNodeId }, 'robot past single-width ways: released');
    this.grant(granted);
  }

  /** A state of a robot about a trip under way: standing at the end of a way its order holds it at, it asks for the way. */
  onTripState(robot: string, trip: T, state: State): void {
    this.ask(robot, state, {
      held: trip,
      stillOn: () => this.options.underway.get(robot)?.has(trip) === true,
      send: (order, update) => this.options.sendUpdate(trip, order, update),
    });
  }

  /**
   * An order that is not a trip, just sent to `robot` (a charger's, built with `narrowWays:
   * 'controller'`): held at the ways it enters like a trip's, each grant sent by `send` as an
   * order update. Followed until the robot runs another order or finishes this one.
   */
  follow(robot: string, order: Order, send: (update: Order) => Promise<void>): void {
    this.endErrand(robot);
    if (holdsOf(this.options.graph, order).some((h) => h.kind === 'narrow')) this.errands.set(robot, { held: { order, view: { id: order.orderId, robot } }, send, seen: false });
  }

  private endErrand(robot: string): void {
    if (!this.errands.delete(robot)) return;
    if (this.waiting.has(robot)) this.ended(robot);
  }

  /** Standing at the end of a way its errand's order holds it at, the robot asks for the way. */
  private ask(robot: string, state: State, errand: Omit<Waiting, 'orderId' | 'edgeIndex' | 'way' | 'sinceMs'>): void {
    const { order } = errand.held;
    if (state.orderId !== order.orderId) return;
    const hold = holdsOf(this.options.graph, order).find((h) => !order.edges[h.edgeIndex]!.released);
    if (hold?.kind !== 'narrow') return;
    const edge = order.edges[hold.edgeIndex]!;
    if (state.lastNodeSequenceId !== edge.sequenceId - 1 || !actionsDone(order.nodes[hold.edgeIndex]!.actions, state)) return;
    const known = this.waiting.get(robot);
    if (known?.orderId === order.orderId && known.edgeIndex === hold.edgeIndex) return;
    this.waiting.set(robot, { ...errand, orderId: order.orderId, edgeIndex: hold.edgeIndex, way: hold.way, sinceMs: this.options.clock.now() });
    const granted = this.reservations.request({ robot, way: hold.way, entry: hold.entry, exit: hold.exit });
    if (!granted.some((c) => c.robot === robot)) {
      this.options.log.info({ robot, errand: errand.held.view.id, way: hold.way, at: hold.entry, ...this.reservations.of(hold.way) }, 'robot waits for a single-width way');
    }
    this.grant(granted);
  }

  /** The robot's trip ended: it no longer waits, and a way granted that it has not entered goes to the next. */
  ended(robot: string): void {
    this.waiting.delete(robot);
    this.grant(this.reservations.withdraw(robot));
  }

  /** The robot holding a way stopped inside it, or goes on again (see `WayReservations.stopped`): the robots it held back are granted. */
  stopped(robot: string, stopped: boolean): void {
    this.grant(this.reservations.stopped(robot, stopped));
  }

  /**
   * People took `robot` off `way` (it died inside; see `WayReservations.removed`): its errand is
   * forgotten, the way goes to the robots waiting next. False when it does not hold the way.
   */
  removed(robot: string, way: string, lastNodeId: string | undefined): boolean {
    const granted = this.reservations.removed(robot, way, lastNodeId);
    if (!granted) return false;
    this.endErrand(robot);
    this.options.log.info({ robot, way, at: lastNodeId, granted: granted.map((c) => c.robot) }, 'robot taken off a single-width way by people: released');
    this.grant(granted);
    return true;
  }

  /** The controller stops: nothing is timed here, the reservations go with it (robots found inside a way hold it again). */
  stop(): void {
    this.waiting.clear();
    this.errands.clear();
  }

  private grant(claims: WayClaim[]): void {
    for (const claim of claims) {
      const waiting = this.waiting.get(claim.robot);
      if (!waiting || waiting.way !== claim.way) continue;
      this.waiting.delete(claim.robot);
      this.release(claim.robot, waiting).catch((error: Error) => this.options.log.warn({ robot: claim.robot, way: claim.way, err: error.message }, 'could not release a single-width way'));
    }
  }

  private async release(robot: string, { held, stillOn, send, orderId, edgeIndex, way, sinceMs }: Waiting): Promise<void> {
    const { graph, clock } = this.options;
    if (!stillOn() || held.order.orderId !== orderId || held.order.edges[edgeIndex]!.released) {
      // Granted to a robot no longer going there: the next one in line has it.
      this.grant(this.reservations.withdraw(robot));
      return;
    }
    const waitedS = (clock.now() - sinceMs) / 1000;
    this.waits.push({ robot, way, waitedS });
    this.options.log.info({ robot, errand: held.view.id, way, waitedS }, 'single-width way granted');
    const header = { headerId: this.options.nextOrderHeaderId(robot), timestamp: new Date(clock.now()).toISOString() };
    const { order, update } = grantWay(graph, held.order, edgeIndex, header);
    await send(order, update);
  }
}

/**
 * Whether the robot is done with the actions of the node it waits on (loading at the station,
 * a delivery at a door): it asks for the way only then, so it does not hold a way while it stands
 * still outside it.
 */
function actionsDone(actions: { actionId: string }[], state: Pick<State, 'actionStates'>): boolean {
  return actions.every((a) => {
    const status = state.actionStates.find((s) => s.actionId === a.actionId)?.actionStatus;
    return status === 'FINISHED' || status === 'FAILED';
  });
}
