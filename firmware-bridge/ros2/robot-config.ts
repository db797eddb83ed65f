import { z } from 'zod';

const pose2d = z.object({ x: z.number(), y: z.number(), theta: z.number().default(0) });

/**
 * What a ROS 2 robot's bridge needs to know about the building beyond the orders (a JSON file,
 * `npm run bridge -- robot --ros2 --config FILE`): the map server's map for each site level, where
 * the lift cars stand on each level's map, the powered doors on lanes, and the robot's size.
 */
export const ros2RobotConfigSchema = z.object({
  /** The level the robot stands on at start (a site level, an order's `mapId`). */
  startMapId: z.string().min(1),
  /** Per site level (`mapId`), the map yaml Nav2's map server loads (`nav2_msgs/srv/LoadMap` `map_url`). */
  maps: z.record(z.string(), z.string().min(1)).refine((maps) => Object.keys(maps).length > 0, 'needs the map of at least one level'),
  /** Per lift, per level: the pose inside the car on that level's map (m, rad), where the robot boards to and is set after the ride. */
  lifts: z.record(z.string(), z.record(z.string(), pose2d)).default({}),
  /** Powered doors on lanes: the Open-RMF door name and the lanes (node id pairs, either way) that pass it. */
  doors: z.array(z.object({ door: z.string().min(1), lanes: z.array(z.tuple([z.string(), z.string()])).min(1) })).default([]),
  robot: z
    .object({
      seriesName: z.string().default('ROS 2 Nav2 tray robot'),
      trays: z.number().int().min(1).max(4).default(4),
      speedMaxMps: z.number().positive().default(0.8),
      widthM: z.number().positive().default(0.5),
      lengthM: z.number().positive().default(0.5),
      heightM: z.number().positive().default(1.3),
    })
    .default({ seriesName: 'ROS 2 Nav2 tray robot', trays: 4, speedMaxMps: 0.8, widthM: 0.5, lengthM: 0.5, heightM: 1.3 }),
});
export type Ros2RobotConfig = z.infer<typeof ros2RobotConfigSchema>;
export type Ros2RobotConfigInput = z.input<typeof ros2RobotConfigSchema>;
