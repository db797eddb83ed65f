import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

describe('HTTP API', () => {
  let app: FastifyInstance;
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let fleet: Awaited<ReturnType<typeof startSimRobotFleet>>;

  beforeAll(async () => {
    broker = await brokerForTests();
    const manufacturer = uniqueManufacturer('api');
    const site = await loadSite('hotel');
    const clock = new ScaledClock(50);
    app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock });
    fleet = await startSimRobotFleet({ mqttUrl: broker.url, world: new SimWorld({ site, clock, seed: 1 }), count: 1, manufacturer });
    await waitFor(() => app.fleet.get('robot-1')?.state === 'idle', 10_000, 'robot idle');
  });
  afterAll(async () => {
    await fleet.stop();
    await app.close();
    await broker.close();
  });

  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/trips', payload: payload as object });

  it('GET /api/site lists levels and rooms', async () => {
    const site = (await app.inject({ url: '/api/site' })).json();
    expect(site.name).toBe('hotel');
    expect(site.levels).toEqual(['G', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8']);
    expect(site.rooms).toHaveLength(192);
    expect(site.rooms).toContain('824');
  });

  it('GET /api/robots shows the robot online, idle, with battery and where it is', async () => {
    const [robot] = (await app.inject({ url: '/api/robots' })).json();
    expect(robot).toMatchObject({ id: 'robot-1', online: true, state: 'idle', level: 'G', node: 'G-charger1' });
    expect(robot.battery).toBeGreaterThan(0);
  });

  it('400 names the bad field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ robot: 'robot-1', trays: [{ tray: 5, room: '101' }] }, /body\.trays\.0\.tray/],
      [{ robot: 'robot-1', trays: [{ tray: 1 }] }, /body\.trays\.0\.room/],
      [{ trays: [{ tray: 1, room: '101' }] }, /body\.robot/],
      [{ robot: 'robot-1', trays: [] }, /body\.trays/],
      [
        {
          robot: 'robot-1',
          trays: [
            { tray: 1, room: '101' },
            { tray: 1, room: '102' },
          ],
        },
        /body\.trays\.1\.tray: tray 1 is used twice/,
      ],
      [{ robot: 'robot-1', trays: [{ tray: 1, room: '10 1' }] }, /body\.trays\.0\.room/],
    ];
    for (const [payload, pattern] of cases) {
      const reply = await post(payload);
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
      expect(reply.json().message).toMatch(pattern);
    }
  });

  it('400 naming the field for an unknown room or robot, 409 for a busy robot', async () => {
    const unknownRoom = await post({
      robot: 'robot-1',
      trays: [
        { tray: 1, room: '101' },
        { tray: 2, room: '999' },
      ],
    });
    expect(unknownRoom.statusCode).toBe(400);
    expect(unknownRoom.json()).toMatchObject({ message: 'body.trays.1.room: unknown room 999', issues: [{ path: 'body.trays.1.room' }] });
    const unknownRobot = await post({ robot: 'robot-9', trays: [{ tray: 1, room: '101' }] });
    expect(unknownRobot.statusCode).toBe(400);
    expect(unknownRobot.json().message).toBe('body.robot: no robot robot-9 on this site');
    expect((await post({ robot: 'r'.repeat(129), trays: [{ tray: 1, room: '101' }] })).statusCode).toBe(400);

    const first = await post({ robot: 'robot-1', trays: [{ tray: 1, room: '101' }] });
    expect(first.statusCode).toBe(201);
    const second = await post({ robot: 'robot-1', trays: [{ tray: 2, room: '102' }] });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/busy/);

    const trip = (await app.inject({ url: `/api/trips/${first.json().id}` })).json();
    expect(trip).toMatchObject({ robot: 'robot-1', status: expect.stringMatching(/planned|running/), trays: [{ tray: 1, room: '101', status: 'loaded' }] });
  });

  it('describes the API as OpenAPI, from the same schemas that validate it', async () => {
    const doc = (await app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/trips', '/api/rounds', '/api/robots', '/api/alerts']));
    expect(JSON.stringify(doc.paths['/api/trips']!.post!.requestBody)).toContain('"tray"');
  });

  it('404 for a trip that does not exist', async () => {
    expect((await app.inject({ url: '/api/trips/nope' })).statusCode).toBe(404);
  });
});
