/**
 * The part of rclnodejs the bridge uses, and the one place that loads it. rclnodejs is an
 * optional dependency: it builds only where ROS 2 is installed and sourced, so it is imported
 * lazily, when a ROS 2 driver or adapter is asked for, and its absence is an answer, not a
 * crash. The types below are narrowed from rclnodejs's own declarations (`Node`,
 * `ActionClient`, `ClientGoalHandle`, `Client`, `Publisher`); the checks at the end make the
 * compiler prove that the real classes fit them, so the test stand-in cannot drift from the API.
 */
import type { ActionClient, Client, ClientGoalHandle, Node, Publisher, QoS, Subscription } from 'rclnodejs';
import type { NavigateToPoseFeedback, NavigateToPoseGoal, NavigateToPoseResult } from './messages.js';

/** A publisher: only `publish` is used. */
export type RosPublisher<M> = { publish(message: M): void };

/** Publisher and subscription options (rclnodejs `Options`): the QoS. */
export interface RosEndpointOptions {
  qos?: QoS | string;
}

/** A ROS 2 node: publishers, subscriptions, service clients (rclnodejs `Node`). */
export interface RosNode {
  createPublisher(typeClass: string, topic: string, options?: RosEndpointOptions): RosPublisher<never>;
  createSubscription(typeClass: string, topic: string, options: RosEndpointOptions, callback: (message: never) => void): unknown;
  createClient(typeClass: string, serviceName: string): RosServiceClient;
  destroySubscription?(subscription: Subscription): void;
}

/** A service client (rclnodejs `Client`): `waitForService`, `sendRequestAsync` (rejects on timeout or abort). */
export interface RosServiceClient {
  waitForService(timeout?: number): Promise<boolean>;
  sendRequestAsync(request: never, options?: { timeout?: number; signal?: AbortSignal }): Promise<unknown>;
}

/** A goal handle (rclnodejs `ClientGoalHandle`). */
export interface NavGoalHandle {
  readonly accepted: boolean;
  getResult(): Promise<NavigateToPoseResult>;
  cancelGoal(): Promise<unknown>;
  isSucceeded(): boolean;
  isAborted(): boolean;
  isCanceled(): boolean;
  readonly status: number;
}

/** The `navigate_to_pose` action client (rclnodejs `ActionClient`). */
export interface NavActionClient {
  waitForServer(timeout?: number): Promise<boolean>;
  sendGoal(goal: NavigateToPoseGoal, feedbackCallback?: (feedback: NavigateToPoseFeedback) => void): Promise<NavGoalHandle>;
  destroy(): void;
}

/** What a ROS 2 driver or adapter is built on: one node, its action clients, and the QoS it needs. */
export interface Ros2 {
  node: RosNode;
  /** An action client on `node` for `nav2_msgs/action/NavigateToPose` at `actionName`. */
  navigateToPose(actionName: string): NavActionClient;
  /** Reliable, transient local, keep last 100: what Open-RMF's lift supervisor subscribes `adapter_lift_requests` with. */
  latchedQos: QoS | string;
  /** Stops spinning and destroys the node. */
  close(): void;
}

/** The outcome of loading rclnodejs: the node, or why not (rclnodejs absent, not built, ROS 2 not sourced). */
export type Ros2Load = { ok: true; ros: Ros2 } | { ok: false; error: string };

/**
 * Loads rclnodejs, starts ROS 2 and a spinning node `name` in `namespace` (`/robot1`; default
 * none). Never throws: a machine without ROS 2 gets `ok: false` saying what to do.
 */
export async function loadRos2(name: string, namespace = '', env: NodeJS.ProcessEnv = process.env): Promise<Ros2Load> {
  // Without a sourced ROS 2, importing an unbuilt rclnodejs runs node-gyp for ~20 s and fails anyway.
  if (!env.ROS_DISTRO || !env.AMENT_PREFIX_PATH) {
    return { ok: false, error: 'ROS 2 is not sourced (ROS_DISTRO and AMENT_PREFIX_PATH are unset): run source /opt/ros/$ROS_DISTRO/setup.bash first' };
  }
  let rcl: typeof import('rclnodejs');
  try {
    const module = (await import('rclnodejs')) as typeof import('rclnodejs') & { default?: typeof import('rclnodejs') };
    rcl = module.default ?? module;
  } catch (error) {
    return {
      ok: false,
      error: `rclnodejs cannot be loaded (${(error as Error).message.split('\n')[0]}): on the robot's computer source ROS 2 (source /opt/ros/$ROS_DISTRO/setup.bash) and run npm rebuild rclnodejs`,
    };
  }
  try {
    await rcl.init();
    const node = new rcl.Node(name, namespace);
    node.spin();
    const { HistoryPolicy, ReliabilityPolicy } = rcl.QoS;
    // DurabilityPolicy is declared but not exported by rclnodejs's typings; 1 is TRANSIENT_LOCAL (rmw).
    const latchedQos = new rcl.QoS(HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST, 100, ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE, 1);
    return {
      ok: true,
      ros: {
        node,
        navigateToPose: (actionName) => new rcl.ActionClient(node, 'nav2_msgs/action/NavigateToPose', actionName) as unknown as NavActionClient,
        latchedQos,
        close: () => {
          node.destroy();
          rcl.shutdown();
        },
      },
    };
  } catch (error) {
    return { ok: false, error: `ROS 2 did not start: ${(error as Error).message.split('\n')[0]}` };
  }
}

// Compile-time proof that rclnodejs's classes fit the narrowed shapes the bridge and the stand-in use.
type Fits<Real, Narrow> = Real extends Narrow ? true : never;
type Nav = 'nav2_msgs/action/NavigateToPose';
export type RclnodejsFits = [
  Fits<Node, RosNode>,
  Fits<Client<'nav2_msgs/srv/LoadMap'>, RosServiceClient>,
  Fits<ClientGoalHandle<Nav>, NavGoalHandle>,
  Fits<Pick<ActionClient<Nav>, 'waitForServer' | 'destroy'>, Pick<NavActionClient, 'waitForServer' | 'destroy'>>,
  Fits<Publisher<'std_msgs/msg/String'>, RosPublisher<never>>,
];
export const rclnodejsFits: RclnodejsFits = [true, true, true, true, true];
