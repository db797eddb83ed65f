import { describe, expect, it } from 'vitest';
import { siteSchema, type TripView } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { quickQueue, tripSeconds, type Round } from './round-core.js';
import { firstPlanDone, improvementDone, nextTripFor, roundStarted, tripChanged, tripRefused, tripSent, urgentInserted, type RoundEffect, type TripToSend } from './round-dispatch.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 1, roomsPerFloor: 6, lifts: 1, chargers: 1 })));
const rooms = [...graph.roomNodes.keys()];
const context = { graph, times: { doorServiceS: 45, loadSPerTray: 10 } };

/** A round `id` of the six rooms with this queue, nothing sent. */
function round(id: string, queue: [string, number[][]][]): Round {
  return { id, createdAtMs: 0, requests: rooms.map((room) => ({ room, priority: 'meal' as const })), sent: [], queue: new Map(queue), version: 0 };
}

const r1 = { id: 'r1', trays: 4 };
const kinds = (effects: RoundEffect[]) => effects.map((e) => e.kind);
const sendOf = (effects: RoundEffect[]): TripToSend => {
  const send = effects.find((e) => e.kind === 'sendTrip');
  if (send?.kind !== 'sendTrip') throw new Error(`no trip to send in ${kinds(effects).join(', ')}`);
  return send.trip;
};
const trip = (status: TripView['status']): TripView => ({ id: 't1', robot: 'r1', status, visits: [], trays: [], loading: { confirmedTrays: [] }, createdAt: '2026-11-29T12:00:00.000Z' });

describe('round dispatch: fixed sequences of idle robots, trip answers and improvements', () => {
  it("sends an idle robot the first round's trip; a sent trip is held with its time; a refused one goes back and the next round is tried", () => {
    const a = round('A', [['r1', [[0, 1]]]]);
    const b = round('B', [['r2', [[2]]]]);
    const first = sendOf(nextTripFor([a, b], r1));
    expect([first.round.id, first.requests]).toEqual(['A', [0, 1]]);

    // Refused: back first in r1's line of A, and round B offers its trip (taken from r2's line).
    const retried = tripRefused([a, b], first, 'robot r1 is busy');
    expect(retried[0]).toEqual({ kind: 'log', level: 'warn', data: { round: 'A', robot: 'r1', reason: 'robot r1 is busy' }, message: 'round trip refused' });
    expect(a.queue.get('r1')).toEqual([[0, 1]]);
    const second = sendOf(retried);
    expect([second.round.id, second.requests]).toEqual(['B', [2]]);

    const sent = tripSent(context, second, 'trip-9', 5000);
    expect(sent).toEqual([
      { kind: 'tripSent', round: b, tripId: 'trip-9' },
      { kind: 'changed', round: b },
    ]);
    expect(b.sent).toEqual([{ tripId: 'trip-9', robot: 'r1', requests: [2], sentAtMs: 5000, predictedS: tripSeconds(graph, context.times, b, [2]) }]);
    // Nothing left for r1 after B: the last refusal tries no further.
    expect(tripRefused([a, b], second, 'offline')).toHaveLength(1);
    // A round no longer held: the robot waits for the next dispatch.
    expect(kinds(tripRefused([b], first, 'offline'))).toEqual(['log']);
  });

  it('a new round sends its first trip from its quick construction, the others once its first plan is there', () => {
    // Six rooms in number order, trips of 4 dealt in turn: r1 the first four, r2 the rest.
    const queue = quickQueue([0, 1, 2, 3, 4, 5], ['r1', 'r2'], 4);
    expect([...queue]).toEqual([
      ['r1', [[0, 1, 2, 3]]],
      ['r2', [[4, 5]]],
    ]);
    const a: Round = { ...round('A', [...queue]), start: 'first' };
    const b = round('B', [['r3', [[0]]]]);
    expect(sendOf(nextTripFor([a, b], r1)).requests).toEqual([0, 1, 2, 3]);
    expect(a.start).toBe('planning');
    // While it is planned, another idle robot gets nothing of it (the next round's trip instead).
    expect(sendOf(nextTripFor([a, b], { id: 'r2', trays: 4 })).round.id).toBe('B');
    expect(nextTripFor([a], { id: 'r2', trays: 4 })).toEqual([]);
    expect(firstPlanDone(a)).toEqual([
      { kind: 'changed', round: a },
      { kind: 'dispatch', wait: true },
    ]);
    expect(sendOf(nextTripFor([a], { id: 'r2', trays: 4 })).requests).toEqual([4, 5]);
    // Once planned, done with: a round planned already does nothing more.
    expect(firstPlanDone(a)).toEqual([]);
  });

  it('sends nothing when no round has a trip for the robot', () => {
    expect(nextTripFor([round('A', [['r1', []]])], r1)).toEqual([]);
    expect(nextTripFor([], r1)).toEqual([]);
  });

  it('shows a changed trip on its round; an ended one improves the rest of its round, then frees its robot for its next trip', () => {
    const a = round('A', []);
    expect(tripChanged(a, trip('running'), 200)).toEqual([{ kind: 'changed', round: a }]);
    expect(tripChanged(a, trip('failed'), 200)).toEqual([{ kind: 'changed', round: a }, { kind: 'improve', round: a, ms: 200 }, { kind: 'dispatch' }]);
    // A trip sent by hand: its robot is free, no round to show or improve.
    expect(tripChanged(undefined, trip('done'), 200)).toEqual([{ kind: 'dispatch' }]);
  });

  it('starts a round shown, audited and dispatched (waiting for the first trips) before improving it; urgent medicine the same way', () => {
    const a = round('A', [['r1', [[0]]]]);
    const started = roundStarted(a, 'nurse-li', 1000);
    expect(kinds(started)).toEqual(['changed', 'audit', 'log', 'dispatch', 'improve']);
    expect(started[1]).toEqual({ kind: 'audit', line: { actor: 'nurse-li', action: 'roundCreated', subject: 'round A', detail: { rooms: 6 } } });
    expect(started[3]).toEqual({ kind: 'dispatch', wait: true });
    const urgent = urgentInserted(a, rooms[2]!, 'nurse-li');
    expect(kinds(urgent)).toEqual(['log', 'audit', 'changed', 'dispatch']);
    expect(urgent[1]).toEqual({ kind: 'audit', line: { actor: 'nurse-li', action: 'urgentMedicine', subject: 'round A', detail: { room: rooms[2] } } });
  });

  it('takes an improvement only when it is better and the round has not changed since it started', () => {
    const a = round('A', [['r1', [[0, 1]]]]);
    const better = { objective: 90, queue: () => new Map([['r1', [[1, 0]]]]) };
    // Stale: a trip was taken meanwhile.
    expect(improvementDone(a, a.version - 1, 100, better)).toEqual([]);
    // Not better by more than rounding.
    expect(improvementDone(a, a.version, 90 + 1e-7, better)).toEqual([]);
    expect(a.queue.get('r1')).toEqual([[0, 1]]);
    expect(improvementDone(a, 0, 100, better)).toEqual([{ kind: 'changed', round: a }]);
    expect([a.queue.get('r1'), a.version]).toEqual([[[1, 0]], 1]);
  });
});
