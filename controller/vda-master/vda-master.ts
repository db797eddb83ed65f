import type { Action, Clock, Order, State } from '../../protocol/index.js';
import { robotAction } from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { RobotOutbox } from './robot-outbox.js';
import { UpdateResend } from './update-resend.js';

/** Options of {@link VdaMaster}. */
export interface VdaMasterOptions {
  client: ConstructorParameters<typeof RobotOutbox>[0];
  fleet: FleetRegistry;
  clock: Clock;
  log: Logger;
  /** Clock ms after which an order update its robot's state does not show is sent again (see `UpdateResend`). Default `UPDATE_RESEND_AFTER_MS`. */
  updateResendAfterMs?: number;
}

/**
 * The VDA 5050 master control side of the controller: what it sends robots (orders and instant
 * actions with their header ids, through {@link RobotOutbox}) and what it asks of them by itself:
 * a `stateRequest` to every robot that shows up (after a restart it need not wait up to 30 s for
 * a state), a `factsheetRequest` every 10 s to a robot that reports without a valid factsheet
 * (trips are planned from the actions it lists), a `cancelOrder` to a robot that turns up
 * still running an order the controller gave up on, and an order update again to a robot whose
 * states show it waiting for it still (lost with a broker that restarted: {@link UpdateResend}).
 * The trips decide what to send; this layer knows how.
 */
export class VdaMaster {
  private readonly outbox: RobotOutbox;
  private readonly stateRequested = new Set<string>();
  /** Clock ms each robot without a factsheet was last asked for one. */
  private readonly factsheetRequested = new Map<string, number>();
  /** Orders given up on: if their robot turns up still running one, it is told to cancel. */
  private readonly abandonedOrders = new Set<string>();
  /** Order updates sent and not yet shown by their robots' states. */
  private readonly updates: UpdateResend;

  constructor(private readonly options: VdaMasterOptions) {
    this.outbox = new RobotOutbox(options.client, options.fleet, options.clock);
    this.updates = new UpdateResend(options.updateResendAfterMs);
  }

  /** Asks robots for their state and factsheet as they show up and report (call once, after the trips listen to states). */
  start(): void {
    const { fleet, clock } = this.options;
    fleet.on('lost', (robot) => this.factsheetRequested.delete(robot));
    fleet.on('robot', (robot) => {
      if (!robot.online || this.stateRequested.has(robot.id)) return;
      this.stateRequested.add(robot.id);
      const request = robotAction('stateRequest', `state-${robot.id}-${Math.round(clock.now()).toString(36)}`, {}, 'NONE');
      this.sendUnasked(robot.id, request, () => this.stateRequested.delete(robot.id));
    });
    fleet.on('state', (robot) => {
      const askedMs = this.factsheetRequested.get(robot);
      if (fleet.factsheet(robot) || (askedMs !== undefined && clock.now() - askedMs < 10_000)) return;
      this.factsheetRequested.set(robot, clock.now());
      // A failed request is asked again 10 s on, as an unanswered one is.
      this.sendUnasked(robot, { actionType: 'factsheetRequest', actionId: `factsheet-${robot}-${Math.round(clock.now()).toString(36)}`, blockingType: 'NONE' }, () => {});
    });
  }

  /** The next header id of a robot's `order` topic (an order built elsewhere carries it). */
  nextOrderHeaderId(robot: string): number {
    return this.outbox.nextHeaderId(robot, 'order');
  }

  /** Sends an order or an order update; an update is sent again while the robot's states show it waiting for it (see {@link UpdateResend}). */
  order(robot: string, order: Order): Promise<void> {
    this.updates.sent(robot, order);
    return this.publishOrder(robot, order);
  }

  instantAction(robot: string, action: Action): Promise<void> {
    if (action.actionType === 'cancelOrder') this.updates.cancelled(robot);
    return this.outbox.instantAction(robot, action);
  }

  /** Tells the robot to cancel an order (HARD: it stops where it is). */
  cancelOrder(robot: string, orderId: string): Promise<void> {
    return this.instantAction(robot, robotAction('cancelOrder', `${orderId}:cancel`, {}, 'HARD'));
  }

  /** An order given up on: cancelled if its robot turns up still running it. */
  watchAbandoned(orderId: string): void {
    this.abandonedOrders.add(orderId);
    this.updates.abandoned(orderId);
  }

  /**
   * A robot's state, before the trips read it: a robot back on an abandoned order is told to
   * cancel it (once); an order update it still waits for is sent again.
   */
  observe(robot: string, state: State): void {
    this.resendUpdate(robot, state);
    const running = state.nodeStates.length > 0 || state.actionStates.some((a) => a.actionStatus === 'WAITING' || a.actionStatus === 'RUNNING');
    if (!this.abandonedOrders.has(state.orderId) || !running) return;
    this.abandonedOrders.delete(state.orderId);
    this.options.log.warn({ robot, orderId: state.orderId }, 'robot came back on an abandoned trip: cancelling it');
    const orderId = state.orderId;
    this.sendUnasked(robot, robotAction('cancelOrder', `${orderId}:cancel`, {}, 'HARD'), () => this.abandonedOrders.add(orderId));
  }

  private resendUpdate(robot: string, state: State): void {
    const { clock, log } = this.options;
    const update = this.updates.onState(robot, state, clock.now());
    if (!update) return;
    log.warn(
      { robot, orderId: update.orderId, orderUpdateId: update.orderUpdateId, robotOrderUpdateId: state.orderUpdateId, at: state.lastNodeId },
      'robot still waits for an order update: sent again',
    );
    // The same update under a header of its own (VDA 5050: headerId counts every message on the topic).
    const again = { ...update, headerId: this.nextOrderHeaderId(robot), timestamp: new Date(clock.now()).toISOString() };
    this.publishOrder(robot, again).catch((error: Error) =>
      log.warn({ robot, orderId: update.orderId, err: error.message }, 'could not send an order update again; trying on a later state'),
    );
  }

  /** Publishes an order; once the broker took it (or the client gave up), the wait before an update is repeated starts. */
  private async publishOrder(robot: string, order: Order): Promise<void> {
    try {
      await this.outbox.order(robot, order);
    } finally {
      this.updates.published(robot, order, this.options.clock.now());
    }
  }

  /**
   * Sends an instant action nobody awaits (this layer's own requests): a failure (broker gone,
   * client closing) is logged and `retry` arranges for the next state to try again, instead of
   * an unhandled rejection.
   */
  private sendUnasked(robot: string, action: Action, retry: () => void): void {
    this.instantAction(robot, action).catch((error: unknown) => {
      this.options.log.warn({ robot, actionType: action.actionType, err: error }, 'could not send an instant action; asking again on its next state');
      retry();
    });
  }
}
