export { RobotAgent, type RobotAgentOptions } from './robot-agent.js';
export { OrderExecutor, type ExecutionState, type OrderDecision } from './order-executor.js';
export {
  unsupportedActions,
  type RobotDriver,
  type RobotStatus,
  type DriveTarget,
  type PickupResult,
  type RobotDescription,
  type RouteProblem,
  type OperatingMode,
  type EStop,
} from './driver.js';
export { announcementText } from './announcement.js';
export { rideLift, type LiftPort, type LiftRideRequest } from './lift-port.js';
export { DoorNotOpenedError, doorsBetween, throughDoors, type DoorPort, type DoorOnLane } from './door-port.js';
