import type { NarrowWay, NarrowWays } from './narrow-ways.js';

/**
 * A robot's claim on a single-width way: it enters at `entry` and leaves at `exit` (the same
 * node for a dead end: it comes back out); `entry` undefined for a robot found inside already.
 */
export interface WayClaim {
  robot: string;
  way: string;
  entry?: string;
  exit?: string;
}

interface Holder extends WayClaim {
  /** Its state showed it somewhere else than `entry` since the grant: it is on its way through. */
  moved: boolean;
  /** It moved, or its state showed it driving from `entry` since the grant: it may be on the way. */
  entered: boolean;
}

/**
 * Reservations of single-width ways for live trips: the pure core (no clock, no I/O) of
 * `TripNarrow`. A robot asks for a way at the node before it ({@link request}); requests queue
 * per way first come, first served, and the queue's head is granted the whole way when the way
 * is free, or when every robot holding it goes the same way (same entry, same exit, not a dead
 * end): robots follow one another, never meet head-on. Nobody overtakes the head of a queue, so
 * a stream one way cannot starve the other. A reservation ends as soon as the robot's state
 * shows it past the way (its `lastNodeId` off the way's inside after it moved, {@link observe}),
 * and the next robots waiting are granted.
 *
 * No deadlock: a robot waits for a way only at one of its ends, which is inside no way, and it
 * holds no way while it waits (it left the last one on reaching that end); a way is granted
 * whole, so a robot holding one never waits for another robot to get through it. So no robot
 * waits for a robot that waits, and no cycle of waiting robots can form. What a robot waits for
 * inside a way (a disinfection station's time) ends by itself. This is the reservation rule of
 * Open-RMF's traffic schedule reduced to whole ways (rmf_traffic: a robot negotiates a
 * conflict-free itinerary before it enters), released step by step through the VDA 5050 horizon
 * (VDA 5050 2.1, 6.6: base and horizon).
 */
export class WayReservations {
  private readonly holders = new Map<string, Holder[]>();
  private readonly queues = new Map<string, WayClaim[]>();
  /** Robots people took off a way ({@link removed}), with the last node their states showed then. */
  private readonly carriedOut = new Map<string, string>();
  /** Holders that stopped inside their way (offline, stuck, in error: see {@link stopped}). */
  private readonly stoppedRobots = new Set<string>();

  constructor(private readonly ways: NarrowWays) {}

  /**
   * `robot` waits at `claim.entry` to go through the way: queued (once), and granted at once if it
   * may. Returns the claims granted by this call (its own, if granted now).
   */
  request(claim: WayClaim): WayClaim[] {
    if (this.holds(claim.robot, claim.way)) return [];
    const queue = this.queues.get(claim.way) ?? [];
    if (!queue.some((c) => c.robot === claim.robot)) queue.push({ ...claim });
    this.queues.set(claim.way, queue);
    return this.grantNext(claim.way);
  }

  /** Whether `robot` holds `way` now. */
  holds(robot: string, way: string): boolean {
    return (this.holders.get(way) ?? []).some((h) => h.robot === robot);
  }

  /** Every way held now, with its holders and the robots waiting for it in order. */
  held(): { way: string; holders: string[]; waiting: string[] }[] {
    return [...this.holders.keys()].map((way) => ({ way, ...this.of(way) }));
  }

  /** The robots holding `way`, and those waiting for it in order. */
  of(way: string): { holders: string[]; waiting: string[] } {
    return { holders: (this.holders.get(way) ?? []).map((h) => h.robot), waiting: (this.queues.get(way) ?? []).map((c) => c.robot) };
  }

  /**
   * The robot's state shows it at `lastNodeId` (and `driving` or not): the ways it is past are
   * released (and the next robots granted); a robot found inside a way it does not hold (the
   * controller restarted, or it was put there) holds it alone until it is out. Returns the claims
   * granted and the ways released.
   */
  observe(robot: string, lastNodeId: string, driving = false): { granted: WayClaim[]; released: string[] } {
    const released: string[] = [];
    for (const [way, holders] of this.holders) {
      const mine = holders.find((h) => h.robot === robot);
      if (!mine) continue;
      const inside = this.ways.byId.get(way)!.inside;
      if (lastNodeId !== mine.entry) mine.moved = true;
      // Driving from its entry once granted, it is on the way's first lane (its last node is still the entry).
      if (mine.moved || driving) mine.entered = true;
      if (mine.moved && !inside.has(lastNodeId)) released.push(way);
    }
    for (const way of released) this.drop(way, robot);
    // A robot carried out of a way still names the node it died at until it drives again.
    if (this.carriedOut.has(robot) && this.carriedOut.get(robot) !== lastNodeId) this.carriedOut.delete(robot);
    const found = this.carriedOut.has(robot) ? undefined : this.ways.inside(lastNodeId);
    if (found && !this.holds(robot, found.id)) {
      this.dequeue(found.id, robot);
      this.holders.set(found.id, [...(this.holders.get(found.id) ?? []), { robot, way: found.id, moved: true, entered: true }]);
    }
    return { granted: released.flatMap((way) => this.grantNext(way)), released };
  }

  /**
   * The robot no longer goes where it asked (its trip ended): its requests are dropped, and so
   * are ways granted that it has not entered (its states never showed it move or drive since the
   * grant). Ways it is on stay its own until it is out.
   */
  withdraw(robot: string): WayClaim[] {
    const touched = new Set<string>();
    for (const [way, queue] of this.queues) if (queue.some((c) => c.robot === robot)) touched.add(way);
    for (const way of touched) this.dequeue(way, robot);
    for (const [way, holders] of this.holders) {
      if (holders.some((h) => h.robot === robot && !h.entered)) {
        this.drop(way, robot);
        touched.add(way);
      }
    }
    return [...touched].flatMap((way) => this.grantNext(way));
  }

  /**
   * People took `robot` off `way` (it died inside and staff carried it out): it holds the way no
   * longer and the next robots are granted. Its states still naming `lastNodeId` (the node it
   * was last seen at: a robot carried out keeps it until it drives) do not make it a robot found
   * inside again. Undefined when it does not hold the way.
   */
  removed(robot: string, way: string, lastNodeId: string | undefined): WayClaim[] | undefined {
    if (!this.holds(robot, way)) return undefined;
    this.drop(way, robot);
    this.stoppedRobots.delete(robot);
    if (lastNodeId !== undefined) this.carriedOut.set(robot, lastNodeId);
    return this.grantNext(way);
  }

  /**
   * Whether a robot holding a way has stopped inside it (offline, stuck, in error) or goes on
   * again: nobody is granted the way behind a stopped robot, as a robot following it in would
   * stand behind it, inside the way, for as long as it stays. Returns the claims granted now that
   * it goes on.
   */
  stopped(robot: string, stopped: boolean): WayClaim[] {
    if (!stopped) return this.stoppedRobots.delete(robot) ? [...this.holders.keys()].flatMap((way) => this.grantNext(way)) : [];
    this.stoppedRobots.add(robot);
    return [];
  }

  private grantNext(way: string): WayClaim[] {
    const queue = this.queues.get(way) ?? [];
    const granted: WayClaim[] = [];
    while (queue.length > 0 && this.compatible(this.ways.byId.get(way)!, queue[0]!)) {
      const claim = queue.shift()!;
      this.holders.set(way, [...(this.holders.get(way) ?? []), { ...claim, moved: false, entered: false }]);
      granted.push(claim);
    }
    if (queue.length === 0) this.queues.delete(way);
    return granted;
  }

  /** The way is free, or every holder goes through it the same way as `claim` (not a dead end). */
  private compatible(way: NarrowWay, claim: WayClaim): boolean {
    const holders = this.holders.get(way.id) ?? [];
    if (holders.some((h) => this.stoppedRobots.has(h.robot))) return false;
    const through = claim.entry !== undefined && claim.exit !== undefined && claim.entry !== claim.exit && way.ends.has(claim.exit);
    return holders.length === 0 || (through && holders.every((h) => h.entry === claim.entry && h.exit === claim.exit));
  }

  private drop(way: string, robot: string): void {
    const left = (this.holders.get(way) ?? []).filter((h) => h.robot !== robot);
    if (left.length) this.holders.set(way, left);
    else this.holders.delete(way);
    if (![...this.holders.values()].some((holders) => holders.some((h) => h.robot === robot))) this.stoppedRobots.delete(robot);
  }

  private dequeue(way: string, robot: string): void {
    const left = (this.queues.get(way) ?? []).filter((c) => c.robot !== robot);
    if (left.length) this.queues.set(way, left);
    else this.queues.delete(way);
  }
}
