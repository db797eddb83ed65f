import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

/**
 * Robots are keyed by manufacturer and serialNumber: two makers' robots with the same serial
 * number are two robots, a robot of another manufacturer shows up once an admin provisions it,
 * and takes trips like our own. Our own robots keep their short ids.
 */
describe('robot identity: manufacturer + serialNumber', () => {
  let app: FastifyInstance;
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  const fleets: { stop(): Promise<void> }[] = [];
  const own = uniqueManufacturer('own');
  const other = uniqueManufacturer('acme');
  const stranger = uniqueManufacturer('stranger');
  let token = '';
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    broker = await brokerForTests();
    const site = await loadSite('hotel');
    const clock = new ScaledClock(50);
    app = await buildApp({ site, mqttUrl: broker.url, manufacturer: own, clock, auth: { adminPassword: 'admin password for tests' } });
    token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin password for tests' } })).json().token;
    // Every fleet's robot is `robot-1`: only the manufacturer tells them apart.
    for (const manufacturer of [own, other, stranger]) {
      fleets.push(await startSimRobotFleet({ mqttUrl: broker.url, world: new SimWorld({ site, clock, seed: 1 }), count: 1, manufacturer }));
    }
    await waitFor(() => app.fleet.get('robot-1')?.state === 'idle', 10_000, 'own robot idle');
  });
  afterAll(async () => {
    for (const fleet of fleets) await fleet.stop();
    await app.close();
    await broker.close();
  });

  it('a robot of another manufacturer is invisible until provisioned, then listed as manufacturer/serial beside ours', async () => {
    expect((await api('GET', '/api/robots')).json().map((r: { id: string }) => r.id)).toEqual(['robot-1']);
    const provisioned = await api('POST', '/api/devices', { kind: 'robot', id: `${other}/robot-1` });
    expect(provisioned.statusCode).toBe(201);
    await waitFor(() => app.fleet.get(`${other}/robot-1`)?.state === 'idle', 10_000, 'other maker’s robot idle');
    const robots = (await api('GET', '/api/robots')).json();
    expect(robots).toEqual([
      expect.objectContaining({ id: `${other}/robot-1`, manufacturer: other, serialNumber: 'robot-1', online: true }),
      expect.objectContaining({ id: 'robot-1', manufacturer: own, serialNumber: 'robot-1', online: true }),
    ]);
    // The third maker's robot was never provisioned.
    expect(robots.some((r: { manufacturer: string }) => r.manufacturer === stranger)).toBe(false);
  });

  it('a trip goes to the other maker’s robot on its own topics and ends done; ours stays idle', async () => {
    const sent = await api('POST', '/api/trips', { robot: `${other}/robot-1`, trays: [{ tray: 1, room: '101' }] });
    expect(sent.statusCode).toBe(201);
    const id = sent.json().id;
    expect((await api('POST', `/api/trips/${id}/trays/1/loaded`)).statusCode).toBe(200);
    await waitFor(() => app.trips.get(id)?.status === 'done', 20_000, 'trip done');
    expect(app.trips.get(id)).toMatchObject({ robot: `${other}/robot-1`, trays: [{ room: '101', status: 'delivered' }] });
    expect(app.fleet.get('robot-1')?.orderId).toBeNull();
  });

  it('removing the device forgets the robot', async () => {
    expect((await api('DELETE', `/api/devices/${encodeURIComponent(`${other}/robot-1`)}`)).statusCode).toBe(204);
    expect((await api('GET', '/api/robots')).json().map((r: { id: string }) => r.id)).toEqual(['robot-1']);
  });
});
