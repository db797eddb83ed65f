/**
 * TEST STAND-IN for a ROS 2 graph under rclnodejs: ROS 2 cannot be installed on the machines
 * that run isofleet's tests, so the ROS 2 driver and the Open-RMF adapters are tested against
 * this. It implements the narrowed rclnodejs shapes of `../ros-api.ts` (which the compiler
 * checks against rclnodejs's published declarations: `Node.createPublisher`,
 * `createSubscription(type, topic, options, callback)`, `createClient`, `Client.waitForService`
 * and `sendRequestAsync` with `timeout`/`signal`, `ActionClient.waitForServer` and `sendGoal`
 * with a feedback callback, `ClientGoalHandle.accepted`, `getResult`, `cancelGoal`,
 * `isSucceeded`/`isAborted`/`isCanceled`, `status`), and what DDS does underneath as far as the
 * bridge can tell: names resolved against the node's namespace (rcl's rules: a relative name is
 * prefixed with the namespace, an absolute one is not), messages delivered asynchronously and
 * copied (as serialisation does), a publisher and a subscriber of different types on one topic
 * never matched (here: an error, to catch a wrong type name), goal states as
 * action_msgs/msg/GoalStatus numbers. What it does not model: QoS matching, discovery delays,
 * message loss.
 */
import type { NavigateToPoseFeedback, NavigateToPoseGoal, NavigateToPoseResult } from '../messages.js';
import type { NavActionClient, NavGoalHandle, Ros2, RosEndpointOptions, RosNode, RosPublisher, RosServiceClient } from '../ros-api.js';

/** action_msgs/msg/GoalStatus. */
export const GoalStatus = { UNKNOWN: 0, ACCEPTED: 1, EXECUTING: 2, CANCELING: 3, SUCCEEDED: 4, CANCELED: 5, ABORTED: 6 } as const;

/** rcl's name resolution for a node in `namespace`. */
export function resolveName(name: string, namespace: string): string {
  if (name.startsWith('/')) return name;
  const ns = namespace === '' || namespace === '/' ? '' : namespace.replace(/\/$/, '');
  return `${ns}/${name}`;
}

/** A goal as the action server sees it: feedback to send, and the end to report. */
export interface ServerGoal {
  goal: NavigateToPoseGoal;
  feedback(message: NavigateToPoseFeedback): void;
  succeed(): void;
  abort(result?: NavigateToPoseResult): void;
  /** Called when the client asks to cancel; the server ends the goal with {@link canceled}. */
  onCancel?: () => void;
  canceled(): void;
  readonly done: boolean;
}

/** An action server: `accept` false rejects the goal. */
export type ActionServer = (goal: ServerGoal) => { accept: boolean };

type Handler = (request: never) => unknown;

export class RosGraph {
  private readonly topics = new Map<string, { type: string; subscribers: Set<(m: unknown) => void> }>();
  private readonly services = new Map<string, { type: string; handler: Handler }>();
  private readonly actions = new Map<string, { type: string; server: ActionServer }>();
  /** Every message published, in order, for assertions. */
  readonly log: { topic: string; message: unknown }[] = [];

  private topic(name: string, type: string) {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { type, subscribers: new Set() };
      this.topics.set(name, topic);
    }
    if (topic.type !== type) throw new Error(`topic ${name} carries ${topic.type}, not ${type}: DDS would never match them`);
    return topic;
  }

  /** Publishes on the fully qualified `topic`; subscribers get a copy after the current turn. */
  publish(topic: string, type: string, message: unknown): void {
    const t = this.topic(topic, type);
    this.log.push({ topic, message: structuredClone(message) });
    for (const subscriber of t.subscribers) {
      const copy = structuredClone(message);
      setImmediate(() => subscriber(copy));
    }
  }

  subscribe(topic: string, type: string, callback: (message: never) => void): () => void {
    const t = this.topic(topic, type);
    const cb = callback as (m: unknown) => void;
    t.subscribers.add(cb);
    return () => t.subscribers.delete(cb);
  }

  advertiseService(name: string, type: string, handler: Handler): void {
    this.services.set(name, { type, handler });
  }

  advertiseAction(name: string, type: string, server: ActionServer): void {
    this.actions.set(name, { type, server });
  }

  /** Messages published on `topic` so far. */
  messages<M>(topic: string): M[] {
    return this.log.filter((e) => e.topic === topic).map((e) => e.message as M);
  }

  /** A node in `namespace`, as `loadRos2` gives one. */
  ros(namespace = ''): Ros2 {
    const node = this.node(namespace);
    return {
      node,
      navigateToPose: (actionName) => this.actionClient(resolveName(actionName, namespace), 'nav2_msgs/action/NavigateToPose'),
      latchedQos: 'transient_local',
      close: () => {},
    };
  }

  private node(namespace: string): RosNode {
    return {
      createPublisher: (type: string, topic: string, _options?: RosEndpointOptions): RosPublisher<never> => {
        const name = resolveName(topic, namespace);
        this.topic(name, type);
        return { publish: (message: never) => this.publish(name, type, message) };
      },
      createSubscription: (type: string, topic: string, _options: RosEndpointOptions, callback: (message: never) => void) => this.subscribe(resolveName(topic, namespace), type, callback),
      createClient: (type: string, serviceName: string): RosServiceClient => {
        const name = resolveName(serviceName, namespace);
        const find = () => {
          const service = this.services.get(name);
          if (service && service.type !== type) throw new Error(`service ${name} is ${service.type}, not ${type}`);
          return service;
        };
        return {
          waitForService: async () => find() !== undefined,
          sendRequestAsync: async (request: never, options?: { timeout?: number; signal?: AbortSignal }) => {
            const service = find();
            if (!service) throw new Error(`service ${name} is not available`);
            if (options?.signal?.aborted) throw options.signal.reason;
            await new Promise((r) => setImmediate(r));
            return service.handler(structuredClone(request));
          },
        };
      },
    };
  }

  private actionClient(name: string, type: string): NavActionClient {
    const find = () => {
      const action = this.actions.get(name);
      if (action && action.type !== type) throw new Error(`action ${name} is ${action.type}, not ${type}`);
      return action;
    };
    return {
      waitForServer: async () => find() !== undefined,
      destroy: () => {},
      sendGoal: async (goal, feedbackCallback) => {
        const action = find();
        if (!action) throw new Error(`action server ${name} is not available`);
        await new Promise((r) => setImmediate(r));
        let status: number = GoalStatus.ACCEPTED;
        let settle!: (result: NavigateToPoseResult) => void;
        const result = new Promise<NavigateToPoseResult>((resolve) => (settle = resolve));
        const end = (to: number, r: NavigateToPoseResult = {}) => {
          if (serverGoal.done) return;
          status = to;
          setImmediate(() => settle(structuredClone(r)));
        };
        const serverGoal: ServerGoal = {
          goal: structuredClone(goal),
          feedback: (m) => {
            if (!serverGoal.done) setImmediate(() => feedbackCallback?.(structuredClone(m)));
          },
          succeed: () => end(GoalStatus.SUCCEEDED),
          abort: (r) => end(GoalStatus.ABORTED, r),
          canceled: () => end(GoalStatus.CANCELED),
          get done() {
            return status === GoalStatus.SUCCEEDED || status === GoalStatus.ABORTED || status === GoalStatus.CANCELED;
          },
        };
        const { accept } = action.server(serverGoal);
        if (accept) status = GoalStatus.EXECUTING;
        const handle: NavGoalHandle = {
          accepted: accept,
          getResult: () => result,
          cancelGoal: async () => {
            if (serverGoal.done) return { return_code: 3 }; // CancelGoal ERROR_GOAL_TERMINATED
            status = GoalStatus.CANCELING;
            serverGoal.onCancel?.();
            return { return_code: 0 };
          },
          isSucceeded: () => status === GoalStatus.SUCCEEDED,
          isAborted: () => status === GoalStatus.ABORTED,
          isCanceled: () => status === GoalStatus.CANCELED,
          get status() {
            return status;
          },
        };
        return handle;
      },
    };
  }
}
