import type { TripView } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';
import type { RoundRecord } from '../storage/index.js';
import type { RoundRequest, RoundTimes } from './round-input.js';

/** A trip a round sent: which robot, which of the round's requests (in tray order), when, and the time the plan gave it. */
export interface SentTrip {
  tripId: string;
  robot: string;
  requests: number[];
  sentAtMs: number;
  predictedS: number;
}

/** A round as the manager runs it. */
export interface Round {
  id: string;
  createdAtMs: number;
  requests: RoundRequest[];
  sent: SentTrip[];
  /** Trips not sent yet, per robot, in order; each the round's request indices in stop order. */
  queue: Map<string, number[][]>;
  /** Bumped whenever `queue` changes, so a slow improvement knows its input went stale. */
  version: number;
  prediction?: { version: number; seconds: number | null };
  /** Clock ms it was over; set once. */
  finishedAtMs?: number;
  /**
   * While a new round's first plan is made: `first`, it sends one trip from its quick
   * construction (the first order goes out at once); `planning`, none until the plan is there.
   */
  start?: 'first' | 'planning';
}

/**
 * A new round's quick construction, before any planning: `requests` (round indices, in room
 * order) in trips of `trays`, dealt to `robots` in turn, as a medic fills robots floor by floor.
 * Needs no travel times: the first trip leaves with it while the plan is made.
 */
export function quickQueue(requests: readonly number[], robots: readonly string[], trays: number): Map<string, number[][]> {
  const queue = new Map(robots.map((id) => [id, [] as number[][]]));
  for (let i = 0; i < requests.length; i += trays) queue.get(robots[(i / trays) % robots.length]!)!.push(requests.slice(i, i + trays));
  return queue;
}

/**
 * The robot's own next trip, else one taken from the robot with the most trips left, at most
 * `trays` rooms of it (the rest stays queued). Bumps the round's version at once: an improvement
 * computed before the take and landing while the trip is being sent would otherwise put its rooms
 * back in the queue, and they would go out twice.
 */
export function takeTrip(round: Round, robot: string, trays: number): number[] | undefined {
  const own = round.queue.get(robot);
  let donor: number[][] | undefined = own?.length ? own : undefined;
  if (!donor) for (const trips of round.queue.values()) if (trips.length > (donor?.length ?? 0)) donor = trips;
  if (!donor) return undefined;
  round.version++;
  const trip = donor === own ? donor.shift()! : donor.pop()!;
  // A trip planned for a robot with more trays: the rest stays queued.
  if (trip.length > trays) donor === own ? donor.unshift(trip.splice(trays)) : donor.push(trip.splice(trays));
  return trip;
}

/** A trip the trip manager refused: first in the robot's line again, for another robot or a later try. */
export function putBack(round: Round, robot: string, requests: number[]): void {
  round.queue.set(robot, [requests, ...(round.queue.get(robot) ?? [])]);
  round.version++;
}

/** The requests of every trip not sent yet. */
export function pendingRequests(round: Pick<Round, 'queue'>): number[] {
  return [...round.queue.values()].flat(2);
}

/**
 * Expected seconds of one trip: loading (unless `loading` is false), the doors in order, and
 * back; from the door of request `from` instead of the station when given.
 */
export function tripSeconds(graph: SiteGraph, times: RoundTimes, round: Round, requests: number[], loading = true, from?: number): number {
  let at = from === undefined ? graph.loadingStation.id : graph.roomNodes.get(round.requests[from]!.room)!.id;
  let seconds = loading ? requests.length * times.loadSPerTray : 0;
  for (const q of requests) {
    const door = graph.roomNodes.get(round.requests[q]!.room)!.id;
    seconds += graph.timeS(at, door) + times.doorServiceS;
    at = door;
  }
  return seconds + graph.timeS(at, graph.loadingStation.id);
}

/**
 * Seconds until a robot on trip `active` (sent by `round` as `sent`) is back at the station and
 * free, as far as we can tell at `nowMs`: 300 for a trip no round in memory sent. With `at`, the
 * last node the robot reported (VDA 5050 lastNodeId) on a trip under way: from there through the
 * doors it has not served and home. Without it, the trip's plan or, when the robot is behind,
 * the doors left from the last one served; those count the way from the last door served in
 * full, however far the robot got (simulated 150-room round: robots came back 60-110 s before
 * such an estimate made in their last two minutes, and the round's last trips went to the
 * wrong robots).
 */
export function availableInS(graph: SiteGraph, times: RoundTimes, active: TripView, round: Round | undefined, nowMs: number, at?: string): number {
  const sent = round?.sent.find((s) => s.tripId === active.id);
  if (!round || !sent) return 300;
  if (at !== undefined && active.status === 'running' && graph.nodes.has(at)) {
    const served = active.trays.filter((t) => t.status !== 'loaded').length;
    let node = at;
    let seconds = 0;
    for (const q of sent.requests.slice(served)) {
      const door = graph.roomNodes.get(round.requests[q]!.room)!.id;
      seconds += graph.timeS(node, door) + times.doorServiceS;
      node = door;
    }
    return seconds + graph.timeS(node, graph.loadingStation.id);
  }
  const byPlanS = sent.predictedS - (nowMs - sent.sentAtMs) / 1000;
  // A robot behind its plan (a lift queue, the medic, slow residents) is not back yet: it still
  // has the doors it has not served and the way home, from the last door it served.
  const served = active.trays.filter((t) => t.status !== 'loaded').length;
  const leftS =
    active.status === 'planned'
      ? tripSeconds(graph, times, round, sent.requests)
      : tripSeconds(graph, times, round, sent.requests.slice(served), false, served ? sent.requests[served - 1] : undefined);
  return Math.max(0, byPlanS, leftS);
}

/**
 * The room of the last door of trip `active` when `round` sent it (undefined for a trip sent by
 * hand, and with `at`, the robot's last node, once it served every door and left the last one:
 * it is on its way home, see {@link availableInS}).
 */
export function lastRoomOf(graph: SiteGraph, active: TripView, round: Round | undefined, at?: string): string | undefined {
  const sent = round?.sent.find((s) => s.tripId === active.id);
  if (!sent?.requests.length) return undefined;
  const room = round!.requests[sent.requests.at(-1)!]!.room;
  const left = at !== undefined && active.trays.every((t) => t.status !== 'loaded') && at !== graph.roomNodes.get(room)?.id;
  return left ? undefined : room;
}

/**
 * What to plan again of a failed trip's rooms (trays `failed` or `returned`), each room once
 * (`replanned` keeps `trip:request` for a round's trip, `trip:tray` for one sent by hand): back
 * into its round as urgent requests, or as a new round; or nothing left to plan.
 */
export function roomsToReplan(
  trip: TripView,
  round: Round | undefined,
  replanned: Set<string>,
): { into: 'round'; round: Round; requests: number[] } | { into: 'newRound'; trays: TripView['trays'] } | { into: 'nothing' } {
  const unserved = trip.trays.filter((t) => t.status === 'failed' || t.status === 'returned');
  const sent = round?.sent.find((s) => s.tripId === trip.id);
  if (round && sent) {
    const requests = unserved.map((t) => sent.requests[t.tray - 1]!).filter((q) => !replanned.has(`${trip.id}:${q}`));
    if (requests.length === 0) return { into: 'nothing' };
    for (const q of requests) replanned.add(`${trip.id}:${q}`);
    return { into: 'round', round, requests };
  }
  const trays = unserved.filter((t) => !replanned.has(`${trip.id}:${t.tray}`));
  if (trays.length === 0) return { into: 'nothing' };
  for (const t of trays) replanned.add(`${trip.id}:${t.tray}`);
  return { into: 'newRound', trays };
}

/** The round as the store keeps it. */
export function roundRecordOf(round: Round): RoundRecord {
  return {
    id: round.id,
    createdAtMs: round.createdAtMs,
    requests: round.requests,
    sent: round.sent,
    queue: [...round.queue],
    ...(round.finishedAtMs !== undefined ? { finishedAtMs: round.finishedAtMs } : {}),
  };
}

/** Finished rounds beyond the newest `keep`, oldest first: they leave memory (not the store). */
export function roundsToForget(rounds: Iterable<Round>, keep: number): Round[] {
  const finished = [...rounds].filter((r) => r.finishedAtMs !== undefined).sort((a, b) => a.finishedAtMs! - b.finishedAtMs!);
  return finished.slice(0, Math.max(0, finished.length - keep));
}
