import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoundView, TripView } from '../../protocol/index.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { SqliteStore, type RoundRecord } from '../storage/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

/**
 * A controller started on the database of one that died (kill -9) in the middle of a round: the
 * trips it sent are over, the round's other trips were never sent, and the robots stand idle at
 * the loading station. Whatever the round's record says, every room must go out, once.
 */
describe('a round after a controller restart', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function restartOn(record: RoundRecord) {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const manufacturer = uniqueManufacturer('restart');
    const database = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-restart-')), 'isofleet.db');
    const before = new SqliteStore(database);
    before.saveRound(record);
    before.close();
    const site = await loadSite('hotel');
    const clock = new ScaledClock(500);
    const world = new SimWorld({ site, clock, seed: 3, residents: { neverShare: 0 } });
    // The robots are up and idle before the controller starts: none of them "comes back".
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer, visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock, databaseFile: database, roundImproveMs: 100 });
    cleanup.push(() => app.close());
    return { app, world };
  }

  const rooms = ['101', '102', '103', '104', '201', '202', '203', '204', '105', '106'];
  const requests = rooms.map((room) => ({ room, priority: 'meal' as const }));

  async function expectEveryRoomOnce(app: Awaited<ReturnType<typeof restartOn>>['app'], world: SimWorld, id: string): Promise<void> {
    await waitFor(async () => (await app.inject({ url: `/api/rounds/${id}` })).json<RoundView>().status === 'done', 40_000, 'round done');
    const round = (await app.inject({ url: `/api/rounds/${id}` })).json<RoundView>();
    expect(round.rooms.map((r) => r.status)).toEqual(rooms.map(() => 'delivered'));
    const trips = app.trips.list() as TripView[];
    for (const room of rooms) {
      expect(
        trips.flatMap((t) => t.trays).filter((t) => t.room === room),
        `room ${room}`,
      ).toHaveLength(1);
      expect(world.visitsTo(room), `visits to ${room}`).toBe(1);
    }
  }

  it('sends the trips queued for a robot that is not online to the idle ones, through every re-plan', async () => {
    // robot-3 had trips queued when the controller died and is not back; robot-1's own trips
    // are one room each, so the re-plan after its first trip changes the queue.
    const { app, world } = await restartOn({
      id: 'r-offline',
      createdAtMs: Date.now(),
      requests,
      sent: [],
      queue: [
        ['robot-1', [[0], [1], [4], [5]]],
        ['robot-2', []],
        [
          'robot-3',
          [
            [2, 6],
            [3, 7],
            [8, 9],
          ],
        ],
      ],
    });
    await expectEveryRoomOnce(app, world, 'r-offline');
  }, 60_000);

  it('queues again and delivers the rooms a store holds on no trip and in no queue', async () => {
    // As the seen case left the database: rooms 8 and 9 nowhere, the queue otherwise empty.
    const { app, world } = await restartOn({
      id: 'r-lost',
      createdAtMs: Date.now(),
      requests,
      sent: [],
      queue: [
        ['robot-1', [[0, 1, 2, 3]]],
        ['robot-2', [[4, 5, 6, 7]]],
      ],
    });
    await expectEveryRoomOnce(app, world, 'r-lost');
  }, 60_000);
});
