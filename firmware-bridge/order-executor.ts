import {
  isRobotActionType,
  PICKUP_RESULT,
  robotActionParameters,
  type Action,
  type ActionState,
  type Language,
  type Order,
  type OrderEdge,
  type OrderNode,
  type VdaError,
} from '../protocol/index.js';
import { announcementText } from './announcement.js';
import { unsupportedActions, type RobotDriver } from './driver.js';

/** The order-related part of a VDA state, owned by the executor. */
export interface ExecutionState {
  orderId: string;
  orderUpdateId: number;
  lastNodeId: string;
  lastNodeSequenceId: number;
  nodeStates: Pick<OrderNode, 'nodeId' | 'sequenceId' | 'released' | 'nodePosition'>[];
  edgeStates: Pick<OrderEdge, 'edgeId' | 'sequenceId' | 'released'>[];
  actionStates: ActionState[];
  driving: boolean;
  paused: boolean;
  errors: VdaError[];
}

/** Outcome of handing an order to the executor. */
export type OrderDecision = 'accepted' | 'updated' | 'duplicate' | 'rejected';

const CANCELLED = new Error('order cancelled');

/**
 * Runs VDA 5050 orders on a {@link RobotDriver}: accepts, updates or rejects them, drives edge
 * by edge, runs each node's actions in order, and keeps the VDA state of it all. Actions run
 * one after the other whatever their blockingType (a delivery robot does one thing at a time).
 */
export class OrderExecutor {
  private state: ExecutionState;
  private nodes: OrderNode[] = [];
  private edges: OrderEdge[] = [];
  private abort?: AbortController;
  private running?: Promise<void>;

  constructor(
    private readonly driver: RobotDriver,
    private readonly onChange: () => void,
    private readonly language: () => Language,
    startNodeId: string,
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
    return structuredClone(this.state);
  }

  /** True while an order still has nodes to reach or actions to finish. */
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
    const reject = (errorType: string, description: string) => {
      this.reportError({
        errorType,
        errorLevel: 'WARNING',
        errorDescription: description,
        errorReferences: [
          { referenceKey: 'orderId', referenceValue: order.orderId },
          { referenceKey: 'orderUpdateId', referenceValue: String(order.orderUpdateId) },
        ],
      });
      return 'rejected' as const;
    };
    const unsupported = unsupportedActions(
      this.driver,
      [...order.nodes, ...order.edges].flatMap((x) => x.actions.map((a) => a.actionType)),
    );
    if (unsupported.length) return reject('orderError', `unsupported actionType ${unsupported.join(', ')}`);
    const badParameters = [...order.nodes, ...order.edges]
      .flatMap((x) => x.actions)
      .map((a) => (isRobotActionType(a.actionType) ? { a, r: robotActionParameters(a.actionType, a) } : undefined))
      .find((x) => x && !x.r.success);
    if (badParameters) {
      const issue = badParameters.r.error!.issues[0]!;
      return reject('validationError', `action ${badParameters.a.actionId}: ${issue.path.join('.')}: ${issue.message}`);
    }

    if (order.orderId === this.state.orderId) {
      if (order.orderUpdateId === this.state.orderUpdateId) return 'duplicate';
      if (order.orderUpdateId < this.state.orderUpdateId) {
        return reject('orderUpdateError', `orderUpdateId ${order.orderUpdateId} is older than ${this.state.orderUpdateId}`);
      }
      return this.update(order) ? 'updated' : reject('orderUpdateError', 'an update must start at the last base node');
    }
    if (this.busy) return reject('orderError', `busy with order ${this.state.orderId}`);
    const first = order.nodes[0]!;
    if (first.nodeId !== this.state.lastNodeId) {
      return reject('noRouteError', `order starts at ${first.nodeId} but the robot is at ${this.state.lastNodeId}`);
    }
    this.nodes = order.nodes;
    this.edges = order.edges;
    this.state = {
      ...this.state,
      orderId: order.orderId,
      orderUpdateId: order.orderUpdateId,
      lastNodeSequenceId: first.sequenceId,
      nodeStates: order.nodes.slice(1).map(nodeState),
      edgeStates: order.edges.map(edgeState),
      actionStates: [...order.nodes, ...order.edges].flatMap((x) => x.actions).map(waiting),
      errors: [],
    };
    this.start(0);
    return 'accepted';
  }

  /** An update appends to the base; it must begin at the last node of the current base. */
  private update(order: Order): boolean {
    const lastBase = this.nodes[this.nodes.length - 1]!;
    const first = order.nodes[0]!;
    if (first.nodeId !== lastBase.nodeId || first.sequenceId !== lastBase.sequenceId) return false;
    const from = this.nodes.length - 1;
    this.nodes = [...this.nodes.slice(0, -1), ...order.nodes];
    this.edges = [...this.edges, ...order.edges];
    this.state.orderUpdateId = order.orderUpdateId;
    this.state.nodeStates.push(...order.nodes.slice(1).map(nodeState));
    this.state.edgeStates.push(...order.edges.map(edgeState));
    this.state.actionStates.push(...[...order.nodes, ...order.edges].flatMap((x) => x.actions).map(waiting));
    // A running loop reads the node list afresh each step and carries on; an idle robot
    // standing at the shared node starts again from there.
    if (!this.busy) this.start(from);
    this.onChange();
    return true;
  }

  private start(fromIndex: number): void {
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(fromIndex, abort.signal)
      .catch((error: unknown) => {
        if (error === CANCELLED) return;
        this.failRemaining();
        this.reportError({
          errorType: 'orderExecutionError',
          errorLevel: 'FATAL',
          errorDescription: (error as Error).message,
          errorReferences: [{ referenceKey: 'orderId', referenceValue: this.state.orderId }],
        });
      })
      .finally(() => {
        this.state.driving = false;
        this.running = undefined;
        this.onChange();
      });
    this.onChange();
  }

  private async run(fromIndex: number, signal: AbortSignal): Promise<void> {
    for (let i = fromIndex; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      if (this.state.lastNodeSequenceId < node.sequenceId) await this.drive(this.edges[i - 1]!, node, signal);
      await this.runActions(node.actions, signal);
    }
  }

  private async drive(edge: OrderEdge, node: OrderNode, signal: AbortSignal): Promise<void> {
    this.state.driving = true;
    this.onChange();
    await this.driver.driveTo(
      {
        fromNodeId: edge.startNodeId,
        nodeId: node.nodeId,
        edgeId: edge.edgeId,
        position: node.nodePosition,
        lengthM: edge.length,
        maxSpeedMps: edge.maxSpeed,
      },
      signal,
    );
    this.state.driving = false;
    this.state.lastNodeId = node.nodeId;
    this.state.lastNodeSequenceId = node.sequenceId;
    this.state.nodeStates = this.state.nodeStates.filter((n) => n.sequenceId > node.sequenceId);
    this.state.edgeStates = this.state.edgeStates.filter((e) => e.sequenceId > node.sequenceId);
    this.onChange();
  }

  private async runActions(actions: Action[], signal: AbortSignal): Promise<void> {
    for (const action of actions) {
      const state = this.state.actionStates.find((s) => s.actionId === action.actionId);
      if (state?.actionStatus !== 'WAITING') continue;
      this.setAction(action.actionId, 'RUNNING');
      const result = await this.runAction(action, signal);
      this.setAction(action.actionId, result.status, result.description);
    }
  }

  private async runAction(action: Action, signal: AbortSignal): Promise<{ status: 'FINISHED' | 'FAILED'; description?: string }> {
    switch (action.actionType) {
      case 'loadTrays': {
        await this.driver.loadTrays(robotActionParameters('loadTrays', action).data!, signal);
        return { status: 'FINISHED' };
      }
      case 'announce': {
        const p = robotActionParameters('announce', action).data!;
        // The order's language is the resident's; the robot's own setting is the fallback.
        await this.driver.announce(announcementText(p.room, p.tray, p.language ?? this.language()), p, signal);
        return { status: 'FINISHED' };
      }
      case 'waitForPickup': {
        const result = await this.driver.waitForPickup(robotActionParameters('waitForPickup', action).data!, signal);
        return result === 'collected'
          ? { status: 'FINISHED', description: PICKUP_RESULT.collected }
          : { status: 'FAILED', description: PICKUP_RESULT.notCollected };
      }
      default:
        return { status: 'FAILED', description: `cannot run ${action.actionType}` };
    }
  }

  private setAction(actionId: string, actionStatus: ActionState['actionStatus'], resultDescription?: string): void {
    this.state.actionStates = this.state.actionStates.map((s) =>
      s.actionId === actionId ? { ...s, actionStatus, ...(resultDescription ? { resultDescription } : {}) } : s,
    );
    this.onChange();
  }

  private failRemaining(): void {
    this.state.actionStates = this.state.actionStates.map((s) =>
      s.actionStatus === 'FINISHED' || s.actionStatus === 'FAILED' ? s : { ...s, actionStatus: 'FAILED' },
    );
    this.state.nodeStates = [];
    this.state.edgeStates = [];
  }

  /** VDA cancelOrder: stops where it is, fails what is left. Resolves once stopped; false when there was no order. */
  async cancel(): Promise<boolean> {
    if (!this.running) return false;
    const running = this.running;
    this.failRemaining();
    this.abort?.abort(CANCELLED);
    if (this.state.paused) this.setPaused(false);
    await running;
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
