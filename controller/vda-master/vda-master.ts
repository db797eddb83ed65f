import type { Action, Clock, Order, State } from '../../protocol/index.js';
import { robotAction } from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { RobotOutbox } from './robot-outbox.js';

/** Options of {@link VdaMaster}. */
export interface VdaMasterOptions {
  client: ConstructorParameters<typeof RobotOutbox>[0];
  fleet: FleetRegistry;
  clock: Clock;
  log: Logger;
}

/**
 * The VDA 5050 master control side of the controller: what it sends robots (orders and instant
 * actions with their header ids, through {@link RobotOutbox}) and what it asks of them by itself:
 * a `stateRequest` to every robot that shows up (after a restart it need not wait up to 30 s for
 * a state), a `factsheetRequest` every 10 s to a robot that reports without a valid factsheet
 * (trips are planned from the actions it lists), and a `cancelOrder` to a robot that turns up
 * still running an order the controller gave up on. The trips decide what to send; this layer
 * knows how.
 */
export class VdaMaster {
  private readonly outbox: RobotOutbox;
  private readonly stateRequested = new Set<string>();
  /** Clock ms each robot without a factsheet was last asked for one. */
  private readonly factsheetRequested = new Map<string, number>();
  /** Orders given up on: if their robot turns up still running one, it is told to cancel. */
  private readonly abandonedOrders = new Set<string>();

  constructor(private readonly options: VdaMasterOptions) {
    this.outbox = new RobotOutbox(options.client, options.fleet, options.clock);
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

  order(robot: string, order: Order): Promise<void> {
    return this.outbox.order(robot, order);
  }

  instantAction(robot: string, action: Action): Promise<void> {
    return this.outbox.instantAction(robot, action);
  }

  /** Tells the robot to cancel an order (HARD: it stops where it is). */
  cancelOrder(robot: string, orderId: string): Promise<void> {
    return this.instantAction(robot, robotAction('cancelOrder', `${orderId}:cancel`, {}, 'HARD'));
  }

  /** An order given up on: cancelled if its robot turns up still running it. */
  watchAbandoned(orderId: string): void {
    this.abandonedOrders.add(orderId);
  }

  /** A robot's state, before the trips read it: a robot back on an abandoned order is told to cancel it (once). */
  observe(robot: string, state: State): void {
    const running = state.nodeStates.length > 0 || state.actionStates.some((a) => a.actionStatus === 'WAITING' || a.actionStatus === 'RUNNING');
    if (!this.abandonedOrders.has(state.orderId) || !running) return;
    this.abandonedOrders.delete(state.orderId);
    this.options.log.warn({ robot, orderId: state.orderId }, 'robot came back on an abandoned trip: cancelling it');
    const orderId = state.orderId;
    this.sendUnasked(robot, robotAction('cancelOrder', `${orderId}:cancel`, {}, 'HARD'), () => this.abandonedOrders.add(orderId));
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
