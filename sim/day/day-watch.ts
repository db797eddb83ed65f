/**
 * What a day's robots did that no single round sees, read from their VDA states as the
 * controller received them: the time they stood in queues, the stalls that count as deadlocks,
 * and the lowest charge each reported.
 */
import type { Clock, ClockTimer, State } from '../../protocol/index.js';
import { waitingOf } from '../../controller/alerts/waiting.js';
import type { FleetRegistry } from '../../controller/fleet/fleet-registry.js';
import type { SiteGraph } from '../../controller/site/index.js';

/** Why a robot on an order stands still, when it waits for someone else. */
export type QueueKind = 'lift' | 'held';

/**
 * Whether the robot in `state` stands in a queue: `lift` at a lift landing or in the car (the
 * session's queue and the ride: the state does not tell them apart); `held` at the end of the
 * way released to it with more of its order to go (a reservation another robot holds), not at a
 * disinfection station (whose hold is the station's own time). Undefined when it drives, works
 * (loads, waits at a door, is disinfected) or has no order.
 */
export function queueOf(state: State, graph: SiteGraph): QueueKind | undefined {
  if (state.driving || state.nodeStates.length === 0) return undefined;
  const waiting = waitingOf(state, graph);
  if (waiting?.kind === 'lift') return 'lift';
  if (waiting?.kind === 'way') return 'held';
  if (waiting) return undefined;
  const next = [...state.nodeStates].sort((a, b) => a.sequenceId - b.sequenceId)[0]!;
  return next.released ? undefined : 'held';
}

/** What changes while a robot makes progress on its order: where it is, whether it drives, what is left, how its actions stand. */
function progressKey(state: State): string {
  return [state.lastNodeId, state.driving, state.nodeStates.length, state.actionStates.map((a) => a.actionStatus[0]).join('')].join('|');
}

export interface Stall {
  robot: string;
  /** Node it stood at. */
  node: string;
  /** Clock ms since which it made no progress. */
  sinceMs: number;
}

export interface DayWatchOptions {
  fleet: FleetRegistry;
  graph: SiteGraph;
  clock: Clock;
  /**
   * Clock ms the robot's trip under way was made (`TripView.createdAt`), undefined without one.
   * Stillness counts from then at the earliest: a robot that stood on a charger for half an hour
   * and is just given a trip has not been standing on it.
   */
  tripSinceMs: (robot: string) => number | undefined;
  /** Clock ms a robot on a trip may make no progress, outside a lift, before it counts as deadlocked. Default 10 min. */
  stallMs?: number;
  /** Told of each stall as it is found. */
  onStall?: (stall: Stall) => void;
}

interface Seen {
  state: State;
  atMs: number;
  key: string;
  progressAtMs: number;
  stalled: boolean;
}

/**
 * Follows every state a robot sends. A robot on a trip that makes no progress for `stallMs`
 * while not waiting for a lift is stuck: with each wait at a door, the loading station or a
 * disinfection station bounded by its own timeout (minutes at most), only robots blocking each
 * other stand that long, so each such stall counts as a deadlock (once per stall).
 */
export class DayWatch {
  private readonly seen = new Map<string, Seen>();
  private readonly waitMs: Record<QueueKind, number> = { lift: 0, held: 0 };
  private readonly lowest = new Map<string, number>();
  private chargingMs = 0;
  readonly stalls: Stall[] = [];
  private timer: ClockTimer | undefined;
  private readonly stallMs: number;

  constructor(private readonly options: DayWatchOptions) {
    this.stallMs = options.stallMs ?? 10 * 60_000;
  }

  /** Starts following the fleet and checking for stalls every simulated minute; returns the teardown. */
  start(): () => void {
    const onState = (robot: string, state: State) => this.onState(robot, state);
    this.options.fleet.on('state', onState);
    const tick = () => {
      this.checkStalls();
      this.timer = this.options.clock.setTimeout(tick, 60_000);
    };
    this.timer = this.options.clock.setTimeout(tick, 60_000);
    return () => {
      this.options.fleet.off('state', onState);
      if (this.timer) this.options.clock.clearTimeout(this.timer);
    };
  }

  /** Simulated seconds robots stood in queues, by kind, up to now. */
  queueWaitS(): Record<QueueKind, number> & { total: number } {
    const now = this.options.clock.now();
    const ms = { ...this.waitMs };
    // The waits under way count up to now.
    for (const seen of this.seen.values()) {
      const kind = queueOf(seen.state, this.options.graph);
      if (kind) ms[kind] += now - seen.atMs;
    }
    return { lift: ms.lift / 1000, held: ms.held / 1000, total: (ms.lift + ms.held) / 1000 };
  }

  /** Simulated hours robots reported charging, all robots together, up to their last states. */
  chargingH(): number {
    return this.chargingMs / 3_600_000;
  }

  /** The lowest charge (VDA `batteryCharge`, %) each robot reported. */
  lowestChargePct(): ReadonlyMap<string, number> {
    return this.lowest;
  }

  private onState(robot: string, state: State): void {
    const now = this.options.clock.now();
    const before = this.seen.get(robot);
    if (before) {
      const kind = queueOf(before.state, this.options.graph);
      if (kind) this.waitMs[kind] += now - before.atMs;
      if (before.state.batteryState.charging) this.chargingMs += now - before.atMs;
    }
    const key = progressKey(state);
    const moved = !before || before.key !== key;
    this.seen.set(robot, { state, atMs: now, key, progressAtMs: moved ? now : before.progressAtMs, stalled: moved ? false : before.stalled });
    const charge = state.batteryState.batteryCharge;
    this.lowest.set(robot, Math.min(this.lowest.get(robot) ?? Infinity, charge));
  }

  private checkStalls(): void {
    const now = this.options.clock.now();
    for (const [robot, seen] of this.seen) {
      if (seen.stalled || now - seen.progressAtMs < this.stallMs) continue;
      const tripSinceMs = this.options.tripSinceMs(robot);
      // Until its first state on the trip arrives, its last progress is from before the trip.
      const sinceMs = tripSinceMs === undefined ? undefined : Math.max(seen.progressAtMs, tripSinceMs);
      if (sinceMs === undefined || now - sinceMs < this.stallMs) continue;
      if (waitingOf(seen.state, this.options.graph)?.kind === 'lift') continue;
      seen.stalled = true;
      const stall = { robot, node: seen.state.lastNodeId, sinceMs };
      this.stalls.push(stall);
      this.options.onStall?.(stall);
    }
  }
}
