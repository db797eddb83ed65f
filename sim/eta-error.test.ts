import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RoundView, TripView } from '../protocol/index.js';
import { EtaErrorRecorder, figures } from './eta-error.js';

const T0 = Date.parse('2026-11-29T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function view(rooms: Partial<RoundView['rooms'][number]>[]): RoundView {
  return {
    id: 'R',
    status: 'running',
    createdAt: iso(T0),
    rooms: rooms.map((r) => ({ room: '101', priority: 'meal', status: 'pending', robot: null, trip: null, tray: null, etaMs: null, ...r })),
    plan: [],
    predictedFinishS: null,
  };
}

describe('ETA error recorder', () => {
  it('compares the ETA held at the start and at loading with the delivery, and the start of rooms kept on their trip apart', () => {
    const rounds = new EventEmitter<{ round: [RoundView]; eta: [RoundView] }>();
    const trips = new EventEmitter<{ trip: [TripView] }>();
    let current = view([
      { etaMs: T0 + 100_000, robot: 'r1', trip: 0 },
      { etaMs: T0 + 200_000, robot: 'r1', trip: 1 },
      { etaMs: T0 + 300_000, robot: 'r1', trip: 1 },
    ]);
    const recorder = new EtaErrorRecorder({ rounds: Object.assign(rounds, { get: () => current }), trips });
    // Before the first plan a room has no ETA yet: nothing is taken as the start.
    recorder.roundSeen(view([{ etaMs: null }, { etaMs: T0 }, { etaMs: T0 }]));
    rounds.emit('round', current);
    current = view([
      { etaMs: T0 + 130_000, tripId: 't1', status: 'loaded', robot: 'r1', trip: 0 },
      { etaMs: T0 + 260_000, tripId: 't1', status: 'loaded', robot: 'r1', trip: 0 },
      { etaMs: T0 + 400_000, robot: 'r1', trip: 1 },
    ]);
    trips.emit('trip', { id: 't1', status: 'running' } as TripView);
    current = view([
      { etaMs: T0 + 150_000, tripId: 't1', status: 'delivered', deliveredAt: iso(T0 + 150_000), robot: 'r1', trip: 0 },
      { etaMs: T0 + 180_000, tripId: 't1', status: 'delivered', deliveredAt: iso(T0 + 180_000), robot: 'r1', trip: 0 },
      { etaMs: null, tripId: 't2', status: 'notCollected', robot: 'r1', trip: 1 },
    ]);
    // Room 1: 100 s predicted at the start, 130 s at loading, 150 s actual. Room 2: 200 s at the
    // start on the robot's second trip, 260 s at loading after it moved to the first, 180 s actual.
    // Room 3 was not collected: left out.
    expect(recorder.summary([current])).toEqual({
      atStart: { n: 2, meanS: 35, p90S: 50, biasS: -15 },
      atLoad: { n: 2, meanS: 50, p90S: 80, biasS: 30 },
      atStartKept: { n: 1, meanS: 50, p90S: 50, biasS: -50 },
    });
    recorder.stop();
    expect(rounds.listenerCount('round') + trips.listenerCount('trip')).toBe(0);
  });

  it('takes the nearest-rank 90th percentile of the sizes and the signed mean', () => {
    expect(figures([-10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ n: 10, meanS: 5.5, p90S: 9, biasS: 3.5 });
    expect(figures([])).toEqual({ n: 0, meanS: 0, p90S: 0, biasS: 0 });
  });
});
