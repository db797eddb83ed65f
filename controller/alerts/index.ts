export { AlertCenter, type AlertInput } from './alert-center.js';
export { watchRobots, type RobotWatchOptions } from './robot-watch.js';
