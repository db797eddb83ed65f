import { EventEmitter } from 'node:events';
import type { Clock, LiftCarView } from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import type { State } from '../../protocol/index.js';
import { rideUnderWay } from './lift-rides.js';
import { reduceLiftSessions, type LiftEvent, type LiftHolder, type LiftSessions } from './lift-session-core.js';

/**
 * The controller's lift sessions (the I/O shell around {@link reduceLiftSessions}): feeds it
 * events, hands each grant to `grant` (which tells the robot: an instant action or an order
 * update), logs releases and emits `lifts` with the view after every change.
 */
export class LiftSessionManager extends EventEmitter<{ lifts: [LiftCarView[]] }> {
  private sessions: LiftSessions = new Map();
  /** Who tells a robot it has the car; set by whoever sends its orders. */
  grant: (holder: LiftHolder) => void = () => {};

  constructor(private readonly options: { clock: Clock; log: Logger }) {
    super();
  }

  /** Applies events in turn; grants and releases happen before it returns. */
  apply(...events: LiftEvent[]): void {
    let changed = false;
    for (const event of events) {
      const { sessions, effects } = reduceLiftSessions(this.sessions, event, this.options.clock.now());
      if (sessions !== this.sessions && !sameSessions(sessions, this.sessions)) changed = true;
      this.sessions = sessions;
      for (const effect of effects) {
        if (effect.type === 'grant') {
          this.options.log.info({ lift: effect.holder.lift, robot: effect.holder.robot, session: effect.holder.session }, 'lift car granted');
          this.grant(effect.holder);
        } else this.options.log.info({ lift: effect.lift, robot: effect.robot, session: effect.session, reason: effect.reason }, 'lift car released');
      }
    }
    if (changed) this.emit('lifts', this.view());
  }

  /**
   * A state of `robot`, whatever it is doing: a car it holds for a ride its state no longer
   * shows (the ride done or failed, a cancelled order, another order) is released. This is how
   * a car is freed after a cancel or an outage: once the robot itself says it is out.
   */
  observe(robot: string, state: State): void {
    const over = [...this.sessions.values()].flatMap((car) => (car.holder?.robot === robot && !rideUnderWay(state, car.holder.session) ? [car.holder.session] : []));
    if (over.length) this.apply(...over.map((session) => ({ type: 'ended' as const, session })));
  }

  /** Every car in use or asked for: its holder and its queue, first come first. */
  view(): LiftCarView[] {
    const iso = (ms: number) => new Date(ms).toISOString();
    return [...this.sessions]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([lift, car]) => ({
        lift,
        ...(car.holder
          ? {
              holder: {
                robot: car.holder.robot,
                session: car.holder.session,
                fromLevel: car.holder.fromLevel,
                toLevel: car.holder.toLevel,
                since: iso(car.holder.since),
                grantedAt: iso(car.holder.grantedAt),
                aboard: car.holder.aboard,
              },
            }
          : {}),
        queue: car.queue.map((r) => ({ robot: r.robot, session: r.session, fromLevel: r.fromLevel, toLevel: r.toLevel, since: iso(r.since) })),
      }));
  }
}

function sameSessions(a: LiftSessions, b: LiftSessions): boolean {
  const key = (s: LiftSessions) => JSON.stringify([...s].map(([lift, car]) => [lift, car.holder?.session, car.holder?.aboard, car.queue.map((r) => r.session)]));
  return key(a) === key(b);
}
