/**
 * The ROS 2 messages the bridge sends and reads, as rclnodejs hands them to JavaScript (plain
 * objects, field names as in the `.msg`). rclnodejs generates its message typings from the ROS 2
 * installation it is built against, so they are absent where ROS 2 is not installed; these
 * shapes are written from the published definitions, named per type below:
 *
 * - nav2_msgs/action/NavigateToPose (navigation2, Humble to Rolling): goal `pose`,
 *   `behavior_tree`; feedback `current_pose`, `navigation_time`, `estimated_time_remaining`,
 *   `number_of_recoveries`, `distance_remaining`; result `error_code` and `error_msg` from Iron
 *   on (Humble's result is `std_msgs/Empty result`).
 * - nav2_msgs/srv/LoadMap: request `map_url`; response `map`, `result` (RESULT_SUCCESS = 0 … RESULT_UNDEFINED_FAILURE = 255).
 * - geometry_msgs/msg/PoseStamped, PoseWithCovarianceStamped (`/amcl_pose`, `/initialpose`),
 *   nav_msgs/msg/Odometry, sensor_msgs/msg/BatteryState (`percentage` 0–1 or NaN,
 *   `power_supply_status` CHARGING = 1, FULL = 4).
 * - rmf_lift_msgs/msg/LiftRequest, LiftState; rmf_door_msgs/msg/DoorRequest, DoorState, DoorMode
 *   (open-rmf/rmf_internal_msgs).
 * - std_msgs/msg/String, UInt8, UInt8MultiArray for the tray board and the speaker (see README,
 *   "Real robots").
 */

/** builtin_interfaces/msg/Time and Duration. */
export interface RosTime {
  sec: number;
  nanosec: number;
}

export interface Point {
  x: number;
  y: number;
  z: number;
}
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}
export interface Pose {
  position: Point;
  orientation: Quaternion;
}
export interface Header {
  stamp: RosTime;
  frame_id: string;
}
/** geometry_msgs/msg/PoseStamped. */
export interface PoseStamped {
  header: Header;
  pose: Pose;
}
/** geometry_msgs/msg/PoseWithCovarianceStamped: `/amcl_pose` (AMCL's estimate) and `/initialpose`. */
export interface PoseWithCovarianceStamped {
  header: Header;
  pose: { pose: Pose; covariance: number[] };
}
/** nav_msgs/msg/Odometry (only what the bridge reads). */
export interface Odometry {
  header: Header;
  child_frame_id: string;
  twist: { twist: { linear: Point; angular: Point } };
}
/** sensor_msgs/msg/BatteryState (only what the bridge reads). */
export interface BatteryState {
  /** Charge 0–1; NaN when the robot does not measure it. */
  percentage: number;
  power_supply_status: number;
}
export const POWER_SUPPLY_STATUS_CHARGING = 1;
export const POWER_SUPPLY_STATUS_FULL = 4;

/** nav2_msgs/action/NavigateToPose goal. */
export interface NavigateToPoseGoal {
  pose: PoseStamped;
  /** Empty: the navigator's default behaviour tree. */
  behavior_tree: string;
}
/** nav2_msgs/action/NavigateToPose feedback. */
export interface NavigateToPoseFeedback {
  current_pose: PoseStamped;
  navigation_time: RosTime;
  estimated_time_remaining: RosTime;
  number_of_recoveries: number;
  /** Metres along the plan. */
  distance_remaining: number;
}
/** nav2_msgs/action/NavigateToPose result: `error_code`/`error_msg` from Iron on; Humble's is `std_msgs/Empty result`, read as no error code. */
export interface NavigateToPoseResult {
  error_code?: number;
  error_msg?: string;
}
/** nav2_msgs/srv/LoadMap. */
export interface LoadMapRequest {
  map_url: string;
}
export interface LoadMapResponse {
  result: number;
}
/** LoadMap result codes by value, nav2_msgs/srv/LoadMap.srv. */
export const LOAD_MAP_RESULT: Readonly<Record<number, string>> = {
  0: 'RESULT_SUCCESS',
  1: 'RESULT_MAP_DOES_NOT_EXIST',
  2: 'RESULT_INVALID_MAP_DATA',
  3: 'RESULT_INVALID_MAP_METADATA',
  255: 'RESULT_UNDEFINED_FAILURE',
};

/** rmf_lift_msgs/msg/LiftRequest. */
export interface LiftRequest {
  lift_name: string;
  request_time: RosTime;
  /** Unique between requesters: one per ride here. */
  session_id: string;
  request_type: number;
  destination_floor: string;
  door_state: number;
}
export const LiftRequestType = { END_SESSION: 0, AGV_MODE: 1, HUMAN_MODE: 2 } as const;
/** LiftRequest.door_state and LiftState.door_state (MOVING only in a state). */
export const LiftDoor = { CLOSED: 0, MOVING: 1, OPEN: 2 } as const;

/** rmf_lift_msgs/msg/LiftState. */
export interface LiftState {
  lift_time: RosTime;
  lift_name: string;
  available_floors: string[];
  current_floor: string;
  destination_floor: string;
  door_state: number;
  motion_state: number;
  available_modes: number[] | Uint8Array;
  current_mode: number;
  /** The session the lift serves now; empty when none. */
  session_id: string;
}
export const LiftMotion = { STOPPED: 0, UP: 1, DOWN: 2, UNKNOWN: 3 } as const;
export const LiftMode = { UNKNOWN: 0, HUMAN: 1, AGV: 2, FIRE: 3, OFFLINE: 4, EMERGENCY: 5 } as const;

/** rmf_door_msgs/msg/DoorMode. */
export interface DoorMode {
  value: number;
}
export const DoorModeValue = { CLOSED: 0, MOVING: 1, OPEN: 2, OFFLINE: 3, UNKNOWN: 4 } as const;
/** rmf_door_msgs/msg/DoorRequest. */
export interface DoorRequest {
  request_time: RosTime;
  requester_id: string;
  door_name: string;
  requested_mode: DoorMode;
}
/** rmf_door_msgs/msg/DoorState. */
export interface DoorState {
  door_time: RosTime;
  door_name: string;
  current_mode: DoorMode;
}

/** The topics Open-RMF's adapters and supervisors use (rmf_fleet_adapter/StandardNames.hpp). */
export const RmfTopics = {
  /** Requests from fleet adapters; the lift supervisor forwards them to `lift_requests`. Transient local, reliable. */
  adapterLiftRequests: '/adapter_lift_requests',
  liftStates: '/lift_states',
  /** Requests from fleet adapters; the door supervisor forwards them to `door_requests`. */
  adapterDoorRequests: '/adapter_door_requests',
  doorStates: '/door_states',
} as const;

/** ROS interface type names as rclnodejs takes them. */
export const RosTypes = {
  navigateToPose: 'nav2_msgs/action/NavigateToPose',
  loadMap: 'nav2_msgs/srv/LoadMap',
  poseWithCovarianceStamped: 'geometry_msgs/msg/PoseWithCovarianceStamped',
  odometry: 'nav_msgs/msg/Odometry',
  batteryState: 'sensor_msgs/msg/BatteryState',
  liftRequest: 'rmf_lift_msgs/msg/LiftRequest',
  liftState: 'rmf_lift_msgs/msg/LiftState',
  doorRequest: 'rmf_door_msgs/msg/DoorRequest',
  doorState: 'rmf_door_msgs/msg/DoorState',
  string: 'std_msgs/msg/String',
  uint8: 'std_msgs/msg/UInt8',
  uint8MultiArray: 'std_msgs/msg/UInt8MultiArray',
} as const;

/** Seconds of a builtin_interfaces Duration. */
export const seconds = (d: RosTime): number => d.sec + d.nanosec / 1e9;

/** A builtin_interfaces Time for clock ms. */
export const rosTime = (ms: number): RosTime => ({ sec: Math.floor(ms / 1000), nanosec: Math.round((ms % 1000) * 1e6) });

/** Yaw (rad) of a quaternion about z. */
export const yawOf = (q: Quaternion): number => Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));

/** A pose on the plane: x, y (m), theta (rad). */
export const planarPose = (x: number, y: number, theta: number): Pose => ({
  position: { x, y, z: 0 },
  orientation: { x: 0, y: 0, z: Math.sin(theta / 2), w: Math.cos(theta / 2) },
});
