import type { DoorPort } from '../../firmware-bridge/index.js';
import type { State } from '../../protocol/index.js';
import { holdsOf, releaseHold, type HeldTrip, type HoldReleaseOptions } from './order-holds.js';

export interface TripDoorsOptions<T extends HeldTrip> extends HoldReleaseOptions<T> {
  /** The site's door controller (the contract the bridges' doors follow: an Open-RMF door adapter, the simulator's doors). */
  port: DoorPort;
  /** The door did not open (the port's reason): the trip is to stop, and people told. */
  notOpened(trip: T, door: string, reason: string): void;
}

/** A door the controller asked open for a robot: until it has passed it. */
interface Opening {
  door: string;
  orderId: string;
  edgeSequenceId: number;
  abort: AbortController;
  open: boolean;
}

/**
 * Opens the site's doors for robots that cannot ask them themselves (a stock AGV): their orders
 * hold them before each door (`OrderHold` `door`); once a robot's state shows it on the node
 * before the door, the door is asked open through the port, and once it reports open an order
 * update releases the way through (and on to the next hold). The door is closed once the robot's
 * state shows it past the door's edge, or its trip ends. A door that does not open (the port
 * gives up) is `notOpened`: the robot stays where it is, before the door.
 */
export class TripDoors<T extends HeldTrip> {
  /** Doors asked open, per robot. */
  private readonly openings = new Map<string, Opening[]>();

  constructor(private readonly options: TripDoorsOptions<T>) {}

  /** A state of a robot about a trip under way: a door it waits at is asked open; doors it passed are closed. */
  onTripState(robot: string, trip: T, state: State): void {
    const mine = this.openings.get(robot) ?? [];
    for (const opening of mine.filter((o) => o.orderId !== state.orderId || state.lastNodeSequenceId > o.edgeSequenceId)) this.finish(robot, opening);
    if (state.orderId !== trip.order.orderId) return;
    const hold = holdsOf(this.options.graph, trip.order).find((h) => !trip.order.edges[h.edgeIndex]!.released);
    if (hold?.kind !== 'door') return;
    const edge = trip.order.edges[hold.edgeIndex]!;
    if (state.lastNodeSequenceId !== edge.sequenceId - 1 || (this.openings.get(robot) ?? []).some((o) => o.edgeSequenceId === edge.sequenceId && o.orderId === state.orderId)) return;
    const opening: Opening = { door: hold.door, orderId: state.orderId, edgeSequenceId: edge.sequenceId, abort: new AbortController(), open: false };
    this.openings.set(robot, [...(this.openings.get(robot) ?? []), opening]);
    this.options.log.info({ robot, trip: trip.view.id, door: hold.door }, 'asking a door open for the robot');
    void this.open(robot, trip, opening, hold.edgeIndex);
  }

  /** The robot's trip ended: every door asked open for it is closed (or its request given up). */
  ended(robot: string): void {
    for (const opening of [...(this.openings.get(robot) ?? [])]) this.finish(robot, opening);
  }

  /** Every door asked open is closed, every request given up (the controller stops). */
  stop(): void {
    for (const robot of [...this.openings.keys()]) this.ended(robot);
  }

  private async open(robot: string, trip: T, opening: Opening, edgeIndex: number): Promise<void> {
    const { port, graph, clock, underway } = this.options;
    try {
      await port.open(opening.door, opening.abort.signal);
    } catch (error) {
      if (opening.abort.signal.aborted) return;
      this.finish(robot, opening);
      this.options.notOpened(trip, opening.door, (error as Error).message);
      return;
    }
    opening.open = true;
    if (opening.abort.signal.aborted) return void this.finish(robot, opening);
    if (!underway.get(robot)?.has(trip) || trip.order.orderId !== opening.orderId || trip.order.edges[edgeIndex]!.released) return;
    const header = { headerId: this.options.nextOrderHeaderId(robot), timestamp: new Date(clock.now()).toISOString() };
    const { order, update } = releaseHold(graph, trip.order, edgeIndex, header);
    await this.options.sendUpdate(trip, order, update);
  }

  /** Gives up the request, or closes the door once open. */
  private finish(robot: string, opening: Opening): void {
    const left = (this.openings.get(robot) ?? []).filter((o) => o !== opening);
    if (left.length) this.openings.set(robot, left);
    else this.openings.delete(robot);
    opening.abort.abort(new Error('no longer needed'));
    if (opening.open) this.options.port.close(opening.door);
  }
}
