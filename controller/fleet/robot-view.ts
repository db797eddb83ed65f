import type { ConnectionState, State } from '../../protocol/index.js';

/** What a robot is doing, as people read it; `unknown` until its first state arrives. */
export type RobotActivity = 'offline' | 'unknown' | 'idle' | 'driving' | 'working' | 'paused' | 'error';

/** The controller's picture of one robot, built from its connection, factsheet and state. */
export interface RobotView {
  /** `serialNumber` for a robot of the controller's manufacturer, else `manufacturer/serialNumber` (see `robotId`). */
  id: string;
  manufacturer: string;
  serialNumber: string;
  /** The VDA 5050 version of its last state or factsheet (`2.1.0`, `2.0.0`); null before the first. */
  version: string | null;
  online: boolean;
  connection: ConnectionState | 'UNKNOWN';
  /** Percent, 0–100; null before the first state. */
  battery: number | null;
  level: string | null;
  node: string | null;
  state: RobotActivity;
  orderId: string | null;
  position: { x: number; y: number; theta: number; mapId: string } | null;
  /** Trays that hold something. */
  loadedTrays: number[];
  trays: number;
  /** Clock ms of the last message from the robot. */
  lastSeenMs: number | null;
  /** Said ONLINE but has sent nothing for too long (see FleetRegistry.markSilent). */
  silent: boolean;
}

/** Reads the activity off a VDA state. */
export function activityOf(state: State, online: boolean): RobotActivity {
  if (!online) return 'offline';
  if (state.errors.some((e) => e.errorLevel === 'FATAL')) return 'error';
  if (state.paused) return 'paused';
  if (state.driving) return 'driving';
  const pending = state.actionStates.some((a) => a.actionStatus !== 'FINISHED' && a.actionStatus !== 'FAILED');
  if (state.nodeStates.length > 0 || pending) return 'working';
  return 'idle';
}
