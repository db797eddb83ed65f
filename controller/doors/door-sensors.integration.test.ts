import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { doorSensorTopic, type Alert, type DoorView, type Site, type TripView } from '../../protocol/index.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

/**
 * The hotel with every room number tagged for this test (`k3x9q-105`): door topics carry only
 * the room, so tests sharing a broker (Mosquitto in CI) keep their doors apart this way.
 */
async function taggedHotel(extra: Partial<Site> = {}): Promise<{ site: Site; room: (n: string) => string }> {
  const tag = Math.random().toString(36).slice(2, 7);
  const room = (n: string) => `${tag}-${n}`;
  const hotel = await loadSite('hotel');
  return { site: { ...hotel, ...extra, nodes: hotel.nodes.map((n) => (n.room ? { ...n, room: room(n.room) } : n)) }, room };
}

describe('door sensors at the rooms, through a real broker', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function controller(site: Site, speed: number) {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const clock = new ScaledClock(speed);
    const manufacturer = uniqueManufacturer('doors');
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock, pickupTimeoutS: 60 });
    cleanup.push(() => app.close());
    const sensor = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => sensor.endAsync());
    const dropped: { topic: string; reason: string; problems?: string }[] = [];
    app.doors.on('dropped', (d) => dropped.push(d));
    const opened: { room: string; verdict: string }[] = [];
    app.doors.on('opened', (o) => opened.push(o));
    return { app, broker, clock, manufacturer, sensor, dropped, opened };
  }

  const door = (sensor: MqttClient, room: string, open: boolean, at = new Date().toISOString()) =>
    sensor.publishAsync(doorSensorTopic(room), JSON.stringify({ timestamp: at, open, sensorId: `mc38-${room}` }), { qos: 1 });

  it('a door opened while the tray waited confirms the pickup; the room next door, never opened, is not collected; no alert for either', async () => {
    const { site, room } = await taggedHotel();
    const { app, broker, clock, manufacturer, sensor, opened } = await controller(site, 60);
    // Nobody takes a tray off the robot: only the door sensor can tell the pickup happened.
    const world = new SimWorld({ site, clock, seed: 3, residents: { neverShare: 1 } });
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 1, manufacturer, visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    const serial = fleet.robots[0]!.serialNumber;
    await waitFor(() => app.fleet.get(serial)?.state === 'idle', 10_000, 'robot idle');
    const created = await app.inject({
      method: 'POST',
      url: '/api/trips',
      payload: {
        robot: serial,
        trays: [
          { tray: 1, room: room('105') },
          { tray: 2, room: room('108') },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const trip = created.json<TripView>();
    const waitingAt = (tray: number) => app.fleet.lastState(serial)?.actionStates.some((a) => a.actionId === `trip-${trip.id}:pickup:${tray}` && a.actionStatus === 'RUNNING') ?? false;
    await waitFor(() => waitingAt(1), 30_000, 'tray 1 waiting at its door');
    await door(sensor, room('105'), true);
    await waitFor(() => app.trips.get(trip.id)!.trays[0]!.doorOpenedAt !== undefined, 5_000, 'door open seen');
    await door(sensor, room('105'), false);
    await waitFor(() => app.trips.get(trip.id)!.status === 'done', 30_000, 'trip done');

    const [first, second] = app.trips.get(trip.id)!.trays;
    expect(first).toMatchObject({ room: room('105'), status: 'delivered' });
    expect(first!.deliveredAt).toBe(first!.doorOpenedAt);
    expect(second).toMatchObject({ room: room('108'), status: 'notCollected' });
    expect(second!.doorOpenedAt).toBeUndefined();
    expect(opened).toEqual([{ room: room('105'), verdict: 'deliveryDue', traysMarked: 1 }]);
    expect(app.alerts.list().filter((a) => a.kind === 'doorOpenedUnexpectedly')).toEqual([]);
    const audit = (await app.inject({ url: `/api/audit?subject=${encodeURIComponent(`room ${room('105')}`)}` })).json<{ action: string; detail?: Record<string, unknown> }[]>();
    expect(audit.find((line) => line.action === 'tray delivered')?.detail).toMatchObject({ confirmedBy: 'doorSensor' });
    // An open soon after the robot left is the resident taking the tray in late: still expected.
    await door(sensor, room('108'), true);
    await waitFor(() => opened.length === 2, 5_000, 'second open judged');
    expect(opened[1]).toEqual({ room: room('108'), verdict: 'deliveryDue', traysMarked: 0 });
  }, 60_000);

  it('a door opened as the robot came and still open when it began to wait confirms the pickup, from the state that shows it waiting', async () => {
    const { site, room } = await taggedHotel();
    const { app, broker, clock, manufacturer, sensor, opened } = await controller(site, 60);
    const world = new SimWorld({ site, clock, seed: 3, residents: { neverShare: 1 } });
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 1, manufacturer, visualizationIntervalMs: 60_000 });
    cleanup.push(() => fleet.stop());
    const serial = fleet.robots[0]!.serialNumber;
    await waitFor(() => app.fleet.get(serial)?.state === 'idle', 10_000, 'robot idle');
    const created = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: serial, trays: [{ tray: 1, room: room('105') }] } });
    expect(created.statusCode, created.body).toBe(201);
    const trip = created.json<TripView>();
    // Out of the lift on the first floor, some way from room 105: the resident opens as it comes.
    await waitFor(() => app.fleet.lastState(serial)?.lastNodeId.startsWith('F1-') ?? false, 30_000, 'robot on F1');
    await door(sensor, room('105'), true);
    await waitFor(() => opened.length === 1, 5_000, 'open judged');
    expect(opened[0]).toEqual({ room: room('105'), verdict: 'deliveryDue', traysMarked: 0 });
    await waitFor(() => app.trips.get(trip.id)!.trays[0]!.doorOpenedAt !== undefined, 30_000, 'tray marked once the robot waits');
    await door(sensor, room('105'), false);
    await waitFor(() => app.trips.get(trip.id)!.status === 'done', 30_000, 'trip done');
    // Nobody took the tray off the robot (it reported not collected): the open door confirmed it.
    const tray = app.trips.get(trip.id)!.trays[0]!;
    expect(tray).toMatchObject({ status: 'delivered' });
    expect(tray.deliveredAt).toBe(tray.doorOpenedAt);
  }, 60_000);

  it('an isolated room’s door opening with nothing due raises an alert; a muted room does not, until the mute is lifted; bad messages are dropped with the field', async () => {
    const { site, room } = await taggedHotel();
    const { app, sensor, dropped, opened } = await controller(site, 1);
    const raised: Alert[] = [];
    app.alerts.on('alert', (a) => raised.push({ ...a }));

    await door(sensor, room('305'), true);
    await waitFor(() => app.alerts.list().some((a) => a.kind === 'doorOpenedUnexpectedly'), 5_000, 'unexpected-open alert');
    expect(app.alerts.list().find((a) => a.kind === 'doorOpenedUnexpectedly')).toMatchObject({
      room: room('305'),
      subject: `sensors/doors/${room('305')}`,
      status: 'open',
      where: { level: 'F3', landmark: 'room' },
    });
    expect((await app.inject({ url: '/api/doors' })).json<DoorView[]>().find((d) => d.room === room('305'))).toMatchObject({
      open: true,
      isolated: true,
      muted: false,
      sensorId: `mc38-${room('305')}`,
    });

    // Malformed: not JSON, a field of the wrong type, a room not on this site. Each is dropped and
    // named; the controller goes on.
    await sensor.publishAsync(doorSensorTopic(room('306')), '{not json', { qos: 1 });
    await sensor.publishAsync(doorSensorTopic(room('306')), JSON.stringify({ timestamp: new Date().toISOString(), open: 'yes', sensorId: 's' }), { qos: 1 });
    await sensor.publishAsync(doorSensorTopic('9999'), JSON.stringify({ timestamp: new Date().toISOString(), open: true, sensorId: 's' }), { qos: 1 });
    await waitFor(() => dropped.length === 3, 5_000, 'three drops');
    expect(dropped.map((d) => d.reason)).toEqual(['invalid', 'invalid', 'no room 9999 on this site']);
    expect(dropped[0]!.problems).toMatch(/JSON/i);
    expect(dropped[1]!.problems).toMatch(/^open: /);

    const muted = await app.inject({ method: 'PUT', url: `/api/doors/${room('306')}/mute`, payload: { muted: true, minutes: 30 } });
    expect(muted.statusCode, muted.body).toBe(200);
    expect(muted.json<DoorView>()).toMatchObject({ room: room('306'), muted: true, mutedBy: 'api' });
    await door(sensor, room('306'), true);
    await waitFor(() => opened.some((o) => o.room === room('306')), 5_000, 'muted open judged');
    expect(opened.find((o) => o.room === room('306'))?.verdict).toBe('muted');
    expect(raised.filter((a) => a.room === room('306'))).toEqual([]);

    const lifted = await app.inject({ method: 'PUT', url: `/api/doors/${room('306')}/mute`, payload: { muted: false } });
    expect(lifted.json<DoorView>().muted).toBe(false);
    await door(sensor, room('306'), false);
    await door(sensor, room('306'), true);
    await waitFor(() => raised.some((a) => a.room === room('306')), 5_000, 'alert once unmuted');
    const audit = (await app.inject({ url: `/api/audit?subject=${encodeURIComponent(`room ${room('306')}`)}` })).json<{ action: string; actor: string }[]>();
    expect(audit.map((line) => line.action)).toEqual(expect.arrayContaining(['doorAlertMuted', 'doorAlertUnmuted', 'doorOpened']));

    // A bad mute is a 400 naming the field; a room not on this site a 404.
    const bad = await app.inject({ method: 'PUT', url: `/api/doors/${room('306')}/mute`, payload: { muted: true, minutes: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues[0]!.path).toBe('body.minutes');
    expect((await app.inject({ method: 'PUT', url: '/api/doors/9999/mute', payload: { muted: true } })).statusCode).toBe(404);
  }, 30_000);

  it('keeps mutes across a controller restart: still muted after it, an open then raises nothing; a lifted mute stays lifted', async () => {
    const { site, room } = await taggedHotel();
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const databaseFile = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-doors-')), 'controller.db');
    const start = () => buildApp({ site, mqttUrl: broker.url, manufacturer: uniqueManufacturer('doors'), clock: new ScaledClock(1), databaseFile });
    const first = await start();
    const mute = (app: typeof first, n: string, payload: object) => app.inject({ method: 'PUT', url: `/api/doors/${room(n)}/mute`, payload });
    expect((await mute(first, '306', { muted: true, minutes: 30 })).statusCode).toBe(200);
    expect((await mute(first, '307', { muted: true })).statusCode).toBe(200);
    expect((await mute(first, '308', { muted: true })).statusCode).toBe(200);
    expect((await mute(first, '308', { muted: false })).statusCode).toBe(200);
    const before = (await first.inject({ url: '/api/doors' })).json<DoorView[]>().find((d) => d.room === room('306'))!;
    await first.close();

    const app = await start();
    cleanup.push(() => app.close());
    const doors = (await app.inject({ url: '/api/doors' })).json<DoorView[]>();
    const of = (n: string) => doors.find((d) => d.room === room(n));
    expect(of('306')).toMatchObject({ muted: true, mutedBy: 'api', mutedUntil: before.mutedUntil });
    expect(of('307')).toMatchObject({ muted: true, mutedBy: 'api' });
    expect(of('307')!.mutedUntil).toBeUndefined();
    expect(of('308')!.muted).toBe(false);
    const opened: { room: string; verdict: string }[] = [];
    app.doors.on('opened', (o) => opened.push(o));
    const sensor = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => sensor.endAsync());
    await door(sensor, room('306'), true);
    await door(sensor, room('308'), true);
    await waitFor(() => opened.length === 2, 5_000, 'both opens judged');
    expect(opened.map((o) => [o.room, o.verdict])).toEqual([
      [room('306'), 'muted'],
      [room('308'), 'unexpected'],
    ]);
    expect(
      app.alerts
        .list()
        .filter((a) => a.kind === 'doorOpenedUnexpectedly')
        .map((a) => a.room),
    ).toEqual([room('308')]);
  }, 30_000);

  it('raises no alert in quiet hours: the open is audited instead', async () => {
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    // Quiet from a minute ago for an hour and a half (UTC): now is inside, the span may run past midnight.
    const quietHours = [{ from: hhmm(new Date(now.getTime() - 60_000)), to: hhmm(new Date(now.getTime() + 90 * 60_000)) }];
    const { site, room } = await taggedHotel({ doorAlerts: { timeZone: 'UTC', quietHours, graceAfterDeliveryS: 600 } });
    const { app, sensor, opened } = await controller(site, 1);
    await door(sensor, room('210'), true);
    await waitFor(() => opened.length === 1, 5_000, 'open judged');
    expect(opened[0]!.verdict).toBe('quietHours');
    expect(app.alerts.list().filter((a) => a.kind === 'doorOpenedUnexpectedly')).toEqual([]);
    const audit = (await app.inject({ url: `/api/audit?subject=${encodeURIComponent(`room ${room('210')}`)}` })).json<{ action: string; detail?: { verdict?: string } }[]>();
    expect(audit.find((line) => line.action === 'doorOpened')?.detail?.verdict).toBe('quietHours');
  }, 30_000);
});
