import type { Clock, ClockTimer, TripView } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { RobotView } from '../fleet/robot-view.js';
import type { SiteGraph } from '../site/index.js';
import type { TripManager } from '../trips/trip-manager.js';
import type { AlertCenter } from './alert-center.js';
import { placeOf } from './place.js';
import { liftTurnMs, waitingOf, type Waiting } from './waiting.js';

export interface RobotWatchOptions {
  fleet: FleetRegistry;
  trips: TripManager;
  alerts: AlertCenter;
  graph: SiteGraph;
  clock: Clock;
  /** A robot on an order that has not moved this long (clock ms), and is not waiting where its order says, is stuck. Default 60 s. */
  stuckAfterMs?: number;
  /** A robot silent this long (clock ms) counts as offline: two VDA state intervals. Default 61 s. */
  silentAfterMs?: number;
  /** The trips' waitForPickup timeout, seconds. Default 120. */
  pickupTimeoutS?: number;
}

/**
 * Raises the delivery alerts and resolves them when their cause is gone:
 * - `robotOffline`: its link broke, it went offline or silent; resolved when it is back online;
 * - `robotStuck`: on an order and not moving for longer than where it is allows (see
 *   {@link stuckBudgetMs}: a robot waiting in a lift queue, the loading queue or at a door as
 *   its order says is not stuck); resolved when it moves again or its order is over;
 * - `trayNotCollected`: resolved when the room collects a tray later;
 * - `tripFailed`: a trip that failed with rooms unserved, one alert per room, each naming all of them.
 * Each carries the rooms on board, where the robot is and what is being done. Returns the teardown.
 */
export function watchRobots(options: RobotWatchOptions): () => void {
  const { fleet, trips, alerts, clock, graph } = options;
  const stuckAfterMs = options.stuckAfterMs ?? 60_000;
  const silentAfterMs = options.silentAfterMs ?? 61_000;
  const pickupTimeoutMs = (options.pickupTimeoutS ?? 120) * 1000;
  /** Trays already alerted as not collected, `trip:tray`, while their trip runs. */
  const notCollected = new Set<string>();

  const onBoard = (robot: string) =>
    trips
      .activeTripOf(robot)
      ?.trays.filter((t) => t.status === 'loaded')
      .map((t) => t.room) ?? [];

  const onRobot = (robot: RobotView) => {
    trackPhase(robot);
    const cause = { kind: 'robotOffline' as const, subject: robot.id };
    if (!robot.online && robot.connection !== 'UNKNOWN') {
      if (alerts.openAlertOf(cause)) return;
      const trip = trips.activeTripOf(robot.id);
      const rooms = onBoard(robot.id);
      const where = placeOf(graph, robot);
      alerts.raise({
        ...cause,
        message: `${robot.id} is offline${robot.silent ? ' (silent)' : ''}${rooms.length ? `; trays on board for rooms ${rooms.join(', ')}` : ''}${where ? `; last seen ${where.text}` : ''}`,
        roomsOnBoard: rooms,
        ...(where ? { where } : {}),
        doing: trip
          ? `trip ${trip.id} waits for ${robot.id} to come back; replanning it (POST /api/trips/${trip.id}/replan) sends ${rooms.length ? `rooms ${rooms.join(', ')}` : 'its rooms'} with other robots`
          : `nothing on board; waiting for ${robot.id} to come back`,
      });
    } else if (robot.online && alerts.openAlertOf(cause)) {
      const trip = trips.activeTripOf(robot.id);
      alerts.resolve(cause, `${robot.id} is back online${trip ? `, on trip ${trip.id}` : ''}`);
    }
  };

  const failedTrips = new Set<string>();
  const onTrip = (trip: TripView) => {
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
          roomsOnBoard: unserved.map((t) => t.room),
          doing: `${trip.robot} was told to cancel its order; the rooms wait for a re-plan onto other robots`,
        });
      }
    }
    for (const tray of trip.trays) {
      if (tray.status === 'delivered') {
        alerts.resolve({ kind: 'trayNotCollected', room: tray.room }, `room ${tray.room} collected tray ${tray.tray} from ${trip.robot}${tray.deliveredAt ? ` at ${tray.deliveredAt}` : ''}`);
      }
      if (tray.status !== 'notCollected' || notCollected.has(`${trip.id}:${tray.tray}`)) continue;
      notCollected.add(`${trip.id}:${tray.tray}`);
      const robot = fleet.get(trip.robot);
      const where = robot && placeOf(graph, robot);
      alerts.raise({
        kind: 'trayNotCollected',
        subject: trip.robot,
        room: tray.room,
        tray: tray.tray,
        message: `room ${tray.room} did not collect tray ${tray.tray} from ${trip.robot}; it is coming back`,
        roomsOnBoard: trip.trays.filter((t) => t.status === 'loaded' || t.status === 'notCollected').map((t) => t.room),
        ...(where ? { where } : {}),
        doing: `tray ${tray.tray} stays on ${trip.robot} and comes back to the loading station at the end of trip ${trip.id}`,
      });
    }
    if (trip.status === 'done' || trip.status === 'failed') for (const tray of trip.trays) notCollected.delete(`${trip.id}:${tray.tray}`);
  };

  /**
   * Each robot's current phase: where it stood and what its order had it do when it was first
   * seen so (clock ms). Stillness is measured from the robot's own messages, up to the last one
   * received: a controller whose event loop lagged, or a quiet link, is no evidence of a robot
   * standing still.
   */
  const phases = new Map<string, { x: number; y: number; mapId: string; state: RobotView['state']; wait: string; sinceMs: number; liftQueue: number }>();
  const trackPhase = (robot: RobotView) => {
    const p = robot.position;
    if (!p || !robot.online || robot.lastSeenMs === null) return void phases.delete(robot.id);
    const state = fleet.lastState(robot.id);
    const wait = JSON.stringify(state ? (waitingOf(state, graph) ?? null) : null);
    const phase = phases.get(robot.id);
    const same = phase && Math.hypot(p.x - phase.x, p.y - phase.y) <= 0.05 && p.mapId === phase.mapId && phase.state === robot.state && phase.wait === wait;
    if (same) return;
    phases.set(robot.id, { x: p.x, y: p.y, mapId: p.mapId, state: robot.state, wait, sinceMs: robot.lastSeenMs, liftQueue: 0 });
    // The message that shows the robot going on resolves its stuck alert.
    const stuck = { kind: 'robotStuck' as const, subject: robot.id };
    if (!alerts.openAlertOf(stuck)) return;
    const onOrder = robot.state === 'driving' || robot.state === 'working';
    alerts.resolve(stuck, onOrder ? `${robot.id} is moving again` : `${robot.id} is ${robot.state === 'idle' ? 'idle, its order over' : robot.state}`);
  };

  let timer: ClockTimer | undefined;
  const check = () => {
    const now = clock.now();
    const robots = fleet.list();
    const waiting = new Map<string, Waiting | undefined>();
    for (const robot of robots) {
      const state = fleet.lastState(robot.id);
      waiting.set(robot.id, robot.online && state ? waitingOf(state, graph) : undefined);
    }
    for (const robot of robots) {
      if (robot.online && robot.lastSeenMs !== null && now - robot.lastSeenMs > silentAfterMs) fleet.markSilent(robot.id);
      // Offline is its own alert; a stuck alert stays as it is until the robot is seen again.
      if (!robot.online) continue;
      const cause = { kind: 'robotStuck' as const, subject: robot.id };
      const phase = phases.get(robot.id);
      const onOrder = robot.state === 'driving' || robot.state === 'working';
      const stillMs = phase && robot.lastSeenMs !== null ? robot.lastSeenMs - phase.sinceMs : 0;
      if (!onOrder || stillMs === 0) continue;
      const wait = waiting.get(robot.id);
      // The longest queue for its lift seen while it waits: the robots ahead of it when it came
      // may all have gone since, and each took its turn of the wait.
      if (wait?.kind === 'lift' && phase) phase.liftQueue = Math.max(phase.liftQueue, [...waiting.values()].filter((w) => w?.kind === 'lift' && w.lift === wait.lift).length);
      const queued = wait?.kind === 'lift' && phase ? phase.liftQueue : 0;
      if (stillMs <= stuckBudgetMs(wait, { stuckAfterMs, pickupTimeoutMs, liftTurnMs: wait?.kind === 'lift' ? liftTurnMs(graph, wait.lift) : 0, queued }) || alerts.openAlertOf(cause))
        continue;
      const where = placeOf(graph, robot);
      const minutes = `${Math.round(stillMs / 60_000)} min`;
      alerts.raise({
        ...cause,
        message:
          wait?.kind === 'lift'
            ? `${robot.id} has waited ${minutes} for lift ${wait.lift} (up to ${queued} robot${queued === 1 ? '' : 's'} in its queue)${where ? `, ${where.text}` : ''}`
            : `${robot.id} has not moved for ${Math.round(stillMs / 1000)} s${wait?.kind === 'pickup' ? ', past the pickup timeout at the door' : ''}${where ? `, ${where.text}` : ''}`,
        roomsOnBoard: onBoard(robot.id),
        ...(where ? { where } : {}),
        doing:
          wait?.kind === 'lift'
            ? `${robot.id} stays in the queue for lift ${wait.lift}; check that the lift runs`
            : `${robot.id} keeps its order and goes on once it can move; check for an obstacle`,
      });
    }
    timer = clock.setTimeout(check, stuckAfterMs / 6);
  };
  fleet.on('robot', onRobot);
  trips.on('trip', onTrip);
  timer = clock.setTimeout(check, stuckAfterMs / 6);
  return () => {
    fleet.off('robot', onRobot);
    trips.off('trip', onTrip);
    if (timer) clock.clearTimeout(timer);
  };
}

/**
 * How long (ms) a robot on an order may stand still before it counts as stuck, by what its order
 * has it wait for: in a lift queue its turn may take a whole lift cycle per robot waiting for
 * that lift (`queued`, itself included); at the loading station the medic takes the time it
 * takes; at a door the pickup ends by itself after its timeout, at a disinfection station the
 * disinfection after the station's duration; paused, it waits for whoever paused it; at a
 * single-width way's end, for its turn (a robot stopped inside raises `wayBlocked` instead, naming
 * the robots waiting). Anywhere else: `stuckAfterMs`.
 */
export function stuckBudgetMs(wait: Waiting | undefined, limits: { stuckAfterMs: number; pickupTimeoutMs: number; liftTurnMs: number; queued: number }): number {
  switch (wait?.kind) {
    case 'lift':
      return limits.stuckAfterMs + Math.max(1, limits.queued) * limits.liftTurnMs;
    case 'pickup':
      return limits.stuckAfterMs + limits.pickupTimeoutMs;
    case 'disinfection':
      return limits.stuckAfterMs + wait.durationS * 1000;
    case 'loading':
    case 'paused':
    case 'way':
      return Infinity;
    default:
      return limits.stuckAfterMs;
  }
}
