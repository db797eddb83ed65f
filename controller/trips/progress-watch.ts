import type { Clock, ClockTimer, State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { TripManager } from './trip-manager.js';

/** Options of {@link watchTripProgress}. */
export interface ProgressWatchOptions {
  fleet: FleetRegistry;
  trips: TripManager;
  clock: Clock;
  /**
   * Clock ms a running trip may go without progress before it is stopped. Default 10 min: well
   * above the longest step of a trip that moves (a door's 120 s wait, a lift queue).
   */
  stalledAfterMs?: number;
}

/** What changes while a robot gets on with an order: where it is along it, and its actions. */
function progressOf(state: State | undefined): string {
  if (!state) return '';
  const p = state.agvPosition;
  return [
    state.orderId,
    state.lastNodeSequenceId,
    state.nodeStates.length,
    state.actionStates.map((a) => a.actionStatus[0]).join(''),
    p ? `${p.mapId}:${Math.round(p.x)}:${Math.round(p.y)}` : '',
  ].join('|');
}

/**
 * Stops a running trip whose robot has made no progress for `stalledAfterMs` while not paused
 * (an AGV waiting on an error it never reports as FATAL, a stuck action, a robot driving
 * nowhere): `TripManager.stall` fails it with the rooms on board and cancels the order, and the
 * trip's failure raises the alert. A robot offline is the offline alert's, not this. Returns the
 * teardown.
 */
export function watchTripProgress(options: ProgressWatchOptions): () => void {
  const { fleet, trips, clock } = options;
  const stalledAfterMs = options.stalledAfterMs ?? 600_000;
  const seen = new Map<string, { progress: string; sinceMs: number }>();
  let timer: ClockTimer | undefined;
  const check = () => {
    const now = clock.now();
    const running = new Set<string>();
    for (const trip of trips.list()) {
      if (trip.status !== 'running') continue;
      running.add(trip.id);
      const robot = fleet.get(trip.robot);
      const state = fleet.lastState(trip.robot);
      const progress = progressOf(state);
      const last = seen.get(trip.id);
      if (!last || last.progress !== progress || !robot?.online || state?.paused) seen.set(trip.id, { progress, sinceMs: now });
      else if (now - last.sinceMs > stalledAfterMs) {
        trips.stall(trip.id, `${trip.robot} made no progress for ${Math.round((now - last.sinceMs) / 1000)} s (last at node ${state?.lastNodeId || '?'})`);
      }
    }
    for (const id of seen.keys()) if (!running.has(id)) seen.delete(id);
    timer = clock.setTimeout(check, Math.min(stalledAfterMs / 6, 10_000));
  };
  timer = clock.setTimeout(check, Math.min(stalledAfterMs / 6, 10_000));
  return () => {
    if (timer) clock.clearTimeout(timer);
  };
}
