/**
 * Predicted delivery time of every room of a round (pure): trips under way from where their
 * robot last reported, trips queued from the planner's own timing of the rest of the round.
 */
import type { TripView } from '../../protocol/index.js';
import { MAKESPAN_THEN_DELIVERY, timeSchedule } from '../dispatch/index.js';
import type { SiteGraph } from '../site/index.js';
import { availableInS, lastRoomOf, pendingRequests, type Round } from './round-core.js';
import { remainingProblem, scheduleOf, type RemainingProblem, type RoundTimes } from './round-input.js';

/**
 * Seconds from a robot's arrival at a door until the resident takes the tray: the announcement
 * and the mean wait of residents who come (DESIGN.md's profile: 5 s + uniform 10–60 s). The
 * plan's door time (`RoundTimes.doorServiceS`) is longer: it also holds those who never come.
 */
export const COLLECT_S = 40;

/** A robot as the controller sees it now. */
export interface RobotNow {
  id: string;
  trays: number;
  /** The last node it reported (VDA 5050 `lastNodeId`), and the clock ms it was last known there (see `RoundEtaKeeper.robotAt`). */
  at?: { node: string; sinceMs: number };
  /** Its trip under way, and the round that sent it (undefined for a trip sent by hand). */
  active?: TripView;
  activeRound?: Round;
}

/** A robot as the planner takes it: seconds until it is back at the station, the last door of its trip under way. */
export interface PlannerRobot {
  id: string;
  trays: number;
  availableInS: number;
  lastRoom?: string;
}

/**
 * The robots as the planner takes them at `nowMs` (see {@link availableInS}, {@link lastRoomOf});
 * a free robot elsewhere than the station (a charger) first drives there: its next order starts
 * where it stands (simulated lunch round, hotel, 40 rooms: the first trips of the robots waiting
 * at chargers were predicted 35–65 s early without it).
 */
export function plannerRobots(graph: SiteGraph, times: RoundTimes, robots: readonly RobotNow[], nowMs: number): PlannerRobot[] {
  const station = graph.loadingStation.id;
  return robots.map((r) => {
    if (!r.active) return { id: r.id, trays: r.trays, availableInS: r.at && graph.nodes.has(r.at.node) ? graph.timeS(r.at.node, station) : 0 };
    const lastRoom = lastRoomOf(graph, r.active, r.activeRound, r.at?.node);
    return { id: r.id, trays: r.trays, availableInS: availableInS(graph, times, r.active, r.activeRound, nowMs, r.at?.node), ...(lastRoom ? { lastRoom } : {}) };
  });
}

/**
 * Clock ms each round request on a trip sent is handed over (request index → ms): a delivered
 * tray's actual time; a tray still on board, its prediction; nothing for one that will not be
 * delivered on that trip (not collected, failed, returned).
 *
 * A trip waiting to be loaded leaves when its robot is at the station (from where it stood when
 * the trip was sent, a charger say) and the medic has loaded it, one robot after another in the
 * order they arrive (`loadSPerTray` a tray). A trip under way goes on from the node its
 * robot last reported, at the time it reported it (so a robot between two reports is not
 * counted back at its last node), never earlier than now: a robot held up (at a lift, behind a
 * slow resident) pushes its remaining doors as long as it stays. Each door then takes
 * `doorServiceS`, the tray is taken `collectS` after arrival. Lifts ride in the travel times,
 * their queues are not.
 */
export function sentEtas(
  graph: SiteGraph,
  times: RoundTimes,
  round: Pick<Round, 'requests' | 'sent'>,
  tripOf: (id: string) => TripView | undefined,
  at: (robot: string) => RobotNow['at'],
  nowMs: number,
  collectS = COLLECT_S,
): Map<number, number> {
  const etas = new Map<number, number>();
  const station = graph.loadingStation.id;
  const doorOf = (q: number) => graph.roomNodes.get(round.requests[q]!.room)!.id;
  let medicFreeMs = -Infinity;
  // At the station (a trip waiting to be loaded): when its robot is there, from where it stands.
  const atStationMs = (sent: Round['sent'][number]) => {
    const robotAt = at(sent.robot);
    const from = robotAt && graph.nodes.has(robotAt.node) ? robotAt : undefined;
    return from && from.node !== station ? Math.max(sent.sentAtMs, from.sinceMs) + graph.timeS(from.node, station) * 1000 : sent.sentAtMs;
  };
  const order = round.sent.flatMap((sent) => {
    const trip = tripOf(sent.tripId);
    return trip ? [{ sent, trip, readyMs: trip.status === 'planned' ? atStationMs(sent) : sent.sentAtMs }] : [];
  });
  for (const { sent, trip, readyMs } of order.sort((a, b) => a.readyMs - b.readyMs)) {
    sent.requests.forEach((q, i) => {
      const tray = trip.trays.find((t) => t.tray === i + 1);
      if (tray?.status === 'delivered' && tray.deliveredAt) etas.set(q, Date.parse(tray.deliveredAt));
    });
    if (trip.status !== 'planned' && trip.status !== 'running') continue;
    const left = sent.requests.filter((_, i) => trip.trays.find((t) => t.tray === i + 1)?.status === 'loaded');
    let node: string;
    let tMs: number;
    const robotAt = at(sent.robot);
    if (trip.status === 'planned') {
      const unconfirmed = sent.requests.length - trip.loading.confirmedTrays.length;
      medicFreeMs = Math.max(medicFreeMs, readyMs) + unconfirmed * times.loadSPerTray * 1000;
      node = station;
      tMs = Math.max(nowMs, medicFreeMs);
    } else if (robotAt && graph.nodes.has(robotAt.node)) {
      node = robotAt.node;
      tMs = robotAt.sinceMs;
    } else {
      // No position yet: it left the station when loaded.
      node = station;
      tMs = Math.max(nowMs, sent.sentAtMs + sent.requests.length * times.loadSPerTray * 1000);
    }
    left.forEach((q, k) => {
      const door = doorOf(q);
      let arriveMs = tMs + graph.timeS(node, door) * 1000;
      // The first door: not reached yet means not before now.
      if (k === 0 && node !== door) arriveMs = Math.max(arriveMs, nowMs);
      etas.set(q, Math.max(arriveMs + collectS * 1000, k === 0 ? nowMs : -Infinity));
      tMs = arriveMs + times.doorServiceS * 1000;
      if (k === 0) tMs = Math.max(tMs, nowMs);
      node = door;
    });
  }
  return etas;
}

/**
 * Clock ms each request queued (not sent yet) is handed over, as the planner times the queue
 * from `nowMs`: robots back when {@link availableInS} says (from their last reported node), the
 * medic loading one robot at a time, robots queueing for lift cars, `doorServiceS` at each door;
 * then `collectS` after its arrival. Empty with no robot to plan for.
 */
export function queuedEtas(
  graph: SiteGraph,
  times: RoundTimes,
  round: Pick<Round, 'requests' | 'queue'>,
  robots: readonly PlannerRobot[],
  nowMs: number,
  collectS = COLLECT_S,
): Map<number, number> {
  const etas = new Map<number, number>();
  const pending = pendingRequests(round);
  if (pending.length === 0 || robots.length === 0) return etas;
  const problem: RemainingProblem = remainingProblem(graph, round.requests, pending, robots, times, nowMs);
  const plan = timeSchedule(problem.input, scheduleOf(problem, round.queue), MAKESPAN_THEN_DELIVERY);
  for (const robot of plan.robots) for (const trip of robot.trips) for (const stop of trip.stops) etas.set(problem.requestIds[stop.request]!, nowMs + (stop.arriveS + collectS) * 1000);
  return etas;
}

/** Each request's handed-over time (clock ms), predicted or actual, or null (see {@link sentEtas}, {@link queuedEtas}). */
export function roundEtas(requestCount: number, sent: ReadonlyMap<number, number>, queued: ReadonlyMap<number, number>): (number | null)[] {
  return Array.from({ length: requestCount }, (_, q) => {
    const ms = sent.get(q) ?? queued.get(q);
    return ms === undefined ? null : Math.round(ms);
  });
}
