import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { brokerForTests, uniqueManufacturer } from '../controller/transport/test-broker.js';
import { siteSchema, type TripView } from '../protocol/index.js';
import { startSimRobotFleet } from './robot-fleet.js';
import { ScaledClock } from './scaled-clock.js';
import { waitFor } from './scenario.js';
import { SimWorld } from './world.js';

describe('a ward door on the way to a room, through a real broker', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function system(jammed: boolean) {
    const hotel = await loadSite('hotel');
    const site = siteSchema.parse({
      ...hotel,
      lanes: hotel.lanes.map((l) => (l.from === 'R105' || l.to === 'R105' ? { ...l, door: 'ward-105' } : l)),
      doors: [{ id: 'ward-105', level: 'F1', openS: 5 }],
    });
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const clock = new ScaledClock(60);
    const manufacturer = uniqueManufacturer('ward-door');
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock, pickupTimeoutS: 60 });
    cleanup.push(() => app.close());
    const world = new SimWorld({ site, clock, seed: 2, residents: { neverShare: 0, minS: 5, maxS: 10 } });
    if (jammed) world.doors.jam('ward-105');
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 1, manufacturer, visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    const serial = fleet.robots[0]!.serialNumber;
    await waitFor(() => app.fleet.get(serial)?.state === 'idle', 10_000, 'robot idle');
    const created = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: serial, trays: [{ tray: 1, room: '105' }] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<TripView>().id;
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 40_000, 'trip over');
    return { app, world, trip: app.trips.get(id)! };
  }

  it('the robot waits for the door, delivers through it and comes back out', async () => {
    const { trip, world } = await system(false);
    expect(trip.status).toBe('done');
    expect(trip.trays[0]!.status).toBe('delivered');
    // In to the room's door and out again.
    expect(world.doors.opened).toBe(2);
  }, 60_000);

  it('a door that does not open fails the trip and raises an alert naming the door', async () => {
    const { app, trip } = await system(true);
    expect(trip.status).toBe('failed');
    expect(trip.reason).toContain('door ward-105 did not open');
    await waitFor(() => app.alerts.list().some((a) => a.kind === 'tripFailed' && a.room === '105'), 5_000, 'alert');
    expect(app.alerts.list().find((a) => a.kind === 'tripFailed' && a.room === '105')!.message).toContain('door ward-105 did not open');
    // And an alert of the door's own, naming the door and the robot, once however many states repeat the error.
    await waitFor(() => app.alerts.list().some((a) => a.kind === 'doorNotOpened'), 5_000, 'door alert');
    const doorAlerts = app.alerts.list().filter((a) => a.kind === 'doorNotOpened');
    expect(doorAlerts).toEqual([expect.objectContaining({ subject: trip.robot, door: 'ward-105', count: 1, message: expect.stringMatching(/^door ward-105 \(F1\) did not open for /) })]);
    expect(doorAlerts[0]!.where).toMatchObject({ level: 'F1' });
  }, 60_000);
});
