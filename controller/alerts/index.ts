export { AlertCenter, type AlertCause, type AlertCenterOptions, type AlertInput } from './alert-center.js';
export { placeOf } from './place.js';
export { stuckBudgetMs, watchRobots, type RobotWatchOptions } from './robot-watch.js';
export { liftTurnMs, waitingOf, type Waiting } from './waiting.js';
export { watchIsolationBreaches, type IsolationWatchOptions } from './isolation-watch.js';
export { watchBatteries, type BatteryWatchOptions } from './battery-watch.js';
export { watchBlockedWays, type WayWatch, type WayWatchOptions } from './way-watch.js';
