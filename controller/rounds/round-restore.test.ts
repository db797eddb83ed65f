import { describe, expect, it } from 'vitest';
import type { RoundRecord, TripRecord } from '../storage/index.js';
import { restoreRound } from './round-restore.js';

const rooms = ['101', '102', '103', '104', '201', '202', '203', '204', '301'];
const record = (over: Partial<RoundRecord>): RoundRecord => ({
  id: 'r1',
  createdAtMs: 0,
  requests: rooms.map((room) => ({ room, priority: 'meal' })),
  sent: [],
  queue: [],
  ...over,
});
const trip = (id: string, robot: string, requests: number[]) => ({ view: { id, robot, createdAt: '2026-01-01T00:00:00.000Z' }, origin: { round: 'r1', requests } }) as unknown as TripRecord;

describe('restoreRound', () => {
  it('counts a trip saved before the round as sent and takes its rooms off the queue', () => {
    const restored = restoreRound(
      record({
        queue: [
          [
            'robot-1',
            [
              [0, 1],
              [2, 3],
            ],
          ],
          ['robot-2', [[4, 5, 6, 7], [8]]],
        ],
      }),
      [trip('t1', 'robot-1', [0, 1])],
    );
    expect(restored.sent.map((s) => s.tripId)).toEqual(['t1']);
    expect([...restored.queue]).toEqual([
      ['robot-1', [[2, 3]]],
      ['robot-2', [[4, 5, 6, 7], [8]]],
    ]);
    expect(restored.requeued).toEqual([]);
  });

  it("queues again the rooms neither sent nor queued (a store left so by re-plans that dropped an offline robot's trips)", () => {
    // Seen after a kill -9: rooms 4–7 and 8 on no trip, the queue empty, every robot idle.
    const restored = restoreRound(
      record({
        sent: [{ tripId: 't1', robot: 'robot-1', requests: [0, 1, 2, 3], sentAtMs: 0, predictedS: 0 }],
        queue: [
          ['robot-1', []],
          ['robot-2', []],
        ],
      }),
      [trip('t1', 'robot-1', [0, 1, 2, 3])],
    );
    expect(restored.requeued).toEqual([4, 5, 6, 7, 8]);
    const queued = [...restored.queue.values()].flat();
    expect(queued).toEqual(expect.arrayContaining([[4, 5, 6, 7], [8]]));
    expect(queued.every((t) => t.length <= 4)).toBe(true);
  });

  it('queues them even for a round whose queue has no robot left', () => {
    const restored = restoreRound(record({ queue: [] }), []);
    expect([...restored.queue.values()].flat(2).sort()).toEqual(rooms.map((_, q) => q));
  });
});
