import { sleep, type Clock, type Order, type RobotActionParameters } from '../../protocol/index.js';
import { doorsBetween, throughDoors, type DoorPort } from '../door-port.js';
import type { DriveTarget, PickupResult, RobotDescription, RobotDriver, RobotStatus, RouteProblem } from '../driver.js';
import {
  LOAD_MAP_RESULT,
  POWER_SUPPLY_STATUS_CHARGING,
  POWER_SUPPLY_STATUS_FULL,
  RosTypes,
  planarPose,
  rosTime,
  yawOf,
  type BatteryState,
  type LoadMapResponse,
  type Odometry,
  type PoseWithCovarianceStamped,
} from './messages.js';
import { Nav2Navigator, type NavTarget } from './nav2-navigator.js';
import type { Ros2, RosPublisher, RosServiceClient } from './ros-api.js';
import type { Ros2RobotConfig } from './robot-config.js';
import { TrayBoard } from './tray-board.js';

export interface Nav2RobotDriverOptions {
  ros: Ros2;
  clock: Clock;
  config: Ros2RobotConfig;
  /** The building's powered doors (Open-RMF's door adapters: `RmfDoorPort`); without, doors in the config are not asked to open. */
  doors?: DoorPort;
  /** Milliseconds to wait for Nav2's action server and the map server. Default 10 s. */
  serverTimeoutMs?: number;
}

/** Covariance AMCL starts from after a map switch: 0.5 m and ~15° standard deviation (Nav2's RViz tool uses the same order). */
const INITIAL_COVARIANCE = (() => {
  const c = new Array<number>(36).fill(0);
  c[0] = 0.25;
  c[7] = 0.25;
  c[35] = 0.068;
  return c;
})();

/**
 * A delivery robot running ROS 2 and Nav2, driven through rclnodejs (see README, "Real robots"):
 * - driving: one `navigate_to_pose` goal per order edge, to the end node's `nodePosition` on the
 *   current map; Nav2's feedback (distance remaining, ETA) in {@link RobotStatus.navigation}, a state message on the first feedback of a goal and then every 5 s; a
 *   rejected or aborted goal rejects `driveTo` (the bridge reports an `orderExecutionError`);
 *   a cancelled order cancels the goal; a pause cancels it and resume sends it again;
 * - state: position from `amcl_pose` on the current level, velocity from `odom`, battery from
 *   `battery_state` (sensor_msgs/BatteryState);
 * - lifts: boards to the car's pose on the level's map, and after the ride loads the new level's
 *   map (`map_server/load_map`) and sets AMCL's pose in the car (`initialpose`) before leaving;
 * - doors: opens the configured doors of a lane through the door port before driving it, and
 *   lets them close after;
 * - trays and speaker: the {@link TrayBoard} topics;
 * - `disinfect`: the robot holds still at the station for `durationS` (no Nav2 goal) while the
 *   station's own UV tunnel or spray arch, or a person, does the work: ROS 2 and Nav2 have no
 *   interface for a disinfection, and the robot carries no disinfecting hardware of its own.
 */
export class Nav2RobotDriver implements RobotDriver {
  readonly description: RobotDescription;
  readonly actionTypes = ['loadTrays', 'announce', 'waitForPickup', 'disinfect'] as const;

  private readonly navigator: Nav2Navigator;
  private readonly board: TrayBoard;
  private readonly loadMap: RosServiceClient;
  private readonly initialPose: RosPublisher<PoseWithCovarianceStamped>;
  private readonly listeners = new Set<() => void>();
  private mapId: string;
  private pose?: { x: number; y: number; theta: number };
  private speedMps = 0;
  /** Null until the first `battery_state` with a percentage: reported as unknown, not as empty. */
  private batteryPct: number | null = null;
  private charging = false;
  private readonly loads = new Map<number, string>();
  private confirmations?: (trays: number[]) => void;
  /** While trays are being loaded, an empty tray on the board is one not filled yet, not one collected. */
  private waitingForLoad = false;

  constructor(private readonly options: Nav2RobotDriverOptions) {
    const { ros, config, clock } = options;
    this.description = { ...config.robot };
    this.mapId = config.startMapId;
    this.navigator = new Nav2Navigator(ros.navigateToPose('navigate_to_pose'), { now: () => clock.now(), serverTimeoutMs: options.serverTimeoutMs, onProgress: () => this.changed() });
    this.board = new TrayBoard(ros.node, clock);
    this.board.onChange(() => {
      const confirmed = this.board.takeConfirmations();
      if (confirmed.length) this.confirmations?.(confirmed);
      for (const tray of this.loads.keys()) if (this.board.occupied(tray) === false && !this.waitingForLoad) this.loads.delete(tray);
      this.changed();
    });
    ros.node.createSubscription(RosTypes.poseWithCovarianceStamped, 'amcl_pose', {}, (m: PoseWithCovarianceStamped) => {
      this.pose = { x: m.pose.pose.position.x, y: m.pose.pose.position.y, theta: yawOf(m.pose.pose.orientation) };
    });
    ros.node.createSubscription(RosTypes.odometry, 'odom', {}, (m: Odometry) => {
      this.speedMps = Math.hypot(m.twist.twist.linear.x, m.twist.twist.linear.y);
    });
    ros.node.createSubscription(RosTypes.batteryState, 'battery_state', {}, (m: BatteryState) => {
      // percentage is NaN on robots that do not measure it: keep the last figure.
      if (Number.isFinite(m.percentage)) this.batteryPct = Math.round(Math.min(1, Math.max(0, m.percentage)) * 1000) / 10;
      // No state message of its own (published at ~1 Hz or more): the next heartbeat or event carries it.
      this.charging = m.power_supply_status === POWER_SUPPLY_STATUS_CHARGING || m.power_supply_status === POWER_SUPPLY_STATUS_FULL;
    });
    this.loadMap = ros.node.createClient(RosTypes.loadMap, 'map_server/load_map');
    this.initialPose = ros.node.createPublisher(RosTypes.poseWithCovarianceStamped, 'initialpose') as RosPublisher<PoseWithCovarianceStamped>;
  }

  status(): RobotStatus {
    return {
      position: { ...(this.pose ?? { x: 0, y: 0, theta: 0 }), mapId: this.mapId },
      // No AMCL pose on this level yet (just started, or just switched maps): not localised.
      positionInitialized: this.pose !== undefined,
      batteryPct: this.batteryPct,
      charging: this.charging,
      speedMps: this.speedMps,
      trays: [...this.loads].map(([tray, loadId]) => ({ tray, loadId })),
      operatingMode: 'AUTOMATIC',
      eStop: 'NONE',
      fieldViolation: false,
      errors: [],
      ...(this.navigator.progress ? { navigation: { distanceRemainingM: this.navigator.progress.distanceRemainingM, etaS: this.navigator.progress.etaS } } : {}),
    };
  }

  onStatusChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every node needs a position on a level whose map the robot has. */
  checkRoute(route: Pick<Order, 'nodes' | 'edges'>): RouteProblem[] {
    return route.nodes.flatMap((node): RouteProblem[] => {
      if (!node.nodePosition) return [{ nodeId: node.nodeId, description: `node ${node.nodeId} has no nodePosition: a Nav2 robot drives to poses` }];
      if (!(node.nodePosition.mapId in this.options.config.maps))
        return [{ nodeId: node.nodeId, description: `node ${node.nodeId} is on map ${node.nodePosition.mapId}, which this robot has no map for` }];
      return [];
    });
  }

  async driveTo(target: DriveTarget, signal: AbortSignal): Promise<void> {
    const position = target.position;
    if (!position) throw new Error(`node ${target.nodeId} has no nodePosition`);
    if (position.mapId !== this.mapId) throw new Error(`node ${target.nodeId} is on map ${position.mapId}, the robot on ${this.mapId} (a level change needs a lift ride)`);
    const doors = doorsBetween(this.options.config.doors, target.fromNodeId, target.nodeId);
    const goal = { x: position.x, y: position.y, theta: position.theta ?? this.pose?.theta ?? 0, label: `node ${target.nodeId}` };
    await throughDoors(this.options.doors, doors, signal, () => this.navigator.navigate(goal, signal));
  }

  /** Into the car standing at the landing with its doors open: a goal to the car's pose on this level. */
  async boardLift(lift: string, _target: DriveTarget, signal: AbortSignal): Promise<void> {
    await this.navigator.navigate(this.cabin(lift, this.mapId), signal);
  }

  /** The car stands at the new level with its doors open: switch maps, set the pose in the car, drive out onto the landing. */
  async leaveLift(lift: string, target: DriveTarget, signal: AbortSignal): Promise<void> {
    const level = target.position?.mapId;
    if (!level) throw new Error(`lift landing ${target.nodeId} has no nodePosition`);
    if (level !== this.mapId) await this.switchMap(level, this.cabin(lift, level), signal);
    await this.driveTo(target, signal);
  }

  pause(): void {
    this.navigator.pause();
  }

  resume(): void {
    this.navigator.resume();
  }

  /** Resolves once every tray is confirmed, from the controller ({@link confirmLoading}) or on the robot (`isofleet/tray_confirmed`). */
  async loadTrays(parameters: RobotActionParameters<'loadTrays'>, signal: AbortSignal): Promise<void> {
    const trays = parameters.trays.map((t) => t.tray);
    this.waitingForLoad = true;
    try {
      await new Promise<void>((resolve, reject) => {
        const confirmed = new Set<number>();
        const onAbort = () => {
          this.confirmations = undefined;
          reject(signal.reason);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        this.confirmations = (more) => {
          for (const tray of more) confirmed.add(tray);
          if (!trays.every((t) => confirmed.has(t))) return;
          this.confirmations = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    } finally {
      this.waitingForLoad = false;
    }
    this.loads.clear();
    for (const t of parameters.trays) this.loads.set(t.tray, t.item ?? `room-${t.room}`);
    this.changed();
  }

  confirmLoading(trays: number[]): void {
    this.confirmations?.(trays);
  }

  announce(text: string, _parameters: RobotActionParameters<'announce'>, signal: AbortSignal): Promise<void> {
    return this.board.announce(text, signal);
  }

  /** Opens the tray; collected once the board reports it empty, notCollected after the timeout. */
  async waitForPickup(parameters: RobotActionParameters<'waitForPickup'>, signal: AbortSignal): Promise<PickupResult> {
    this.board.openTray(parameters.tray);
    const emptied = await this.board.until(() => this.board.occupied(parameters.tray) === false, signal, parameters.timeoutS * 1000);
    if (!emptied) return 'notCollected';
    this.loads.delete(parameters.tray);
    this.changed();
    return 'collected';
  }

  /** Holds still at the station for the duration (see the class comment); the station does the work. */
  async disinfect(parameters: RobotActionParameters<'disinfect'>, signal: AbortSignal): Promise<void> {
    await sleep(this.options.clock, parameters.durationS * 1000, signal);
  }

  private cabin(lift: string, level: string): NavTarget {
    const pose = this.options.config.lifts[lift]?.[level];
    if (!pose) throw new Error(`lift ${lift}: no car pose on level ${level} in the robot's config (lifts.${lift}.${level})`);
    return { ...pose, label: `the car of lift ${lift} on ${level}` };
  }

  /** Nav2's map server loads the level's map; AMCL is told the robot stands in the car. */
  private async switchMap(level: string, inCar: NavTarget, signal: AbortSignal): Promise<void> {
    const mapUrl = this.options.config.maps[level];
    if (!mapUrl) throw new Error(`no map for level ${level} in the robot's config`);
    if (!(await this.loadMap.waitForService(this.options.serverTimeoutMs ?? 10_000))) throw new Error("Nav2's map_server/load_map service is not available");
    const response = (await this.loadMap.sendRequestAsync({ map_url: mapUrl } as never, { signal, timeout: this.options.serverTimeoutMs ?? 10_000 })) as LoadMapResponse;
    if (response.result !== 0) throw new Error(`map_server/load_map ${mapUrl}: ${LOAD_MAP_RESULT[response.result] ?? `result ${response.result}`}`);
    this.mapId = level;
    this.pose = undefined;
    this.initialPose.publish({
      header: { stamp: rosTime(this.options.clock.now()), frame_id: 'map' },
      pose: { pose: planarPose(inCar.x, inCar.y, inCar.theta), covariance: INITIAL_COVARIANCE },
    });
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
