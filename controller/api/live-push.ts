import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { TripManager } from '../trips/trip-manager.js';

/** Fleet snapshots at most this often (real ms): state can change hundreds of times a second at high time scales. */
const FLEET_PUSH_MS = 200;

/**
 * socket.io on the HTTP server: `fleet` (every robot) on change, throttled; `trip` (one
 * trip) on every change; a new client gets `fleet` and `trips` at once.
 */
export function attachLivePush(app: FastifyInstance, fleet: FleetRegistry, trips: TripManager): Server {
  const io = new Server(app.server, { serveClient: true });
  io.on('connection', (socket) => {
    socket.emit('fleet', fleet.list());
    socket.emit('trips', trips.list());
  });
  let timer: NodeJS.Timeout | undefined;
  fleet.on('robot', () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      io.emit('fleet', fleet.list());
    }, FLEET_PUSH_MS);
  });
  trips.on('trip', (trip) => io.emit('trip', trip));
  app.addHook('onClose', async () => {
    clearTimeout(timer);
    await io.close();
  });
  return io;
}
