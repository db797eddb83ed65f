import type { RoundView, TripView } from '../protocol/index.js';

/** Mean and 90th percentile of |predicted − actual| in seconds, over `n` delivered rooms; `biasS` the mean of predicted − actual (negative: predicted too early). */
export interface EtaErrorFigures {
  n: number;
  meanS: number;
  p90S: number;
  biasS: number;
}

/** How good the rooms' ETAs were: held at the round's start, and at the moment each tray was loaded. */
export interface EtaError {
  atStart: EtaErrorFigures;
  atLoad: EtaErrorFigures;
  /**
   * `atStart` of the rooms delivered by the robot and trip (its index in the robot's list) the
   * round's start planned for them: the error of the time model alone. The others were moved to
   * another trip as the planner improved the rest of the round.
   */
  atStartKept: EtaErrorFigures;
}

/** What the recorder listens to: the round manager and the trip manager (`app.rounds`, `app.trips`). */
export interface EtaSources {
  rounds: {
    on(event: 'round' | 'eta', listener: (round: RoundView) => void): unknown;
    off(event: 'round' | 'eta', listener: (round: RoundView) => void): unknown;
    get(id: string): RoundView | undefined;
  };
  trips: {
    on(event: 'trip', listener: (trip: TripView) => void): unknown;
    off(event: 'trip', listener: (trip: TripView) => void): unknown;
  };
}

/**
 * Records, for every room of every round, the ETA the controller held when the round started
 * (the first view in which each room has one, i.e. after its first plan) and when the room's
 * tray was loaded (its trip leaves the station: `running`), and compares them with the time the
 * room was delivered. Rooms not delivered (not collected, failed) are left out. For the lunch
 * and the day scenarios.
 */
export class EtaErrorRecorder {
  /** `round:request` → predicted ms. */
  private readonly atStart = new Map<string, number>();
  /** `round:request` → the robot and trip index the start planned. */
  private readonly placedAtStart = new Map<string, string>();
  private readonly atLoad = new Map<string, number>();
  private readonly loaded = new Set<string>();
  private readonly rounds = new Set<string>();
  private readonly onRound = (view: RoundView) => this.roundSeen(view);
  private readonly onTrip = (trip: TripView) => this.tripSeen(trip);

  constructor(private readonly sources: EtaSources) {
    sources.rounds.on('round', this.onRound);
    sources.rounds.on('eta', this.onRound);
    sources.trips.on('trip', this.onTrip);
  }

  /** A round as it stands: its start predictions once every room has an ETA; call it for a round just created too. */
  roundSeen(view: RoundView): void {
    this.rounds.add(view.id);
    if (view.rooms.some((_, q) => !this.atStart.has(`${view.id}:${q}`)) && view.rooms.every((r) => r.etaMs !== null)) {
      view.rooms.forEach((r, q) => {
        const key = `${view.id}:${q}`;
        if (this.atStart.has(key)) return;
        this.atStart.set(key, r.etaMs!);
        this.placedAtStart.set(key, `${r.robot}/${r.trip}`);
      });
    }
  }

  private tripSeen(trip: TripView): void {
    if (trip.status !== 'running' || this.loaded.has(trip.id)) return;
    this.loaded.add(trip.id);
    for (const id of this.rounds) {
      const view = this.sources.rounds.get(id);
      view?.rooms.forEach((r, q) => {
        if (r.tripId === trip.id && r.etaMs !== null && r.status !== 'delivered') this.atLoad.set(`${id}:${q}`, r.etaMs);
      });
    }
  }

  /** The error figures over every delivered room of the rounds `views` (as they ended). */
  summary(views: readonly RoundView[]): EtaError {
    const errors = (held: Map<string, number>, keptOnly = false) =>
      views.flatMap((view) =>
        view.rooms.flatMap((r, q) => {
          const key = `${view.id}:${q}`;
          const predicted = held.get(key);
          if (keptOnly && this.placedAtStart.get(key) !== `${r.robot}/${r.trip}`) return [];
          return r.status === 'delivered' && r.deliveredAt && predicted !== undefined ? [(predicted - Date.parse(r.deliveredAt)) / 1000] : [];
        }),
      );
    return { atStart: figures(errors(this.atStart)), atLoad: figures(errors(this.atLoad)), atStartKept: figures(errors(this.atStart, true)) };
  }

  stop(): void {
    this.sources.rounds.off('round', this.onRound);
    this.sources.rounds.off('eta', this.onRound);
    this.sources.trips.off('trip', this.onTrip);
  }
}

/** Of signed errors (predicted − actual, seconds): the mean and nearest-rank 90th percentile of their sizes, and their mean; one decimal. */
export function figures(errorsS: readonly number[]): EtaErrorFigures {
  if (errorsS.length === 0) return { n: 0, meanS: 0, p90S: 0, biasS: 0 };
  const sizes = errorsS.map(Math.abs).sort((a, b) => a - b);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return { n: sizes.length, meanS: round1(mean(sizes)), p90S: round1(sizes[Math.ceil(0.9 * sizes.length) - 1]!), biasS: round1(mean(errorsS)) };
}
