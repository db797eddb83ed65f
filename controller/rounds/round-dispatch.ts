import type { TripView } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';
import { putBack, takeTrip, tripSeconds, type Round } from './round-core.js';
import type { RoundTimes } from './round-input.js';

/** A trip taken from a round's queue for an idle robot, to be sent. */
export interface TripToSend {
  round: Round;
  robot: { id: string; trays: number };
  /** The round's requests, in tray order. */
  requests: number[];
}

/**
 * What the round shell is to do, in order, after the core changed a round:
 * - `sendTrip`: send this trip (the trip manager) and answer {@link tripSent} or {@link tripRefused};
 * - `tripSent`: the round now holds this trip (look it up by trip id);
 * - `changed`: write the round to the store and push it to the screens;
 * - `dispatch`: send the next trip to every idle robot; with `wait`, go on once the trips are sent;
 * - `improve`: improve the trips of the round not sent yet for `ms` more;
 * - `audit`, `log`: a line of the audit log, of the log.
 */
export type RoundEffect =
  | { kind: 'sendTrip'; trip: TripToSend }
  | { kind: 'tripSent'; round: Round; tripId: string }
  | { kind: 'changed'; round: Round }
  | { kind: 'dispatch'; wait?: boolean }
  | { kind: 'improve'; round: Round; ms: number }
  | { kind: 'audit'; line: Parameters<Audit>[0] }
  | { kind: 'log'; level: 'info' | 'warn'; data: Record<string, unknown>; message: string };

/** The trip's timing context: the site and the service times the plan assumed. */
export interface RoundContext {
  graph: SiteGraph;
  times: RoundTimes;
}

/**
 * The next trip of an idle robot, from the first of `rounds` (in the order they came) that has
 * one it can take (see {@link takeTrip}); nothing when none has. A round whose first plan is
 * being made gives its first trip only (see {@link Round.start}).
 */
export function nextTripFor(rounds: readonly Round[], robot: { id: string; trays: number }): RoundEffect[] {
  for (const round of rounds) {
    if (round.start === 'planning') continue;
    const requests = takeTrip(round, robot.id, robot.trays);
    if (!requests) continue;
    if (round.start === 'first') round.start = 'planning';
    return [{ kind: 'sendTrip', trip: { round, robot, requests } }];
  }
  return [];
}

/**
 * A new round's first plan is there (or could not be made): the round is shown with it and sends
 * its trips to every idle robot.
 */
export function firstPlanDone(round: Round): RoundEffect[] {
  if (round.start === undefined) return [];
  delete round.start;
  return [
    { kind: 'changed', round },
    { kind: 'dispatch', wait: true },
  ];
}

/** The trip manager took the trip: the round holds it, with when it left and the time the plan gives it. */
export function tripSent(context: RoundContext, sent: TripToSend, tripId: string, nowMs: number): RoundEffect[] {
  const { round, robot, requests } = sent;
  round.sent.push({ tripId, robot: robot.id, requests, sentAtMs: nowMs, predictedS: tripSeconds(context.graph, context.times, round, requests) });
  round.version++;
  return [
    { kind: 'tripSent', round, tripId },
    { kind: 'changed', round },
  ];
}

/**
 * The trip manager refused the trip: it goes back first in the robot's line (another robot or a
 * later try takes it), and the robot tries the rounds after this one.
 */
export function tripRefused(rounds: readonly Round[], refused: TripToSend, reason: string): RoundEffect[] {
  const { round, robot, requests } = refused;
  putBack(round, robot.id, requests);
  return [
    { kind: 'log', level: 'warn', data: { round: round.id, robot: robot.id, reason }, message: 'round trip refused' },
    // A round forgotten meanwhile (finished): the robot waits for the next dispatch.
    ...(rounds.includes(round) ? nextTripFor(rounds.slice(rounds.indexOf(round) + 1), robot) : []),
  ];
}

/**
 * A trip changed: its round (if a round in memory sent it) shows it; a trip that ended frees its
 * robot for the next, and the rest of its round is planned again from where the robots really
 * are, before the robot back takes its next trip: doors, lift queues and the medic make robots
 * drift from the plan (in the simulated 150-room round, robots ended 440 s apart with a plan
 * that had them within 100 s).
 */
export function tripChanged(round: Round | undefined, trip: TripView, replanMs: number): RoundEffect[] {
  const effects: RoundEffect[] = round ? [{ kind: 'changed', round }] : [];
  if (trip.status === 'done' || trip.status === 'failed') {
    if (round) effects.push({ kind: 'improve', round, ms: replanMs });
    effects.push({ kind: 'dispatch' });
  }
  return effects;
}

/**
 * A round just made from its quick construction: shown, audited, its first trip sent (only one
 * while {@link Round.start} is set), then planned and improved for `improveMs` while the robots
 * are on their way (the shell makes the first plan before it answers, then sends the other
 * trips: {@link firstPlanDone}).
 */
export function roundStarted(round: Round, actor: string, improveMs: number): RoundEffect[] {
  return [
    { kind: 'changed', round },
    { kind: 'audit', line: { actor, action: 'roundCreated', subject: `round ${round.id}`, detail: { rooms: round.requests.length } } },
    { kind: 'log', level: 'info', data: { round: round.id, rooms: round.requests.length }, message: 'round planned' },
    { kind: 'dispatch', wait: true },
    { kind: 'improve', round, ms: improveMs },
  ];
}

/** Urgent medicine for `room` went into the round's queue: shown, audited, and sent if a robot is free. */
export function urgentInserted(round: Round, room: string, actor: string): RoundEffect[] {
  return [
    { kind: 'log', level: 'info', data: { round: round.id, room }, message: 'urgent medicine inserted' },
    { kind: 'audit', line: { actor, action: 'urgentMedicine', subject: `round ${round.id}`, detail: { room } } },
    { kind: 'changed', round },
    { kind: 'dispatch', wait: true },
  ];
}

/**
 * An improvement of the trips not sent yet came back: taken (the queue replaced) only when the
 * round has not changed since it started (`version`, else its rooms could go out twice) and it
 * is better than the current plan by more than rounding.
 */
export function improvementDone(round: Round, version: number, currentObjective: number, better: { objective: number; queue: () => Round['queue'] }): RoundEffect[] {
  if (round.version !== version || better.objective >= currentObjective - 1e-6) return [];
  round.queue = better.queue();
  round.version++;
  return [{ kind: 'changed', round }];
}
