import { doorsBetween, type DoorOnLane, type DoorPort } from '../firmware-bridge/index.js';
import { sleep, type Clock, type Site, type SiteDoor } from '../protocol/index.js';

/**
 * The site's doors on the robots' way (`site.doors`), as the simulator's door controller: a door
 * asked open takes its `openS` of clock time; a jammed one (`jam`, a fault the developer panel or
 * a test injects) never opens and the request fails after `openTimeoutS`, as a real port gives up
 * on a door that does not answer. A door several robots hold stays open until the last closes it.
 */
export class SimDoors implements DoorPort {
  private readonly doors = new Map<string, SiteDoor>();
  private readonly onLanes: DoorOnLane[];
  private readonly jammed = new Set<string>();
  private readonly holders = new Map<string, number>();
  /** Doors opened so far (each request that got its door open). */
  opened = 0;

  constructor(
    site: Pick<Site, 'doors' | 'lanes'>,
    private readonly clock: Clock,
    /** Seconds to wait for a door before giving up. Default 30. */
    private readonly openTimeoutS = 30,
  ) {
    for (const door of site.doors) this.doors.set(door.id, door);
    this.onLanes = site.doors.map((door) => ({ door: door.id, lanes: site.lanes.filter((l) => l.door === door.id).map((l): [string, string] => [l.from, l.to]) }));
  }

  /** The doors on the lane between two nodes. */
  between(fromNodeId: string, nodeId: string): string[] {
    return doorsBetween(this.onLanes, fromNodeId, nodeId);
  }

  /** A door that will not open (a fault), or opens again. */
  jam(door: string, jammed = true): void {
    if (jammed) this.jammed.add(door);
    else this.jammed.delete(door);
  }

  async open(door: string, signal: AbortSignal): Promise<void> {
    const spec = this.doors.get(door);
    if (!spec) throw new Error(`no door ${door} on this site`);
    if (this.jammed.has(door)) {
      await sleep(this.clock, this.openTimeoutS * 1000, signal);
      throw new Error(`door ${door} did not open within ${this.openTimeoutS} s`);
    }
    // Already held open by another robot: no wait.
    if (!this.holders.get(door)) await sleep(this.clock, spec.openS * 1000, signal);
    this.holders.set(door, (this.holders.get(door) ?? 0) + 1);
    this.opened++;
  }

  close(door: string): void {
    const held = this.holders.get(door) ?? 0;
    if (held > 0) this.holders.set(door, held - 1);
  }
}
