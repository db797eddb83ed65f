import { describe, expect, it } from 'vitest';
import { siteSchema, type TripView } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import type { Round } from './round-core.js';
import { COLLECT_S, plannerRobots, queuedEtas, roundEtas, sentEtas } from './round-eta.js';
import { roundView } from './round-view.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 6, lifts: 1, chargers: 1 })));
const rooms = [...graph.roomNodes.keys()];
const times = { doorServiceS: 45, loadSPerTray: 10 };
const station = graph.loadingStation.id;
const door = (q: number) => graph.roomNodes.get(rooms[q]!)!.id;
const legMs = (a: string, b: string) => graph.timeS(a, b) * 1000;
const START = Date.parse('2026-11-29T12:00:00.000Z');

/** Rooms 0–2 on trip t1 of r1 (running), rooms 3–5 queued for r1 after it. */
function round(): Round {
  return {
    id: 'R',
    createdAtMs: START,
    requests: rooms.map((room) => ({ room, priority: 'meal' as const })),
    sent: [{ tripId: 't1', robot: 'r1', requests: [0, 1, 2], sentAtMs: START, predictedS: 0 }],
    queue: new Map([['r1', [[3, 4, 5]]]]),
    version: 0,
  };
}

function trip(statuses: TripView['trays'][number]['status'][], over: Partial<TripView> = {}): TripView {
  return {
    id: 't1',
    robot: 'r1',
    status: 'running',
    visits: [],
    trays: statuses.map((status, i) => ({ tray: i + 1, room: rooms[i]!, status, ...(status === 'delivered' ? { deliveredAt: new Date(START + 100_000 * (i + 1)).toISOString() } : {}) })),
    loading: { confirmedTrays: [] },
    createdAt: new Date(START).toISOString(),
    ...over,
  };
}

describe('room ETAs of a round', () => {
  it('times the doors of a trip under way from the node its robot last reported, and a later report moves the later rooms', () => {
    const r = round();
    const onTrip = trip(['loaded', 'loaded', 'loaded']);
    const left = sentEtas(
      graph,
      times,
      r,
      () => onTrip,
      () => ({ node: station, sinceMs: START }),
      START,
    );
    const arrive0 = START + legMs(station, door(0));
    const arrive1 = arrive0 + 45_000 + legMs(door(0), door(1));
    expect(left.get(0)).toBeCloseTo(arrive0 + COLLECT_S * 1000, 0);
    expect(left.get(1)).toBeCloseTo(arrive1 + COLLECT_S * 1000, 0);

    // Room 0 delivered; the robot reports room 1's door a minute after it was due there.
    const late = arrive1 + 60_000;
    const further = trip(['delivered', 'loaded', 'loaded']);
    const moved = sentEtas(
      graph,
      times,
      r,
      () => further,
      () => ({ node: door(1), sinceMs: late }),
      late,
    );
    expect(moved.get(0)).toBe(Date.parse(further.trays[0]!.deliveredAt!));
    expect(moved.get(1)).toBeCloseTo(late + COLLECT_S * 1000, 0);
    expect(moved.get(2)).toBeCloseTo(late + 45_000 + legMs(door(1), door(2)) + COLLECT_S * 1000, 0);
    expect(moved.get(2)! - left.get(2)!).toBeCloseTo(60_000, 0);
  });

  it('never predicts a room not reached yet before now: a robot held at a node pushes its doors', () => {
    const r = round();
    const onTrip = trip(['loaded', 'loaded', 'loaded']);
    const at = () => ({ node: station, sinceMs: START });
    const nowMs = START + legMs(station, door(0)) + 200_000;
    const held = sentEtas(graph, times, r, () => onTrip, at, nowMs);
    expect(held.get(0)).toBeCloseTo(nowMs + COLLECT_S * 1000, 0);
    expect(held.get(1)).toBeCloseTo(nowMs + 45_000 + legMs(door(0), door(1)) + COLLECT_S * 1000, 0);
  });

  it('loads the trips at the station one robot after another, in the order they were sent', () => {
    const r: Round = {
      ...round(),
      sent: [
        { tripId: 'a', robot: 'r1', requests: [0, 1, 2, 3], sentAtMs: START, predictedS: 0 },
        { tripId: 'b', robot: 'r2', requests: [4], sentAtMs: START, predictedS: 0 },
      ],
      queue: new Map(),
    };
    const planned = (id: string, n: number): TripView => ({ ...trip(Array(n).fill('loaded'), { id, status: 'planned' }) });
    const etas = sentEtas(
      graph,
      times,
      r,
      (id) => (id === 'a' ? planned('a', 4) : planned('b', 1)),
      () => undefined,
      START,
    );
    expect(etas.get(0)).toBeCloseTo(START + 40_000 + legMs(station, door(0)) + COLLECT_S * 1000, 0);
    // r2 waits for the medic to load r1's four trays, then its own.
    expect(etas.get(4)).toBeCloseTo(START + 50_000 + legMs(station, door(4)) + COLLECT_S * 1000, 0);
  });

  it('has a robot waiting at a charger drive to the station before it is loaded', () => {
    const charger = graph.site.nodes.find((n) => n.kind === 'charger')!.id;
    const r: Round = { ...round(), sent: [{ tripId: 'a', robot: 'r1', requests: [0], sentAtMs: START, predictedS: 0 }], queue: new Map() };
    const planned = trip(['loaded'], { id: 'a', status: 'planned' });
    const etas = sentEtas(
      graph,
      times,
      r,
      () => planned,
      () => ({ node: charger, sinceMs: START }),
      START,
    );
    expect(etas.get(0)).toBeCloseTo(START + legMs(charger, station) + 10_000 + legMs(station, door(0)) + COLLECT_S * 1000, 0);
    expect(plannerRobots(graph, times, [{ id: 'r1', trays: 4, at: { node: charger, sinceMs: START } }], START)[0]!.availableInS).toBeCloseTo(legMs(charger, station) / 1000, 6);
  });

  it("times the queued trips after the robot's return, and a delay on the trip under way pushes them", () => {
    const r = round();
    const onTrip = trip(['delivered', 'loaded', 'loaded']);
    const robots = (nowMs: number, node: string, sinceMs: number, active = onTrip) =>
      plannerRobots(graph, times, [{ id: 'r1', trays: 4, at: { node, sinceMs }, active, activeRound: r }], nowMs);
    const t1 = START + 300_000;
    const sent = sentEtas(
      graph,
      times,
      r,
      () => onTrip,
      () => ({ node: door(1), sinceMs: t1 }),
      t1,
    );
    const queued = queuedEtas(graph, times, r, robots(t1, door(1), t1), t1);
    expect([...queued.keys()].sort()).toEqual([3, 4, 5]);
    // Back home after room 2, loaded, then the queued doors in order.
    expect(queued.get(3)!).toBeGreaterThan(sent.get(2)! + legMs(door(2), station));
    expect(queued.get(4)!).toBeGreaterThan(queued.get(3)!);

    // Two minutes later it has not moved on: every queued room is two minutes later.
    const t2 = t1 + 120_000;
    const delayed = queuedEtas(graph, times, r, robots(t2, door(1), t1), t2);
    for (const q of [3, 4, 5]) expect(delayed.get(q)! - queued.get(q)!).toBeCloseTo(120_000, 0);
    // It served room 1 and reports room 2's door: the queued rooms come earlier than while it was held.
    const onward = queuedEtas(graph, times, r, robots(t2, door(2), t2, trip(['delivered', 'delivered', 'loaded'])), t2);
    for (const q of [3, 4, 5]) expect(onward.get(q)!).toBeLessThan(delayed.get(q)!);
  });

  it('is empty for the queue with no robot to plan for, and a free robot starts at the station now', () => {
    expect(queuedEtas(graph, times, round(), [], START).size).toBe(0);
    expect(plannerRobots(graph, times, [{ id: 'r2', trays: 4 }], START)).toEqual([{ id: 'r2', trays: 4, availableInS: 0 }]);
  });

  it('shows each room its ETA in the round view, a delivered room its actual time, and null where nothing predicts it', () => {
    const r = round();
    const failed = trip(['delivered', 'notCollected', 'loaded'], { status: 'running' });
    const sent = sentEtas(
      graph,
      times,
      r,
      () => failed,
      () => ({ node: door(1), sinceMs: START + 200_000 }),
      START + 200_000,
    );
    const etas = roundEtas(r.requests.length, sent, new Map([[3, START + 900_000.4]]));
    const view = roundView(r, () => failed, null, etas);
    expect(view.rooms[0]!.etaMs).toBe(Date.parse(failed.trays[0]!.deliveredAt!));
    expect(view.rooms[1]!.etaMs).toBeNull();
    expect(view.rooms[2]!.etaMs).toBe(Math.round(sent.get(2)!));
    expect(view.rooms[3]!.etaMs).toBe(START + 900_000);
    expect(view.rooms[4]!.etaMs).toBeNull();
  });
});
