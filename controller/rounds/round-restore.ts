import type { RoundRecord, TripRecord } from '../storage/index.js';
import { unplannedRequests } from './round-input.js';

/** Trays of a trip made of rooms a restart finds unplanned: the robots' usual 4 (dispatch splits a trip for a robot with fewer). */
const RESTORED_TRIP_TRAYS = 4;

/** A round as the manager runs it, restored from the store. */
export interface RestoredRound {
  id: string;
  createdAtMs: number;
  requests: RoundRecord['requests'];
  sent: RoundRecord['sent'];
  queue: Map<string, number[][]>;
  /** Request indices that were neither sent nor queued and have been queued again. */
  requeued: number[];
}

/**
 * A round from the store after a restart, made consistent with the trips the store holds:
 * - a trip the round sent just before a crash may be saved (trips are saved before their order
 *   leaves) while the round was not: it counts as sent and its rooms leave the queue, so no room
 *   is sent twice;
 * - a room neither on a trip sent nor queued (a store written by a version whose re-plans dropped
 *   the trips of robots that were offline) is queued again, so the round can finish.
 */
export function restoreRound(record: RoundRecord, trips: readonly TripRecord[]): RestoredRound {
  const sent = [...record.sent];
  const queue = new Map(record.queue);
  for (const trip of trips) {
    if (trip.origin?.round !== record.id || sent.some((s) => s.tripId === trip.view.id)) continue;
    sent.push({ tripId: trip.view.id, robot: trip.view.robot, requests: trip.origin.requests, sentAtMs: Date.parse(trip.view.createdAt), predictedS: 0 });
    const taken = new Set(trip.origin.requests);
    for (const [robot, queued] of queue)
      queue.set(
        robot,
        queued.map((t) => t.filter((q) => !taken.has(q))).filter((t) => t.length > 0),
      );
  }
  const requeued = unplannedRequests(record.requests.length, sent, queue);
  for (let i = 0; i < requeued.length; i += RESTORED_TRIP_TRAYS) {
    const keys = [...queue.keys(), ...sent.map((s) => s.robot)];
    const robot = keys.reduce((best, key) => ((queue.get(key)?.length ?? 0) < (queue.get(best)?.length ?? 0) ? key : best), keys[0] ?? 'unassigned');
    queue.set(robot, [...(queue.get(robot) ?? []), requeued.slice(i, i + RESTORED_TRIP_TRAYS)]);
  }
  return { id: record.id, createdAtMs: record.createdAtMs, requests: record.requests, sent, queue, requeued };
}
