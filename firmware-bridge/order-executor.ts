import { robotActionParameters, type Action, type ActionState, type Language, type Order, type OrderEdge, type OrderNode, type VdaError } from '../protocol/index.js';
import type { DriveTarget, RobotDriver } from './driver.js';
import { LiftGrants, rideLift, type LiftPort } from './lift-port.js';
import { DoorNotOpenedError } from './door-port.js';
import { runRobotAction } from './run-action.js';
import { checkOrderOnRobot, startsAtRobot, type OrderRefusal } from './order-checks.js';

/** The order-related part of a VDA state, owned by the executor. */
export interface ExecutionState {
  orderId: string;
  orderUpdateId: number;
  lastNodeId: string;
  lastNodeSequenceId: number;
  nodeStates: Pick<OrderNode, 'nodeId' | 'sequenceId' | 'released' | 'nodePosition'>[];
  edgeStates: Pick<OrderEdge, 'edgeId' | 'sequenceId' | 'released'>[];
  actionStates: ActionState[];
  /** Moving now: false while paused, even mid-edge. */
  driving: boolean;
  paused: boolean;
  errors: VdaError[];
}

/** Outcome of handing an order to the executor. */
export type OrderDecision = 'accepted' | 'updated' | 'duplicate' | 'rejected';

const CANCELLED = new Error('order cancelled');
const ENDED: readonly ActionState['actionStatus'][] = ['FINISHED', 'FAILED'];

/**
 * Runs VDA 5050 orders on a {@link RobotDriver}: accepts, updates or rejects them (VDA 5050
 * Figure 8), drives the base edge by edge and stops where the horizon (`released: false`)
 * begins, runs each node's actions one after the other whatever their blockingType (a
 * delivery robot does one thing at a time), and an edge's actions as it traverses the edge:
 * HARD and SOFT ones before it moves, NONE ones while it drives. With a {@link LiftPort}, an
 * edge carrying `liftRide` is ridden through the port once the master grants the car
 * (`liftGranted`): INITIALIZING while the robot waits at the landing, RUNNING during the ride.
 */
export class OrderExecutor {
  private state: ExecutionState;
  /** The current order, base and horizon. */
  private nodes: OrderNode[] = [];
  private edges: OrderEdge[] = [];
  /** Action ids of the current order (instant actions are not among them). */
  private orderActions = new Set<string>();
  private abort?: AbortController;
  private running?: Promise<void>;
  private moving = false;
  /** The node being driven to, for the error when the drive fails. */
  private failedAt?: string;
  /** The master's grants of a car to `liftRide` actions. */
  private readonly liftGrants = new LiftGrants();

  constructor(
    private readonly driver: RobotDriver,
    private readonly onChange: () => void,
    private readonly language: () => Language,
    startNodeId: string,
    /** The site's lifts; without one, `liftRide` is refused and a lift edge is the driver's to drive. */
    private readonly lift?: LiftPort,
  ) {
    this.state = {
      orderId: '',
      orderUpdateId: 0,
      lastNodeId: startNodeId,
      lastNodeSequenceId: 0,
      nodeStates: [],
      edgeStates: [],
      actionStates: [],
      driving: false,
      paused: false,
      errors: [],
    };
  }

  snapshot(): ExecutionState {
    return structuredClone({ ...this.state, driving: this.moving && !this.state.paused });
  }

  /** True while the robot still has base nodes to reach or actions to finish. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Records an error to report in state (a rejected message, a failed drive). */
  reportError(error: VdaError): void {
    this.state.errors = [...this.state.errors.slice(-9), error];
    this.onChange();
  }

  /** Takes a validated order: new, an update of the current one, a repeat, or a rejection. */
  handleOrder(order: Order): OrderDecision {
    const reject = ({ errorType, description, references = [] }: OrderRefusal) => {
      this.reportError({
        errorType,
        errorLevel: 'WARNING',
        errorDescription: description,
        errorReferences: [{ referenceKey: 'orderId', referenceValue: order.orderId }, { referenceKey: 'orderUpdateId', referenceValue: String(order.orderUpdateId) }, ...references],
      });
      return 'rejected' as const;
    };
    const first = order.nodes[0]!;
    if (!first.released) return reject({ errorType: 'validationError', description: 'the first node of an order must be released (part of the base)' });

    if (order.orderId === this.state.orderId) {
      if (order.orderUpdateId === this.state.orderUpdateId) return 'duplicate';
      if (order.orderUpdateId < this.state.orderUpdateId) {
        return reject({ errorType: 'orderUpdateError', description: `orderUpdateId ${order.orderUpdateId} is older than ${this.state.orderUpdateId}` });
      }
      const lastBase = this.nodes[this.baseEnd()]!;
      if (first.nodeId !== lastBase.nodeId || first.sequenceId !== lastBase.sequenceId) {
        return reject({
          errorType: 'orderUpdateError',
          description: `an update must start at the last base node ${lastBase.nodeId} (sequenceId ${lastBase.sequenceId})`,
          references: [{ referenceKey: 'nodeId', referenceValue: first.nodeId }],
        });
      }
      const refusal = checkOrderOnRobot(order, this.driver, this.driver.status(), this.bridgeActionTypes());
      if (refusal) return reject(refusal);
      this.update(order);
      return 'updated';
    }

    // A new order while the base of the current one is not yet driven (VDA 5050 Figure 8 (3)).
    const baseLeft = this.state.nodeStates.filter((n) => n.released).length;
    if (baseLeft > 0) {
      return reject({
        errorType: 'orderError',
        description: `busy with order ${this.state.orderId}: ${baseLeft} base node(s) still to reach; send an update of it or cancelOrder first`,
      });
    }
    const refusal = checkOrderOnRobot(order, this.driver, this.driver.status(), this.bridgeActionTypes());
    if (refusal) return reject(refusal);
    if (!startsAtRobot(first, this.state.lastNodeId, this.driver.status())) {
      return reject({
        errorType: 'noRouteError',
        description: `order starts at ${first.nodeId} but the robot is at ${this.state.lastNodeId}`,
        references: [{ referenceKey: 'nodeId', referenceValue: first.nodeId }],
      });
    }
    this.accept(order);
    return 'accepted';
  }

  /**
   * A new order from where the robot stands. Its horizon, if the last one left one, is dropped;
   * actions of the last order still running at this node finish first (they keep their
   * states), then the new order starts.
   */
  private accept(order: Order): void {
    const first = order.nodes[0]!;
    this.nodes = order.nodes.map((n) => ({ ...n }));
    this.edges = order.edges;
    // Actions of the last order still running here stay its own until they end (cancelOrder fails them too).
    const unfinished = this.state.actionStates.filter((s) => this.orderActions.has(s.actionId) && !ENDED.includes(s.actionStatus));
    this.orderActions = new Set([...unfinished.map((s) => s.actionId), ...[...order.nodes, ...order.edges].flatMap((x) => x.actions.map((a) => a.actionId))]);
    this.state = {
      ...this.state,
      orderId: order.orderId,
      orderUpdateId: order.orderUpdateId,
      lastNodeId: first.nodeId,
      lastNodeSequenceId: first.sequenceId,
      nodeStates: order.nodes.slice(1).map(nodeState),
      edgeStates: order.edges.map(edgeState),
      actionStates: [...this.state.actionStates.filter((s) => !ENDED.includes(s.actionStatus)), ...[...order.nodes, ...order.edges].flatMap((x) => x.actions).map(waiting)],
      errors: [],
    };
    this.start(0);
  }

  /**
   * An update (VDA 5050 §6.6.2): the horizon is cleared and the update's nodes after the
   * stitching node are appended. The stitching node keeps what the first order said; actions
   * the update adds to it (new actionIds) run there too.
   */
  private update(order: Order): void {
    const end = this.baseEnd();
    const stitch = this.nodes[end]!;
    const horizon = new Set([...this.nodes.slice(end + 1), ...this.edges.slice(end)].flatMap((x) => x.actions.map((a) => a.actionId)));
    const known = new Set(stitch.actions.map((a) => a.actionId));
    const added = order.nodes[0]!.actions.filter((a) => !known.has(a.actionId));
    this.nodes = [...this.nodes.slice(0, end), { ...stitch, actions: [...stitch.actions, ...added] }, ...order.nodes.slice(1)];
    this.edges = [...this.edges.slice(0, end), ...order.edges];
    const newActions = [...added, ...[...order.nodes.slice(1), ...order.edges].flatMap((x) => x.actions)];
    this.state.orderUpdateId = order.orderUpdateId;
    this.state.nodeStates = [...this.state.nodeStates.filter((n) => n.released), ...order.nodes.slice(1).map(nodeState)];
    this.state.edgeStates = [...this.state.edgeStates.filter((e) => e.released), ...order.edges.map(edgeState)];
    this.state.actionStates = [...this.state.actionStates.filter((s) => !horizon.has(s.actionId)), ...newActions.map(waiting)];
    for (const id of horizon) this.orderActions.delete(id);
    for (const a of newActions) this.orderActions.add(a.actionId);
    // A running loop reads the node list afresh each step and carries on; a robot that stopped
    // at the end of its base (or finished it) starts again from the stitching node.
    if (!this.busy) this.start(end);
    this.onChange();
  }

  /** Order actions the bridge runs itself beside the driver's: `liftRide` with a lift port. */
  bridgeActionTypes(): string[] {
    return this.lift ? ['liftRide'] : [];
  }

  /**
   * The master grants the car to the `liftRide` action `session` (instant action `liftGranted`):
   * a ride waiting for it starts; a grant that comes first is kept for its ride.
   */
  grantLift(session: string): void {
    this.liftGrants.grant(session);
  }

  /** Index of the last released node of the current order. */
  private baseEnd(): number {
    const horizon = this.nodes.findIndex((n) => !n.released);
    return horizon === -1 ? this.nodes.length - 1 : horizon - 1;
  }

  private start(fromIndex: number): void {
    // An order accepted while the last one's final actions still run shares its abort (one
    // cancelOrder stops both) and waits for it: the robot does one thing at a time.
    const previous = this.running;
    if (!previous || !this.abort) this.abort = new AbortController();
    const signal = this.abort.signal;
    const orderId = this.state.orderId;
    const actions = this.orderActions;
    const run: Promise<void> = (async () => {
      await previous;
      await this.run(fromIndex, orderId, signal);
    })()
      .catch((error: unknown) => {
        if (error === CANCELLED) return;
        this.failRemaining(actions);
        this.reportError({
          errorType: 'orderExecutionError',
          errorLevel: 'FATAL',
          errorDescription: (error as Error).message,
          errorReferences: [
            { referenceKey: 'orderId', referenceValue: orderId },
            { referenceKey: 'orderUpdateId', referenceValue: String(this.state.orderUpdateId) },
            ...(this.failedAt ? [{ referenceKey: 'nodeId', referenceValue: this.failedAt }] : []),
            ...(error instanceof DoorNotOpenedError ? [{ referenceKey: 'doorId', referenceValue: error.door }] : []),
          ],
        });
      })
      .finally(() => {
        if (this.running !== run) return;
        this.moving = false;
        this.running = undefined;
        this.onChange();
      });
    this.running = run;
    this.onChange();
  }

  private async run(fromIndex: number, orderId: string, signal: AbortSignal): Promise<void> {
    // Stops at the first horizon node, and when a new order has taken over.
    for (let i = fromIndex; i < this.nodes.length && this.state.orderId === orderId; i++) {
      const node = this.nodes[i]!;
      if (!node.released) break;
      if (this.state.lastNodeSequenceId < node.sequenceId) await this.traverse(this.edges[i - 1]!, node, signal);
      await this.runActions(node.actions, signal);
    }
  }

  /**
   * Drives one edge with its actions: HARD and SOFT ones first, standing; NONE ones while
   * driving. An edge with `liftRide` (and a lift port) is a lift ride: see {@link ride}.
   */
  private async traverse(edge: OrderEdge, node: OrderNode, signal: AbortSignal): Promise<void> {
    const ride = this.lift ? edge.actions.find((a) => a.actionType === 'liftRide') : undefined;
    await this.runActions(
      edge.actions.filter((a) => a.blockingType !== 'NONE' && a !== ride),
      signal,
    );
    const alongside = Promise.all(edge.actions.filter((a) => a.blockingType === 'NONE' && a !== ride).map((a) => this.runOne(a, signal)));
    alongside.catch(() => {});
    const from = this.nodes.find((n) => n.nodeId === edge.startNodeId && n.sequenceId === edge.sequenceId - 1);
    const target: DriveTarget = {
      fromNodeId: edge.startNodeId,
      nodeId: node.nodeId,
      edgeId: edge.edgeId,
      position: node.nodePosition,
      ...(from?.nodePosition ? { fromPosition: from.nodePosition } : {}),
      lengthM: edge.length,
      maxSpeedMps: edge.maxSpeed,
      edge,
    };
    this.failedAt = node.nodeId;
    if (ride) await this.ride(ride, target, signal);
    else {
      this.moving = true;
      this.onChange();
      await this.driver.driveTo(target, signal);
    }
    this.failedAt = undefined;
    this.moving = false;
    this.state.lastNodeId = node.nodeId;
    this.state.lastNodeSequenceId = node.sequenceId;
    this.state.nodeStates = this.state.nodeStates.filter((n) => n.sequenceId > node.sequenceId);
    this.state.edgeStates = this.state.edgeStates.filter((e) => e.sequenceId > node.sequenceId);
    if (ride) this.setAction(ride.actionId, 'FINISHED');
    this.onChange();
    await alongside;
  }

  /**
   * A lift ride: INITIALIZING at the landing until the car is granted, RUNNING while the port
   * calls the car and the robot boards, rides and leaves; FINISHED (set by the caller) in the
   * same state that puts the robot on the far landing. A ride that fails fails the order (the caller reports it).
   */
  private async ride(action: Action, target: DriveTarget, signal: AbortSignal): Promise<void> {
    const ride = robotActionParameters('liftRide', action).data!;
    this.setAction(action.actionId, 'INITIALIZING');
    await this.liftGrants.waitFor(action.actionId, signal);
    this.setAction(action.actionId, 'RUNNING');
    this.moving = true;
    this.onChange();
    await rideLift(this.lift!, this.driver, ride, target, signal);
  }

  private async runActions(actions: Action[], signal: AbortSignal): Promise<void> {
    for (const action of actions) await this.runOne(action, signal);
  }

  private async runOne(action: Action, signal: AbortSignal): Promise<void> {
    const state = this.state.actionStates.find((s) => s.actionId === action.actionId);
    if (state?.actionStatus !== 'WAITING') return;
    this.setAction(action.actionId, 'RUNNING');
    const result = await runRobotAction(this.driver, action, this.language(), signal);
    this.setAction(action.actionId, result.status, result.description);
  }

  private setAction(actionId: string, actionStatus: ActionState['actionStatus'], resultDescription?: string): void {
    this.state.actionStates = this.state.actionStates.map((s) => (s.actionId === actionId ? { ...s, actionStatus, ...(resultDescription ? { resultDescription } : {}) } : s));
    this.onChange();
  }

  /** Fails the order's actions not yet ended (instant actions are not the order's) and drops what was left to drive. */
  private failRemaining(actions: Set<string>): void {
    this.state.actionStates = this.state.actionStates.map((s) => (ENDED.includes(s.actionStatus) || !actions.has(s.actionId) ? s : { ...s, actionStatus: 'FAILED' }));
    this.state.nodeStates = [];
    this.state.edgeStates = [];
  }

  /**
   * Stops the order where it is, fails its actions not yet ended, drops the horizon. Resolves
   * once stopped; false when there was no order (nothing running and no horizon left).
   */
  async cancel(): Promise<boolean> {
    const cancelled = await this.stop();
    if (cancelled) {
      this.failRemaining(this.orderActions);
      this.onChange();
    }
    return cancelled;
  }

  /**
   * The instant action cancelOrder (VDA 5050 §6.6.3): RUNNING while the robot stops, then in one
   * state the order's actions FAILED and the cancel FINISHED, so a master never sees the order
   * ended before its cancel is. With no order to cancel: FAILED and a noOrderToCancel warning
   * (§6.6.3.2).
   */
  async cancelOrder(action: Action): Promise<void> {
    this.trackInstantAction(action, 'RUNNING');
    if (await this.stop()) {
      this.failRemaining(this.orderActions);
      this.trackInstantAction(action, 'FINISHED');
      return;
    }
    this.state.errors = [
      ...this.state.errors.slice(-9),
      {
        errorType: 'noOrderToCancel',
        errorLevel: 'WARNING',
        errorReferences: [
          { referenceKey: 'topic', referenceValue: 'instantActions' },
          { referenceKey: 'actionId', referenceValue: action.actionId },
        ],
      },
    ];
    this.trackInstantAction(action, 'FAILED');
  }

  private async stop(): Promise<boolean> {
    const running = this.running;
    if (!running && this.state.nodeStates.length === 0) return false;
    this.abort?.abort(CANCELLED);
    if (this.state.paused) this.setPaused(false);
    await running;
    // What is left of the order ends where the robot stopped: an update must start there.
    this.nodes = this.nodes.filter((n) => n.sequenceId <= this.state.lastNodeSequenceId);
    this.edges = this.edges.slice(0, Math.max(0, this.nodes.length - 1));
    return true;
  }

  setPaused(paused: boolean): void {
    if (paused) this.driver.pause();
    else this.driver.resume();
    this.state.paused = paused;
    this.onChange();
  }

  /** Adds an instant action's state (instant actions are reported like order actions). */
  trackInstantAction(action: Action, actionStatus: ActionState['actionStatus'], resultDescription?: string): void {
    this.state.actionStates = [
      ...this.state.actionStates.filter((s) => s.actionId !== action.actionId),
      { actionId: action.actionId, actionType: action.actionType, actionStatus, ...(resultDescription ? { resultDescription } : {}) },
    ];
    this.onChange();
  }
}

const nodeState = (n: OrderNode) => ({
  nodeId: n.nodeId,
  sequenceId: n.sequenceId,
  released: n.released,
  ...(n.nodePosition ? { nodePosition: n.nodePosition } : {}),
});
const edgeState = (e: OrderEdge) => ({ edgeId: e.edgeId, sequenceId: e.sequenceId, released: e.released });
const waiting = (a: Action): ActionState => ({ actionId: a.actionId, actionType: a.actionType, actionStatus: 'WAITING' });
