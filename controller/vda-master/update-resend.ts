import type { Order, State } from '../../protocol/index.js';

/**
 * Clock ms after the broker took an order update (PUBACK) from which a state of the robot that
 * still does not show it has it sent again. A robot shows an update in the state it publishes as
 * soon as it takes it (a state on every change), so one not shown this long after the broker
 * took it, by a robot standing where the update begins, did not arrive. Below the VDA 5050 state
 * interval (at most 30 s), so the robot's next heartbeat brings the repeat.
 */
export const UPDATE_RESEND_AFTER_MS = 10_000;

/**
 * The order updates (same `orderId`, `orderUpdateId` > 0) sent to robots and not yet shown by
 * their states, and when to send one again: the pure core (no clock, no I/O) of `VdaMaster`'s
 * repeat.
 *
 * MQTT's QoS 1 ends at the broker: a broker that restarts without the robots' sessions
 * acknowledges an update published before the robot has subscribed again, then drops it
 * (nobody subscribes to the robot's `order` topic yet). The robot then stands at the end of its
 * base (a hold: a single-width way, a lift, a door) on the update before, waiting for the update
 * the controller believes it sent, and nothing else ever sends it. So an update is repeated,
 * unchanged, while a state of its robot shows it standing on the update's first node (where it
 * waits for it), not driving, on the same order at an older `orderUpdateId`, at least
 * {@link UPDATE_RESEND_AFTER_MS} after the broker took it the last time. Not while the broker
 * has not yet taken it: the MQTT client still holds it then and sends it itself once connected
 * (QoS 1), so a slow broker or link gets no repeats. A repeat that crosses the first one is
 * harmless: a robot ignores an order with the `orderId` and `orderUpdateId` it already has
 * (VDA 5050 2.0, 6.6.4: "This might happen, if the master control sends the order again,
 * because the status message came too late").
 *
 * Forgotten once a state shows it taken (or a later one), the robot on another order or with
 * nothing left of this one, the robot's error naming it (refused: a repeat would be refused
 * again), a new order sent to the robot, or the order cancelled or given up on.
 */
export class UpdateResend {
  /** By robot: its last update, and clock ms the broker took it (undefined while it has not). */
  private readonly unconfirmed = new Map<string, { update: Order; sentMs?: number }>();

  constructor(private readonly resendAfterMs = UPDATE_RESEND_AFTER_MS) {}

  /** `order` is being sent to `robot`: an update is watched until a state shows it; a new order replaces what was watched. */
  sent(robot: string, order: Order): void {
    if (order.orderUpdateId > 0) this.unconfirmed.set(robot, { update: order });
    else this.unconfirmed.delete(robot);
  }

  /**
   * The broker took `order` (or the client gave up on it: a failed publish is repeated the same
   * way) at `nowMs`: the wait before a repeat starts, if it is still the update watched for `robot`.
   */
  published(robot: string, order: Order, nowMs: number): void {
    const watched = this.unconfirmed.get(robot);
    if (watched && watched.update.orderId === order.orderId && watched.update.orderUpdateId === order.orderUpdateId) watched.sentMs = nowMs;
  }

  /** `robot` was told to cancel its order: nothing of it is sent again. */
  cancelled(robot: string): void {
    this.unconfirmed.delete(robot);
  }

  /** The controller gave up on order `orderId` (its trip abandoned or stalled): nothing of it is sent again. */
  abandoned(orderId: string): void {
    for (const [robot, { update }] of this.unconfirmed) if (update.orderId === orderId) this.unconfirmed.delete(robot);
  }

  /**
   * A state of `robot` at `nowMs`: the update to send again now (then in the client's hands
   * until {@link published} again), or undefined.
   */
  onState(robot: string, state: Pick<State, 'orderId' | 'orderUpdateId' | 'lastNodeId' | 'lastNodeSequenceId' | 'driving' | 'nodeStates' | 'errors'>, nowMs: number): Order | undefined {
    const watched = this.unconfirmed.get(robot);
    if (!watched) return undefined;
    const { update } = watched;
    const refused = state.errors.some(
      (e) =>
        e.errorReferences?.some((r) => r.referenceKey === 'orderId' && r.referenceValue === update.orderId) &&
        e.errorReferences.some((r) => r.referenceKey === 'orderUpdateId' && r.referenceValue === String(update.orderUpdateId)),
    );
    if (state.orderId !== update.orderId || state.orderUpdateId >= update.orderUpdateId || state.nodeStates.length === 0 || refused) {
      this.unconfirmed.delete(robot);
      return undefined;
    }
    const first = update.nodes[0]!;
    const waiting = !state.driving && state.lastNodeId === first.nodeId && state.lastNodeSequenceId === first.sequenceId;
    if (!waiting || watched.sentMs === undefined || nowMs - watched.sentMs < this.resendAfterMs) return undefined;
    watched.sentMs = undefined;
    return update;
  }
}
