import type { Clock } from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import { Nav2RobotDriver } from './nav2-robot-driver.js';
import { RmfDoorPort } from './rmf-door-port.js';
import { RmfLiftPort } from './rmf-lift-port.js';
import type { Ros2 } from './ros-api.js';
import type { Ros2RobotConfig } from './robot-config.js';

/** How the robot's lifts and doors are driven: through Open-RMF's adapters, or not by the bridge. */
export interface Ros2RobotOptions {
  ros: Ros2;
  clock: Clock;
  config: Ros2RobotConfig;
  /** The robot's id: the requester of its lift sessions and door requests. */
  robotId: string;
  /** `rmf`: lifts through Open-RMF's lift adapters (the bridge takes `liftRide`); `none`: lift edges are Nav2's to drive. */
  lifts: 'rmf' | 'none';
  /** `rmf`: the config's doors through Open-RMF's door adapters; `none`: doors are not asked to open. */
  doors: 'rmf' | 'none';
  /** Longest wait for a lift car, clock ms (default 5 min). */
  liftTimeoutMs?: number;
  logger?: Logger;
}

/**
 * A ROS 2 robot's driver and lift port, as `npm run bridge -- robot --ros2` builds them for
 * `RobotAgent`: the Nav2 driver, with Open-RMF's doors and lifts when asked.
 */
export function ros2Robot(options: Ros2RobotOptions): { driver: Nav2RobotDriver; lift?: RmfLiftPort } {
  const { ros, clock, config, robotId } = options;
  const doors = options.doors === 'rmf' ? new RmfDoorPort({ ros, clock, requester: robotId }) : undefined;
  const driver = new Nav2RobotDriver({ ros, clock, config, doors });
  const lift =
    options.lifts === 'rmf'
      ? new RmfLiftPort({
          ros,
          clock,
          requester: robotId,
          timeoutMs: options.liftTimeoutMs,
          onTimeout: (liftName, detail) => options.logger?.warn({ lift: liftName, detail }, 'lift did not answer: the ride fails'),
        })
      : undefined;
  return { driver, ...(lift ? { lift } : {}) };
}
