/**
 * The one socket.io connection of the page and what it has told us. Screens read the store
 * through a `LiveController`; the canvas maps read it straight from their animation frame.
 */
import { io, type Socket } from 'socket.io-client';
import { pathBase } from '../api/path-base.js';
import { session } from '../api/session.js';
import { api } from '../api/client.js';
import type { LiveCommands, LiveEvents } from '../../../protocol/index.js';
import type { Alert, CoverageGrid, CoverageUpdate, Drone, Mission, RobotSummary, Round, TripView } from '../api/types.js';

export type Topic = 'connection' | 'fleet' | 'trips' | 'alerts' | 'rounds' | 'drones' | 'missions' | 'coverage' | 'disinfections';

/** Coverage of one mission: the grid from `GET …/coverage`, updated by `coverage` events. */
export interface CoverageState {
  grid?: Omit<CoverageGrid, 'doseLPerHa'> & { dose: Float32Array };
  coveragePct: number;
  /** Bumped on every change, so a canvas knows to redraw its raster. */
  version: number;
  /** Doses pushed while the grid was being fetched, merged into it when it comes. */
  early?: Map<number, number>;
}

export class LiveStore {
  /** `signedOut` while there is no session: the socket is closed on purpose, nothing to wait for. */
  connection: 'signedOut' | 'connecting' | 'live' | 'lost' = session.token() === null ? 'signedOut' : 'connecting';
  robots: RobotSummary[] = [];
  /** performance.now() of the last fleet snapshot. */
  robotsAt = 0;
  readonly trips = new Map<string, TripView>();
  readonly alerts = new Map<string, Alert>();
  readonly rounds = new Map<string, Round>();
  drones: Drone[] = [];
  dronesAt = 0;
  readonly missions = new Map<string, Mission>();
  readonly coverage = new Map<string, CoverageState>();
  /** Disinfections finished per station node id, as the controller last pushed them. */
  disinfections = new Map<string, number>();

  /** True on the benchmark page (`#/bench`): no connection, data comes from `setRobots`/`setDrones`. */
  readonly synthetic = typeof location !== 'undefined' && location.hash.startsWith('#/bench');
  private socket?: Socket<LiveEvents, LiveCommands>;
  private readonly listeners = new Map<Topic, Set<() => void>>();
  private pending = new Set<Topic>();
  private flushQueued = false;

  /** Opens the connection (once) and fetches what socket.io only pushes on change. */
  start(): void {
    // The benchmark page feeds synthetic data and needs no server.
    if (this.socket || this.synthetic) return;
    // The token is read on every (re)connect, so signing in again needs no new socket.
    const socket: Socket<LiveEvents, LiveCommands> = io({ path: `${pathBase}/socket.io`, autoConnect: session.token() !== null, auth: (cb) => cb({ token: session.token() ?? '' }) });
    this.socket = socket;
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') session.clear(true);
    });
    session.onChange(() => {
      this.connection = session.token() ? (socket.connected ? 'live' : 'connecting') : 'signedOut';
      this.emit('connection');
      if (session.token()) socket.connect();
      else socket.disconnect();
    });
    socket.on('connect', () => {
      this.connection = 'live';
      this.emit('connection');
      void this.refetch();
    });
    socket.on('disconnect', () => {
      // Signing out disconnects too; that is not a lost connection, and nothing reconnects.
      this.connection = session.token() ? 'lost' : 'signedOut';
      this.emit('connection');
    });
    socket.on('fleet', (list: RobotSummary[]) => this.setRobots(list));
    socket.on('robotsChanged', (list: RobotSummary[]) => this.setRobots(mergeById(this.robots, list)));
    socket.on('trips', (list: TripView[]) => {
      for (const trip of list) this.trips.set(trip.id, trip);
      this.emit('trips');
    });
    socket.on('trip', (trip: TripView) => {
      this.trips.set(trip.id, trip);
      this.emit('trips');
    });
    socket.on('alert', (alert: Alert) => {
      this.alerts.set(alert.id, alert);
      this.emit('alerts');
    });
    socket.on('round', (round: Round) => {
      this.rounds.set(round.id, round);
      this.emit('rounds');
    });
    socket.on('drones', (list: Drone[]) => this.setDrones(list));
    socket.on('dronesChanged', (list: Drone[]) => this.setDrones(mergeById(this.drones, list)));
    socket.on('mission', (mission: Mission) => {
      this.missions.set(mission.id, mission);
      this.emit('missions');
    });
    socket.on('coverage', (update: CoverageUpdate) => this.applyCoverage(update));
    socket.on('disinfections', (stations) => {
      this.disinfections = new Map(stations.map((s) => [s.station, s.count]));
      this.emit('disinfections');
    });
  }

  /** Replaces the robot list (from socket.io, or synthetic data in the benchmark). */
  setRobots(list: RobotSummary[]): void {
    this.robots = list;
    this.robotsAt = performance.now();
    this.emit('fleet');
  }

  setDrones(list: Drone[]): void {
    this.drones = list;
    this.dronesAt = performance.now();
    this.emit('drones');
  }

  /** Replaces or adds one record after an HTTP answer, without waiting for the push. */
  putAlert(alert: Alert): void {
    this.alerts.set(alert.id, alert);
    this.emit('alerts');
  }
  putRound(round: Round): void {
    this.rounds.set(round.id, round);
    this.emit('rounds');
  }
  putMission(mission: Mission): void {
    this.missions.set(mission.id, mission);
    this.emit('missions');
  }

  /** Calls `listener` (batched to one call per microtask) when any of `topics` changes. */
  subscribe(topics: Topic[], listener: () => void): () => void {
    this.start();
    for (const topic of topics) {
      let set = this.listeners.get(topic);
      if (!set) {
        set = new Set();
        this.listeners.set(topic, set);
      }
      set.add(listener);
    }
    return () => {
      for (const topic of topics) this.listeners.get(topic)?.delete(listener);
    };
  }

  /** Loads the coverage grid of a mission (once) so `coverage` events can be applied. */
  async loadCoverage(missionId: string): Promise<void> {
    const result = await api.coverage(missionId);
    if (!result.ok) return;
    const { doseLPerHa, ...meta } = result.value;
    const state = this.coverage.get(missionId) ?? { coveragePct: 0, version: 0 };
    const dose = Float32Array.from(doseLPerHa);
    // Pushes that came while the grid was on its way may be newer than it, or older: a cell's
    // dose only grows, so the larger one is the newer (dropping them left holes in sprayed swaths).
    for (const [k, d] of state.early ?? []) if (k < dose.length) dose[k] = Math.max(dose[k]!, d);
    const kept = state.grid?.dose;
    if (kept?.length === dose.length) for (let k = 0; k < dose.length; k++) dose[k] = Math.max(dose[k]!, kept[k]!);
    state.early = undefined;
    state.grid = { ...meta, dose };
    state.version++;
    this.coverage.set(missionId, state);
    this.emit('coverage');
  }

  private applyCoverage(update: CoverageUpdate): void {
    let state = this.coverage.get(update.missionId);
    if (!state) {
      state = { coveragePct: 0, version: 0 };
      this.coverage.set(update.missionId, state);
      void this.loadCoverage(update.missionId);
    }
    state.coveragePct = update.coveragePct;
    if (state.grid) for (const [index, dose] of update.cells) state.grid.dose[index] = dose;
    else {
      state.early ??= new Map();
      for (const [index, dose] of update.cells) state.early.set(index, Math.max(state.early.get(index) ?? 0, dose));
    }
    state.version++;
    this.emit('coverage');
  }

  private async refetch(): Promise<void> {
    const [alerts, rounds, drones, missions] = await Promise.all([api.alerts(), api.rounds(), api.drones(), api.missions()]);
    // Missions are pushed only on change: a reload must still find one planned and never launched.
    if (missions.ok) {
      for (const m of missions.value) this.missions.set(m.id, m);
      this.emit('missions');
    }
    if (alerts.ok) {
      // The open alerts as they are now: any resolved while the connection was down leave.
      this.alerts.clear();
      for (const a of alerts.value) this.alerts.set(a.id, a);
      this.emit('alerts');
    }
    if (rounds.ok) {
      for (const r of rounds.value) this.rounds.set(r.id, r);
      this.emit('rounds');
    }
    if (drones.ok) this.setDrones(drones.value);
  }

  private emit(topic: Topic): void {
    this.pending.add(topic);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      const topics = this.pending;
      this.pending = new Set();
      const called = new Set<() => void>();
      for (const t of topics) {
        for (const listener of this.listeners.get(t) ?? []) {
          if (called.has(listener)) continue;
          called.add(listener);
          listener();
        }
      }
    });
  }
}

/** The page's store. */
export const store = new LiveStore();

/** `current` with each of `changed` replacing the one of its id in place, or added at the end. */
export function mergeById<T extends { id: string }>(current: readonly T[], changed: readonly T[]): T[] {
  const next = [...current];
  const index = new Map(next.map((item, i) => [item.id, i]));
  for (const item of changed) {
    const at = index.get(item.id);
    if (at === undefined) {
      index.set(item.id, next.length);
      next.push(item);
    } else next[at] = item;
  }
  return next;
}
