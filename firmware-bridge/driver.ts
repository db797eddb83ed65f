import type { NodePosition, RobotActionParameters, RobotActionType } from '../protocol/index.js';

/** Where to drive next: the end node of an order edge. */
export interface DriveTarget {
  fromNodeId: string;
  nodeId: string;
  edgeId: string;
  /** Position of the target node; a change of `mapId` is a change of level (a lift ride). */
  position?: NodePosition;
  lengthM?: number;
  maxSpeedMps?: number;
}

/** What the robot reports about itself at any moment. */
export interface RobotStatus {
  position: { x: number; y: number; theta: number; mapId: string };
  positionInitialized: boolean;
  /** Percent, 0–100. */
  batteryPct: number;
  charging: boolean;
  /** Metres per second, for visualisation. */
  speedMps: number;
  /** Trays that hold something; `loadId` is the item when known. */
  trays: { tray: number; loadId?: string }[];
}

/** Outcome of waiting at a door. */
export type PickupResult = 'collected' | 'notCollected';

/** Static facts about a robot, for its factsheet. */
export interface RobotDescription {
  seriesName: string;
  trays: number;
  speedMaxMps: number;
  widthM: number;
  lengthM: number;
  heightM: number;
}

/**
 * What the bridge needs from a delivery robot: motors, trays, speaker. Implemented by the
 * simulator and by hardware adapters; the bridge cannot tell them apart. Every long call
 * takes an AbortSignal and rejects with its reason when the order is cancelled.
 */
export interface RobotDriver {
  readonly description: RobotDescription;
  /** The custom actions this robot can run. */
  readonly actionTypes: readonly RobotActionType[];
  status(): RobotStatus;
  /** Calls `listener` when something in {@link status} changes on its own (a tray emptied, a charger plugged). Returns the teardown. */
  onStatusChange(listener: () => void): () => void;
  /** Drives along one edge to its end node; rejects when the robot cannot get there. */
  driveTo(target: DriveTarget, signal: AbortSignal): Promise<void>;
  /** Stops motion where it is (VDA startPause); actions already running go on. */
  pause(): void;
  resume(): void;
  /** Resolves once the trays are on and a person confirmed it (on the robot or via the controller). */
  loadTrays(parameters: RobotActionParameters<'loadTrays'>, signal: AbortSignal): Promise<void>;
  /** The medic confirmed these trays from the controller (the dashboard); ends a running loadTrays once all are confirmed. */
  confirmLoading(trays: number[]): void;
  /** Speaks `text` at the door. */
  announce(text: string, parameters: RobotActionParameters<'announce'>, signal: AbortSignal): Promise<void>;
  /** Opens the tray and waits until it is emptied or the timeout passes. */
  waitForPickup(parameters: RobotActionParameters<'waitForPickup'>, signal: AbortSignal): Promise<PickupResult>;
}

/** Actions an order asks for that the driver cannot run; empty when it can run them all. */
export function unsupportedActions(driver: RobotDriver, actionTypes: Iterable<string>): string[] {
  return [...new Set(actionTypes)].filter((type) => !(driver.actionTypes as readonly string[]).includes(type));
}
