/**
 * The site's powered doors on the robots' way (a ward's airlock, a fire door), as a bridge sees
 * them: what a site integration implements against its door controller. Open-RMF's door
 * adapters are one implementation (`ros2/rmf-door-port.ts`). Who asks keeps a door open until it
 * closes it; a door several robots hold stays open until the last one closes it.
 */
export interface DoorPort {
  /** Asks `door` open; resolves once it reports open. Rejects with the signal's reason when aborted, with an Error when the door cannot open (offline, no answer). */
  open(door: string, signal: AbortSignal): Promise<void>;
  /** The robot is through (or gave up): the door may close. Never throws. */
  close(door: string): void;
}

/** A door on a lane: the lane's two nodes, either way. */
export interface DoorOnLane {
  door: string;
  lanes: [string, string][];
}

/** The doors a robot passes driving from `fromNodeId` to `nodeId`. */
export function doorsBetween(doors: readonly DoorOnLane[], fromNodeId: string, nodeId: string): string[] {
  return doors.filter((d) => d.lanes.some(([a, b]) => (a === fromNodeId && b === nodeId) || (a === nodeId && b === fromNodeId))).map((d) => d.door);
}

/**
 * A door on the way did not open (the port's Error as `cause`): the bridge reports the drive's
 * failure with the door as `errorReferences` `doorId`, so the controller can say which door.
 */
export class DoorNotOpenedError extends Error {
  constructor(
    readonly door: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'DoorNotOpenedError';
  }
}

/**
 * Drives through `doors`: opens each, runs `drive`, closes them however it ends. A door the port
 * cannot open rejects with a {@link DoorNotOpenedError} (an abort with the signal's reason).
 */
export async function throughDoors(port: DoorPort | undefined, doors: readonly string[], signal: AbortSignal, drive: () => Promise<void>): Promise<void> {
  if (!port || doors.length === 0) return drive();
  const opened: string[] = [];
  try {
    for (const door of doors) {
      opened.push(door);
      await port.open(door, signal).catch((error: unknown) => {
        throw signal.aborted || !(error instanceof Error) ? error : new DoorNotOpenedError(door, error);
      });
    }
    await drive();
  } finally {
    for (const door of opened) port.close(door);
  }
}
