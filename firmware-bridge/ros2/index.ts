export { loadRos2, type Ros2, type Ros2Load, type RosNode, type NavActionClient, type NavGoalHandle } from './ros-api.js';
export { Nav2RobotDriver, type Nav2RobotDriverOptions } from './nav2-robot-driver.js';
export { RmfLiftPort, type RmfLiftPortOptions } from './rmf-lift-port.js';
export { RmfDoorPort, type RmfDoorPortOptions } from './rmf-door-port.js';
export { ros2Robot, type Ros2RobotOptions } from './ros2-robot.js';
export { ros2RobotConfigSchema, type Ros2RobotConfig, type Ros2RobotConfigInput } from './robot-config.js';
export { TrayBoard } from './tray-board.js';
