/**
 * TEST STAND-IN for a robot running Nav2 (ROS 2 cannot be installed where the tests run). It
 * follows the published interfaces and what Nav2's servers do with them, as far as the bridge
 * sees:
 * - `navigate_to_pose` (nav2_msgs/action/NavigateToPose, bt_navigator): accepts a goal in frame
 *   `map` with a finite pose, rejects others (and the next N goals on `rejectGoals(N)`); drives
 *   straight at `speedMps` in clock time, sends feedback (current_pose, navigation_time,
 *   estimated_time_remaining, number_of_recoveries, distance_remaining) every `tickMs`, ends
 *   SUCCEEDED within 0.05 m, ABORTED on an injected failure (`abortNextAfterM`), CANCELED on a
 *   cancel request (the robot stops where it is).
 * - `map_server/load_map` (nav2_msgs/srv/LoadMap, nav2_map_server): result RESULT_SUCCESS (0)
 *   for a known map url, RESULT_MAP_DOES_NOT_EXIST (1) otherwise.
 * - AMCL: `initialpose` (geometry_msgs/PoseWithCovarianceStamped) sets the estimate; `amcl_pose`
 *   is published on every move and after an initial pose.
 * - `odom` (nav_msgs/Odometry) with the forward speed; `battery_state` (sensor_msgs/BatteryState,
 *   `percentage` 0–1) on every tick.
 * Not modelled: planning around obstacles, recoveries, the costmaps, tf.
 */
import type { Clock, ClockTimer } from '../../../protocol/index.js';
import { RosTypes, planarPose, rosTime, yawOf, type NavigateToPoseResult, type PoseWithCovarianceStamped } from '../messages.js';
import { resolveName, type RosGraph, type ServerGoal } from './ros-graph.js';

export interface Nav2RobotOptions {
  graph: RosGraph;
  clock: Clock;
  namespace?: string;
  start: { x: number; y: number; theta?: number };
  /** Map urls the map server can load. */
  maps: string[];
  speedMps?: number;
  tickMs?: number;
  batteryPct?: number;
}

export class StandInNav2Robot {
  pose: { x: number; y: number; theta: number };
  /** The map the map server serves now. */
  mapUrl?: string;
  batteryPct: number;
  /** Every goal Nav2 received, accepted or not. */
  readonly goals: { x: number; y: number; frame: string }[] = [];
  private rejects = 0;
  private abortAfterM?: { m: number; result: NavigateToPoseResult };
  private active?: { goal: ServerGoal; timer?: ClockTimer };
  private readonly ns: string;

  constructor(private readonly options: Nav2RobotOptions) {
    const { graph } = options;
    this.ns = options.namespace ?? '';
    this.pose = { theta: 0, ...options.start };
    this.batteryPct = options.batteryPct ?? 80;
    graph.advertiseAction(this.name('navigate_to_pose'), RosTypes.navigateToPose, (goal) => this.onGoal(goal));
    graph.advertiseService(this.name('map_server/load_map'), RosTypes.loadMap, (request: { map_url: string }) => {
      if (!options.maps.includes(request.map_url)) return { result: 1 };
      this.mapUrl = request.map_url;
      return { result: 0 };
    });
    graph.subscribe(this.name('initialpose'), RosTypes.poseWithCovarianceStamped, (m: PoseWithCovarianceStamped) => {
      this.pose = { x: m.pose.pose.position.x, y: m.pose.pose.position.y, theta: yawOf(m.pose.pose.orientation) };
      this.publishPose(0);
    });
  }

  /** Rejects the next `n` goals. */
  rejectGoals(n: number): void {
    this.rejects = n;
  }

  /** Aborts the next goal after `m` metres driven (a blocked corridor), with `result`. */
  abortNextAfterM(m: number, result: NavigateToPoseResult = {}): void {
    this.abortAfterM = { m, result };
  }

  /** Whether a goal is under way. */
  get navigating(): boolean {
    return this.active !== undefined;
  }

  /** Publishes the current pose, odometry and battery (what the robot does all along). */
  publishPose(speedMps: number): void {
    const { graph, clock } = this.options;
    const stamp = rosTime(clock.now());
    graph.publish(this.name('amcl_pose'), RosTypes.poseWithCovarianceStamped, {
      header: { stamp, frame_id: 'map' },
      pose: { pose: planarPose(this.pose.x, this.pose.y, this.pose.theta), covariance: new Array(36).fill(0) },
    });
    graph.publish(this.name('odom'), RosTypes.odometry, {
      header: { stamp, frame_id: 'odom' },
      child_frame_id: 'base_link',
      twist: { twist: { linear: { x: speedMps, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } } },
    });
    graph.publish(this.name('battery_state'), RosTypes.batteryState, { percentage: this.batteryPct / 100, power_supply_status: 2 });
  }

  private name(relative: string): string {
    return resolveName(relative, this.ns);
  }

  private onGoal(goal: ServerGoal): { accept: boolean } {
    const { x, y } = goal.goal.pose.pose.position;
    this.goals.push({ x, y, frame: goal.goal.pose.header.frame_id });
    if (this.rejects > 0) {
      this.rejects--;
      return { accept: false };
    }
    if (goal.goal.pose.header.frame_id !== 'map' || !Number.isFinite(x) || !Number.isFinite(y)) return { accept: false };
    // bt_navigator preempts: a new goal ends the one under way.
    if (this.active) this.stop()?.abort();
    const abort = this.abortAfterM;
    this.abortAfterM = undefined;
    const started = this.options.clock.now();
    let driven = 0;
    const speed = this.options.speedMps ?? 0.8;
    const tickMs = this.options.tickMs ?? 250;
    goal.onCancel = () => {
      this.stop()?.canceled();
      this.publishPose(0);
    };
    this.active = { goal };
    const tick = () => {
      const remaining = Math.hypot(x - this.pose.x, y - this.pose.y);
      if (remaining <= 0.05) {
        this.stop()?.succeed();
        this.publishPose(0);
        return;
      }
      const step = Math.min(remaining, (speed * tickMs) / 1000);
      const heading = Math.atan2(y - this.pose.y, x - this.pose.x);
      this.pose = { x: this.pose.x + Math.cos(heading) * step, y: this.pose.y + Math.sin(heading) * step, theta: heading };
      driven += step;
      this.batteryPct = Math.max(0, this.batteryPct - 0.001);
      this.publishPose(speed);
      if (abort && driven >= abort.m) {
        this.stop()?.abort(abort.result);
        this.publishPose(0);
        return;
      }
      const left = Math.hypot(x - this.pose.x, y - this.pose.y);
      goal.feedback({
        current_pose: { header: { stamp: rosTime(this.options.clock.now()), frame_id: 'map' }, pose: planarPose(this.pose.x, this.pose.y, this.pose.theta) },
        navigation_time: rosTime(this.options.clock.now() - started),
        estimated_time_remaining: rosTime((left / speed) * 1000),
        number_of_recoveries: 0,
        distance_remaining: left,
      });
      if (left <= 0.05) {
        const orientation = goal.goal.pose.pose.orientation;
        this.pose = { x, y, theta: yawOf(orientation) };
        this.stop()?.succeed();
        this.publishPose(0);
        return;
      }
      if (this.active) this.active.timer = this.options.clock.setTimeout(tick, tickMs);
    };
    this.active.timer = this.options.clock.setTimeout(tick, tickMs);
    return { accept: true };
  }

  /** Stops the goal under way; returns it to be ended. */
  private stop(): ServerGoal | undefined {
    const active = this.active;
    if (!active) return undefined;
    if (active.timer) this.options.clock.clearTimeout(active.timer);
    this.active = undefined;
    return active.goal;
  }
}
