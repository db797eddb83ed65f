import type { Clock, ClockTimer, Site } from '../protocol/index.js';
import { NarrowWays } from '../controller/traffic/narrow-ways.js';

/** Two robots on one single-width way going opposite directions: one of them had to back out, or they are stuck. */
export interface HeadOnMeeting {
  way: string;
  robots: [string, string];
  /** Clock ms of the meeting. */
  atMs: number;
}

/** A robot that stood behind another on a single-width way for longer than the limit. */
export interface LongWait {
  robot: string;
  way: string;
  /** The node it waited to drive to. */
  node: string;
  waitedS: number;
  atMs: number;
}

/** A robot on a way: where it came in (undefined: it started inside), where it stands or heads. */
interface Occupant {
  entry?: string;
  at: string;
  moving: boolean;
  /** It set off back towards where it came in (out of a dead end). */
  turnedBack: boolean;
  /** Order of entry, to tell who came in after whom. */
  seq: number;
}

/**
 * The site's single-width ways in the simulated world (see `laneSchema.way`): a robot on one
 * cannot pass another. A robot that sets off on a way's lane counts a head-on meeting with each
 * robot on the way that came in at another end, or that turned back out of a dead end towards it;
 * one driving to a node inside the way where another robot stands waits behind it, and a wait
 * longer than `waitLimitS` is counted (then it goes on, as if someone made room, so a run with
 * meetings still ends). Both counters are plain arrays to read: {@link headOn}, {@link longWaits}.
 */
export class SimNarrowWays {
  /** Every head-on meeting so far, in order. */
  readonly headOn: HeadOnMeeting[] = [];
  /** Every wait behind another robot longer than the limit, in order. */
  readonly longWaits: LongWait[] = [];
  private readonly ways: NarrowWays;
  private readonly occupants = new Map<string, Map<string, Occupant>>();
  private readonly listeners = new Set<() => void>();
  private readonly met = new Set<string>();
  private seq = 0;

  constructor(
    site: Pick<Site, 'lanes'>,
    private readonly clock: Clock,
    /** Seconds a robot may stand behind another on a way before it counts as a long wait. Default 120. */
    readonly waitLimitS = 120,
  ) {
    this.ways = new NarrowWays(site);
  }

  /** Robots on `way` now. */
  on(way: string): string[] {
    return [...(this.occupants.get(way)?.keys() ?? [])];
  }

  /**
   * `robot` sets off from `from` to `to` (adjacent): on a way's lane it comes onto the way (or
   * turns back on it), and it waits while a robot stands on `to` inside the way. Resolves when
   * it may drive; rejects when `signal` aborts.
   */
  async enter(robot: string, from: string, to: string, signal: AbortSignal): Promise<void> {
    const way = this.ways.wayOf(from, to);
    if (!way) return;
    const occupants = this.occupants.get(way.id) ?? new Map<string, Occupant>();
    this.occupants.set(way.id, occupants);
    let me = occupants.get(robot);
    if (!me) {
      me = { entry: way.ends.has(from) ? from : undefined, at: from, moving: false, turnedBack: false, seq: this.seq++ };
      for (const [other, o] of occupants) {
        if (o.entry === undefined || me.entry === undefined || o.entry !== me.entry || o.turnedBack) this.meet(way.id, robot, other);
      }
      occupants.set(robot, me);
    } else if (to === me.entry && !me.turnedBack) {
      me.turnedBack = true;
      for (const [other, o] of occupants) if (o.seq > me.seq) this.meet(way.id, robot, other);
    }
    if (way.inside.has(to)) await this.behind(robot, way.id, to, signal);
    me.moving = true;
    this.changed();
  }

  /** `robot` stands at `node` now: off any way it is not inside of (and on the one it is inside of: a robot put there). */
  arrive(robot: string, node: string): void {
    const inside = this.ways.inside(node);
    if (inside && !this.occupants.get(inside.id)?.has(robot)) {
      const occupants = this.occupants.get(inside.id) ?? new Map<string, Occupant>();
      this.occupants.set(inside.id, occupants.set(robot, { at: node, moving: false, turnedBack: false, seq: this.seq++ }));
    }
    for (const [way, occupants] of this.occupants) {
      const me = occupants.get(robot);
      if (!me) continue;
      if (this.ways.byId.get(way)!.inside.has(node)) {
        me.at = node;
        me.moving = false;
      } else {
        occupants.delete(robot);
        for (const key of [...this.met]) if (key.split('\u0000').includes(robot)) this.met.delete(key);
      }
    }
    this.changed();
  }

  /** Waits until no robot stands on `node` of `way` (or the limit passes, counted). */
  private behind(robot: string, way: string, node: string, signal: AbortSignal): Promise<void> {
    const blocked = () => [...(this.occupants.get(way) ?? [])].some(([other, o]) => other !== robot && o.at === node && !o.moving);
    if (!blocked()) return Promise.resolve();
    const since = this.clock.now();
    return new Promise((resolve, reject) => {
      let timer: ClockTimer | undefined;
      const done = () => {
        this.listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        if (timer) this.clock.clearTimeout(timer);
      };
      const check = () => {
        if (blocked()) return;
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      timer = this.clock.setTimeout(() => {
        timer = undefined;
        this.longWaits.push({ robot, way, node, waitedS: (this.clock.now() - since) / 1000, atMs: this.clock.now() });
        done();
        resolve();
      }, this.waitLimitS * 1000);
      this.listeners.add(check);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Counts the meeting of two robots once while both stay on the way. */
  private meet(way: string, a: string, b: string): void {
    const key = [way, ...[a, b].sort()].join('\u0000');
    if (this.met.has(key)) return;
    this.met.add(key);
    this.headOn.push({ way, robots: [a, b], atMs: this.clock.now() });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
