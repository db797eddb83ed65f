import type { TripView } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';
import type { Round } from './round-core.js';
import { plannerRobots, queuedEtas, roundEtas, sentEtas, type RobotNow } from './round-eta.js';
import type { RoundTimes } from './round-input.js';

/**
 * The queued part again at most this often (clock ms) when only robots moved or trips changed
 * (a tray handed over); at once when the queue changed. It builds and times the whole rest of
 * the round (a 150-room round: tens of ms), robots report several nodes a second, and trays
 * change every few seconds. Measured so (lunch scenario, hotel, 80 rooms, seed 1, virtual
 * clock): 28.0 s of wall time with the ETAs, 29.4 s with none computed (noise of a shared
 * machine); the planner's own work budget is most of a simulated round's wall time.
 */
const QUEUED_REFRESH_MS = 30_000;

/** A pushed ETA that moved by less than this (ms) is not pushed again. */
export const ETA_PUSH_MS = 5000;

/**
 * Keeps each round's room ETAs (see `round-eta.ts`) for the round manager: where each robot is
 * since when, the planner's timing of the queued trips kept until the queue, a trip or (after
 * {@link QUEUED_REFRESH_MS}) a robot's position changes, and what was last pushed.
 */
export class RoundEtaKeeper {
  private readonly at = new Map<string, { node: string; sinceMs: number }>();
  private readonly queued = new WeakMap<Round, { version: number; trips: number; moves: number; atMs: number; etas: Map<number, number> }>();
  private readonly pushed = new WeakMap<Round, (number | null)[]>();
  /** Bumped on every trip change and every robot's move. */
  private trips = 0;
  private moves = 0;

  constructor(
    private readonly graph: SiteGraph,
    private readonly times: RoundTimes,
    private readonly now: () => number,
  ) {}

  /**
   * A robot reported its state: its time at its last node is when it reached it or, while it
   * stands there (not `driving`: loading, at a door, waiting for a lift), now; so a robot that
   * starts off after a wait is not counted as having left when it arrived.
   */
  robotAt(robot: string, node: string | null, driving: boolean): void {
    if (node === null) return;
    const known = this.at.get(robot);
    if (known?.node === node && driving) return;
    this.at.set(robot, { node, sinceMs: this.now() });
    if (known?.node !== node) this.moves++;
  }

  tripChanged(): void {
    this.trips++;
  }

  /** Where a robot is, as {@link RobotNow.at}. */
  robotPosition(robot: string): RobotNow['at'] {
    return this.at.get(robot);
  }

  /** Each request's handed-over time in clock ms, predicted or actual, or null; `robots` as the planner takes them (none before the round's first plan). */
  etas(round: Round, tripOf: (id: string) => TripView | undefined, robots: () => RobotNow[]): (number | null)[] {
    const nowMs = this.now();
    const sent = sentEtas(this.graph, this.times, round, tripOf, (r) => this.at.get(r), nowMs);
    let cached = this.queued.get(round);
    const stale = !cached || cached.version !== round.version || ((cached.moves !== this.moves || cached.trips !== this.trips) && nowMs - cached.atMs >= QUEUED_REFRESH_MS);
    if (round.start !== undefined) cached = undefined;
    else if (stale) {
      cached = {
        version: round.version,
        trips: this.trips,
        moves: this.moves,
        atMs: nowMs,
        etas: queuedEtas(this.graph, this.times, round, plannerRobots(this.graph, this.times, robots(), nowMs), nowMs),
      };
      this.queued.set(round, cached);
    }
    return roundEtas(round.requests.length, sent, cached?.etas ?? new Map());
  }

  /** True when `etas` differ from what was last pushed for the round by {@link ETA_PUSH_MS} or more somewhere; remembers them then. */
  worthPushing(round: Round, etas: readonly (number | null)[]): boolean {
    const last = this.pushed.get(round);
    const moved = !last || last.length !== etas.length || etas.some((ms, q) => (ms === null) !== (last[q] === null) || Math.abs((ms ?? 0) - (last[q] ?? 0)) >= ETA_PUSH_MS);
    if (moved) this.pushed.set(round, [...etas]);
    return moved;
  }
}
