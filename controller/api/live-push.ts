import type { FastifyInstance } from 'fastify';
import type { Clock, ClockTimer } from '../../protocol/index.js';
import { Server } from 'socket.io';
import type { LiveCommands, LiveEvents } from '../../protocol/index.js';
import type { AlertCenter } from '../alerts/index.js';
import { socketAuthMiddleware, watchSocketSessions, type SessionStore } from '../auth/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { RobotView } from '../fleet/robot-view.js';
import type { RoundManager } from '../rounds/index.js';
import type { TripManager } from '../trips/trip-manager.js';

/**
 * Changed robots at most this often (clock ms): state can change hundreds of times a second,
 * and a robot's report reaches a screen within it.
 */
const FLEET_PUSH_MS = 50;

/** The socket.io server, typed by the live events of `protocol/`. */
export type LiveServer = Server<LiveCommands, LiveEvents>;

/** What the controller pushes live. */
export interface LiveSources {
  fleet: FleetRegistry;
  trips: TripManager;
  rounds: RoundManager;
  alerts: AlertCenter;
  /** Paces the robots' push (the controller gives the system clock: people watch in real time). */
  clock: Clock;
}

/** Signed-in sockets only: sessions from `sessions`, swept on the clock the store reads. */
export interface LiveAuth {
  sessions: SessionStore;
  clock: Clock;
}

/**
 * socket.io on the HTTP server: `robotsChanged` (the robots changed since the last push, at
 * most every {@link FLEET_PUSH_MS}); `trip`, `round` (also when only its ETAs moved) and `alert` (one each), `lifts` (every
 * car in use, as `GET /api/lifts`) and `disinfections` (every station's count) on every change;
 * a new client gets `fleet` (every robot), `trips`, `rounds`, `alerts`, `lifts` and
 * `disinfections` at once.
 */
export function attachLivePush(app: FastifyInstance, { fleet, trips, rounds, alerts, clock }: LiveSources, auth?: LiveAuth): LiveServer {
  const io: LiveServer = new Server<LiveCommands, LiveEvents>(app.server, { serveClient: true });
  if (auth) {
    // Signed-in clients only, and dropped when their session ends.
    io.use(socketAuthMiddleware(auth.sessions));
    const stop = watchSocketSessions(io, auth.sessions, undefined, auth.clock);
    app.addHook('onClose', async () => stop());
  }
  io.on('connection', (socket) => {
    socket.emit('fleet', fleet.list());
    socket.emit('trips', trips.list());
    socket.emit('rounds', rounds.list());
    socket.emit('alerts', alerts.list());
    socket.emit('lifts', trips.lifts.view());
    socket.emit('disinfections', trips.contamination.stationCounts());
  });
  // Only what changed: a push costs what the robots report, not the fleet's size.
  const changed = new Map<string, RobotView>();
  let timer: ClockTimer | undefined;
  fleet.on('robot', (view) => {
    changed.set(view.id, view);
    timer ??= clock.setTimeout(() => {
      timer = undefined;
      const views = [...changed.values()];
      changed.clear();
      io.emit('robotsChanged', views);
    }, FLEET_PUSH_MS);
  });
  trips.on('trip', (trip) => io.emit('trip', trip));
  trips.lifts.on('lifts', (view) => io.emit('lifts', view));
  let disinfections = 0;
  trips.contamination.onChange(() => {
    // Only a new disinfection changes what screens show (a robot's contamination is not on them).
    const total = trips.contamination.stationCounts().reduce((n, s) => n + s.count, 0);
    if (total === disinfections) return;
    disinfections = total;
    io.emit('disinfections', trips.contamination.stationCounts());
  });
  rounds.on('round', (round) => io.emit('round', round));
  // Rooms' ETAs moved as robots reported: the same event, the round as it stands now.
  rounds.on('eta', (round) => io.emit('round', round));
  alerts.on('alert', (alert) => io.emit('alert', alert));
  app.addHook('onClose', async () => {
    if (timer) clock.clearTimeout(timer);
    await io.close();
  });
  return io;
}
