import { describe, expect, it } from 'vitest';
import { siteSchema, type TripView } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { availableInS, lastRoomOf, pendingRequests, putBack, roomsToReplan, roundRecordOf, roundsToForget, takeTrip, tripSeconds, type Round } from './round-core.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 1, roomsPerFloor: 6, lifts: 1, chargers: 1 })));
const rooms = [...graph.roomNodes.keys()];
const times = { doorServiceS: 45, loadSPerTray: 10 };

/** A round of six rooms: r1 queued [[0, 1, 2, 3, 4]], r2 queued [[5]] and nothing sent. */
function round(
  queue: [string, number[][]][] = [
    ['r1', [[0, 1, 2, 3, 4]]],
    ['r2', [[5]]],
  ],
): Round {
  return { id: 'R', createdAtMs: 0, requests: rooms.map((room) => ({ room, priority: 'meal' as const })), sent: [], queue: new Map(queue), version: 0 };
}

const tripView = (over: Partial<TripView>): TripView => ({
  id: 't1',
  robot: 'r1',
  status: 'running',
  visits: [],
  trays: [],
  loading: { confirmedTrays: [] },
  createdAt: '2026-11-29T12:00:00.000Z',
  ...over,
});

describe('round core', () => {
  it("takes the robot's own next trip, at most its trays (the rest stays first in its line), and bumps the version", () => {
    const r = round();
    expect(takeTrip(r, 'r1', 4)).toEqual([0, 1, 2, 3]);
    expect(r.queue.get('r1')).toEqual([[4]]);
    expect(r.version).toBe(1);
    expect(takeTrip(r, 'r1', 4)).toEqual([4]);
    expect(r.queue.get('r1')).toEqual([]);
  });

  it('takes the last trip of the robot with the most trips left when it has none of its own; none when nothing is queued', () => {
    const r = round([
      ['r1', [[0], [1, 2]]],
      ['r2', [[3]]],
    ]);
    expect(takeTrip(r, 'r3', 1)).toEqual([1]);
    // The rest of the split trip goes back to the end of the donor's line.
    expect(r.queue.get('r1')).toEqual([[0], [2]]);
    const empty = round([['r1', []]]);
    expect(takeTrip(empty, 'r2', 4)).toBeUndefined();
    expect(empty.version).toBe(0);
  });

  it('puts a refused trip back first in line and counts it pending', () => {
    const r = round();
    const taken = takeTrip(r, 'r2', 4)!;
    expect(pendingRequests(r)).toEqual([0, 1, 2, 3, 4]);
    putBack(r, 'r2', taken);
    expect(r.queue.get('r2')).toEqual([[5]]);
    expect(pendingRequests(r).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.version).toBe(2);
  });

  it('times a trip as loading, each door with its service, and the way back; from a door without loading', () => {
    const r = round();
    const station = graph.loadingStation.id;
    const door = (q: number) => graph.roomNodes.get(rooms[q]!)!.id;
    const expected = 2 * 10 + graph.timeS(station, door(0)) + 45 + graph.timeS(door(0), door(1)) + 45 + graph.timeS(door(1), station);
    expect(tripSeconds(graph, times, r, [0, 1])).toBeCloseTo(expected, 6);
    expect(tripSeconds(graph, times, r, [1], false, 0)).toBeCloseTo(graph.timeS(door(0), door(1)) + 45 + graph.timeS(door(1), station), 6);
  });

  it('counts a robot back when its plan says so, or later when it is behind (the doors left from the last one served)', () => {
    const r = round();
    const sent = { tripId: 't1', robot: 'r1', requests: [0, 1, 2], sentAtMs: 0, predictedS: 600 };
    r.sent.push(sent);
    const trays = [0, 1, 2].map((q, i) => ({ tray: i + 1, room: rooms[q]!, status: 'loaded' as const }));
    const running = tripView({ trays });
    expect(availableInS(graph, times, running, r, 100_000)).toBe(500);
    // Far behind its plan with one door served: the two doors left and the way home.
    const behind = tripView({ trays: trays.map((t, i) => (i === 0 ? { ...t, status: 'delivered' as const } : t)) });
    expect(availableInS(graph, times, behind, r, 10_000_000)).toBeCloseTo(tripSeconds(graph, times, r, [1, 2], false, 0), 6);
    expect(availableInS(graph, times, tripView({ id: 'other' }), r, 0)).toBe(300);
  });

  it('counts a robot that reported its last node from there: the doors it has not served and home, ahead of or behind its plan', () => {
    const r = round();
    r.sent.push({ tripId: 't1', robot: 'r1', requests: [0, 1, 2], sentAtMs: 0, predictedS: 600 });
    const door = (q: number) => graph.roomNodes.get(rooms[q]!)!.id;
    const station = graph.loadingStation.id;
    const trays = [0, 1, 2].map((q, i) => ({ tray: i + 1, room: rooms[q]!, status: i === 0 ? ('delivered' as const) : ('loaded' as const) }));
    const running = tripView({ trays });
    // One door served, standing at the second: early in the plan's 600 s, yet the doors left and home is what counts.
    const fromSecond = 45 + graph.timeS(door(1), door(2)) + 45 + graph.timeS(door(2), station);
    expect(availableInS(graph, times, running, r, 10_000, door(1))).toBeCloseTo(fromSecond, 6);
    expect(availableInS(graph, times, running, r, 10_000)).toBe(590);
    // Every door served and on the way home: the way from where it is, and its last door no longer counts as where it leaves from.
    const home = tripView({ trays: trays.map((t) => ({ ...t, status: 'delivered' as const })) });
    expect(availableInS(graph, times, home, r, 10_000, door(0))).toBeCloseTo(graph.timeS(door(0), station), 6);
    expect(lastRoomOf(graph, home, r, door(0))).toBeUndefined();
    expect(lastRoomOf(graph, home, r, door(2))).toBe(rooms[2]);
    expect(lastRoomOf(graph, running, r, door(1))).toBe(rooms[2]);
    // Still loading at the station: the whole trip, as without a node.
    const planned = tripView({ status: 'planned', trays });
    expect(availableInS(graph, times, planned, r, 10_000, station)).toBe(availableInS(graph, times, planned, r, 10_000));
  });

  it('plans a failed trip’s unserved rooms again once: into its round, or as a new round for a trip sent by hand', () => {
    const r = round();
    r.sent.push({ tripId: 't1', robot: 'r1', requests: [2, 4], sentAtMs: 0, predictedS: 100 });
    const failed = tripView({
      status: 'failed',
      trays: [
        { tray: 1, room: rooms[2]!, status: 'delivered' },
        { tray: 2, room: rooms[4]!, status: 'failed' },
      ],
    });
    const replanned = new Set<string>();
    expect(roomsToReplan(failed, r, replanned)).toEqual({ into: 'round', round: r, requests: [4] });
    expect(roomsToReplan(failed, r, replanned)).toEqual({ into: 'nothing' });
    const byHand = tripView({ id: 't9', status: 'failed', trays: [{ tray: 1, room: rooms[0]!, status: 'returned' }] });
    expect(roomsToReplan(byHand, undefined, replanned)).toEqual({ into: 'newRound', trays: byHand.trays });
    expect(roomsToReplan(byHand, undefined, replanned)).toEqual({ into: 'nothing' });
  });

  it('keeps the record of a round with its queue as pairs, and forgets the oldest finished rounds beyond the window', () => {
    const r = round();
    expect(roundRecordOf(r)).toEqual({ id: 'R', createdAtMs: 0, requests: r.requests, sent: [], queue: [...r.queue] });
    const finished = (id: string, at?: number): Round => ({ ...round(), id, ...(at !== undefined ? { finishedAtMs: at } : {}) });
    const forgotten = roundsToForget([finished('a', 30), finished('b', 10), finished('c'), finished('d', 20)], 2);
    expect(forgotten.map((x) => x.id)).toEqual(['b']);
    expect(roundsToForget([finished('a', 1)], 2)).toEqual([]);
  });
});
