import type { DoorView } from '../../protocol/index.js';

/** A room's door as the controller keeps it between sensor messages. */
export interface DoorState {
  room: string;
  /** A red-zone room: its resident must stay in. */
  isolated: boolean;
  open?: boolean;
  lastSeenAt?: string;
  sensorId?: string;
  /** A medic's mute of the unexpected-open alert; `untilMs` (clock ms) absent: until lifted. */
  mute?: { untilMs?: number; by: string };
  /** Clock ms a tray for this room was last offered at its door (delivered or not collected). */
  lastOfferMs?: number;
  /** Clock ms the door last opened (a live message, not a retained one); absent while it is closed. */
  openedMs?: number;
}

/** What was true when the door opened, as the shell found it. */
export interface DoorOpenContext {
  nowMs: number;
  /** Trays for this room a robot carries on a trip under way (at the door or on its way). */
  traysDue: number;
  /** Seconds after a tray was offered during which an open is expected. */
  graceAfterDeliveryS: number;
  quietHours: boolean;
}

/**
 * Why an open was, or was not, a cause for the alert:
 * `deliveryDue` (a tray for the room is under way or was offered within the grace),
 * `notIsolated`, `muted`, `quietHours`, or `unexpected` (raise the alert).
 */
export type DoorOpenVerdict = 'deliveryDue' | 'notIsolated' | 'muted' | 'quietHours' | 'unexpected';

/** Whether `door`'s mute holds at `nowMs`. */
export function mutedAt(door: DoorState, nowMs: number): boolean {
  return door.mute !== undefined && (door.mute.untilMs === undefined || nowMs < door.mute.untilMs);
}

/**
 * Judges an open of `door` (the rule of issue 19: an isolated room's door opening with no
 * delivery or visit due means the resident may have left the room). A delivery due wins over
 * everything (the open is the pickup); a medic's mute stands for a visit or a resident allowed out.
 */
export function judgeDoorOpen(door: DoorState, context: DoorOpenContext): DoorOpenVerdict {
  if (context.traysDue > 0) return 'deliveryDue';
  if (door.lastOfferMs !== undefined && context.nowMs - door.lastOfferMs <= context.graceAfterDeliveryS * 1000) return 'deliveryDue';
  if (!door.isolated) return 'notIsolated';
  if (mutedAt(door, context.nowMs)) return 'muted';
  if (context.quietHours) return 'quietHours';
  return 'unexpected';
}

/** The door as `GET /api/doors` shows it at `nowMs` (an expired mute shows as none). */
export function doorView(door: DoorState, nowMs: number): DoorView {
  const muted = mutedAt(door, nowMs);
  return {
    room: door.room,
    isolated: door.isolated,
    ...(door.open !== undefined ? { open: door.open } : {}),
    ...(door.lastSeenAt ? { lastSeenAt: door.lastSeenAt } : {}),
    ...(door.sensorId ? { sensorId: door.sensorId } : {}),
    muted,
    ...(muted && door.mute?.untilMs !== undefined ? { mutedUntil: new Date(door.mute.untilMs).toISOString() } : {}),
    ...(muted ? { mutedBy: door.mute!.by } : {}),
  };
}
