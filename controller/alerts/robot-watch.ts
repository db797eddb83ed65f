import type { Clock, ClockTimer } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { TripManager } from '../trips/trip-manager.js';
import type { AlertCenter } from './alert-center.js';

export interface RobotWatchOptions {
  fleet: FleetRegistry;
  trips: TripManager;
  alerts: AlertCenter;
  clock: Clock;
  /** A robot driving without moving this long (clock ms) is stuck. Default 60 s. */
  stuckAfterMs?: number;
  /** A robot silent this long (clock ms) counts as offline: two VDA state intervals. Default 61 s. */
  silentAfterMs?: number;
}

/**
 * Raises the delivery alerts: a robot whose link broke, that went offline or silent (naming the
 * rooms whose trays it carries), a robot driving without moving, a tray nobody collected, a
 * trip that failed with rooms unserved (one alert per room, each naming all of them).
 * Returns the teardown.
 */
export function watchRobots(options: RobotWatchOptions): () => void {
  const { fleet, trips, alerts, clock } = options;
  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  const silentAfterMs = options.silentAfterMs ?? 61_000;
  const lastMove = new Map<string, { x: number; y: number; mapId: string; atMs: number }>();

  const onRobot = (robot: ReturnType<FleetRegistry['list']>[number]) => {
    if (!robot.online && robot.connection !== 'UNKNOWN') {
      const trip = trips.activeTripOf(robot.id);
      const rooms = trip?.trays.filter((t) => t.status === 'loaded').map((t) => t.room) ?? [];
      alerts.raise({
        kind: 'robotOffline',
        subject: robot.id,
        message: `${robot.id} is offline${robot.silent ? ' (silent)' : ''}${rooms.length ? `; trays on board for rooms ${rooms.join(', ')}` : ''}`,
      });
    }
  };
  const failedTrips = new Set<string>();
  const onTrip = (trip: ReturnType<TripManager['list']>[number]) => {
    if (trip.status === 'failed' && !failedTrips.has(trip.id)) {
      failedTrips.add(trip.id);
      const unserved = trip.trays.filter((t) => t.status === 'failed' || t.status === 'returned');
      const rooms = unserved.map((t) => t.room).join(', ');
      for (const tray of unserved) {
        alerts.raise({
          kind: 'tripFailed',
          subject: trip.robot,
          room: tray.room,
          tray: tray.tray,
          message: `trip ${trip.id} of ${trip.robot} failed (${trip.reason ?? 'no reason given'}); rooms ${rooms} not served: plan them again (POST /api/trips/${trip.id}/replan)`,
        });
      }
    }
    for (const tray of trip.trays) {
      if (tray.status !== 'notCollected') continue;
      alerts.raise({
        kind: 'trayNotCollected',
        subject: trip.robot,
        room: tray.room,
        tray: tray.tray,
        message: `room ${tray.room} did not collect tray ${tray.tray} from ${trip.robot}; it is coming back`,
      });
    }
  };
  let timer: ClockTimer | undefined;
  const checkStuck = () => {
    const now = clock.now();
    for (const robot of fleet.list()) {
      if (robot.online && robot.lastSeenMs !== null && now - robot.lastSeenMs > silentAfterMs) fleet.markSilent(robot.id);
      const p = robot.position;
      if (!p) continue;
      const last = lastMove.get(robot.id);
      const moved = !last || Math.hypot(p.x - last.x, p.y - last.y) > 0.05 || p.mapId !== last.mapId;
      if (moved || robot.state !== 'driving') lastMove.set(robot.id, { ...p, atMs: now });
      else if (now - last.atMs > stuckAfterMs) {
        alerts.raise({ kind: 'robotStuck', subject: robot.id, message: `${robot.id} has not moved for ${Math.round((now - last.atMs) / 1000)} s near ${robot.node ?? 'an unknown node'}` });
      }
    }
    timer = clock.setTimeout(checkStuck, stuckAfterMs / 6);
  };
  fleet.on('robot', onRobot);
  trips.on('trip', onTrip);
  timer = clock.setTimeout(checkStuck, stuckAfterMs / 6);
  return () => {
    fleet.off('robot', onRobot);
    trips.off('trip', onTrip);
    if (timer) clock.clearTimeout(timer);
  };
}
