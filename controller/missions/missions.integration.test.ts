import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { distanceM, droneTelemetrySchema, droneTopic, type DroneAlert, type DroneTelemetry, type MissionSummary } from '../../protocol/index.js';
import { padsFromZones, SimDroneWorld, startSimDroneFleet, type SimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { replyWithFieldPaths } from '../api/validation-errors.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { MissionManager, missionRoutes } from './index.js';
import { yard } from './yard-zones.test-support.js';

const { zones, pad } = yard();

describe('spray missions through a real broker', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let app: FastifyInstance;
  let manager: MissionManager;
  let fleet: SimDroneFleet;
  let world: SimDroneWorld;
  let spy: MqttClient;
  let prefix: string;
  const alerts: DroneAlert[] = [];
  const telemetry: DroneTelemetry[] = [];
  const audited: { actor: string; action: string; subject: string }[] = [];

  beforeEach(async () => {
    broker = await brokerForTests();
    prefix = `${uniqueManufacturer('m')}-`;
    alerts.length = 0;
    telemetry.length = 0;
    audited.length = 0;
    const clock = new ScaledClock(200);
    spy = await connectMqtt(broker.url, { clientId: `${prefix}spy` });
    spy.on('message', (_t, payload) => telemetry.push(droneTelemetrySchema.parse(JSON.parse(payload.toString()))));
    await spy.subscribeAsync(droneTopic('+', 'telemetry'));
    const mqtt = await connectMqtt(broker.url, { clientId: `${prefix}controller` });
    manager = new MissionManager({ mqtt, clock, log: { info: () => {}, warn: () => {} }, droneIdPrefix: prefix, finishedKept: 1, audit: (e) => audited.push(e) });
    manager.on('alert', (a) => alerts.push(a));
    await manager.start();
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    replyWithFieldPaths(app);
    await app.register(missionRoutes, { manager });
    app.addHook('onClose', async () => {
      manager.close();
      await mqtt.endAsync();
    });
    world = new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: 2, wind: { speedMps: 2, gustMps: 1 } });
    fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 2, idPrefix: prefix, reconnectPeriodMs: 50 });
    await waitFor(() => manager.drones.views().filter((d) => d.mode === 'landed').length === 2, 5000, 'two drones on the pad');
  });
  afterEach(async () => {
    await fleet.stop();
    await app.close();
    await spy.endAsync();
    await broker.close();
  });

  const post = async (url: string, payload?: object) => app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
  const summary = async (id: string) => (await app.inject({ url: `/api/missions/${id}` })).json<MissionSummary>();
  const createMission = async () => {
    const reply = await post('/api/missions', { zones, drones: 2, tankL: 5 });
    expect(reply.statusCode, reply.body).toBe(201);
    return reply.json<{ id: string; assigned: string[]; plan: { features: unknown[]; properties: { metrics: { sorties: number } } } }>();
  };

  it('covers the zone with 2 drones through refills, measured from telemetry, and resumes a pause at the exact point', async () => {
    const created = await createMission();
    expect(created.assigned.sort()).toEqual([`${prefix}1`, `${prefix}2`]);
    expect(created.plan.properties.metrics.sorties).toBeGreaterThanOrEqual(3);
    // Another screen (a second tablet, a reload) gets the same zones and plan.
    const again = (await app.inject({ url: `/api/missions/${created.id}/plan` })).json<{ zones: unknown; plan: unknown; assigned: string[] }>();
    expect(again).toEqual({ id: created.id, zones, plan: created.plan, assigned: created.assigned });
    expect((await post(`/api/missions/${created.id}/launch`)).statusCode).toBe(409);
    expect((await post(`/api/missions/${created.id}/clear`)).json<MissionSummary>().status).toBe('cleared');
    expect((await post(`/api/missions/${created.id}/launch`)).json<MissionSummary>().status).toBe('running');
    // The audit log keeps who made it and each word of the operator's, not the refused launch.
    expect(audited.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['api', 'missionCreated', `mission ${created.id}`],
      ['api', 'mission clear', `mission ${created.id}`],
      ['api', 'mission launch', `mission ${created.id}`],
    ]);

    // Pause while a drone is spraying down a pass; the point where its pump stopped is kept.
    await waitFor(() => telemetry.some((t) => t.mode === 'mission' && t.pumpOn && t.flowLPerMin > 3 && (t.waypoint ?? 0) >= 2), 10_000, 'spraying');
    expect((await post(`/api/missions/${created.id}/pause`)).statusCode).toBe(200);
    await waitFor(() => manager.drones.views().every((d) => d.mode === 'paused' || d.mode === 'landed') && manager.drones.views().some((d) => d.mode === 'paused'), 5000, 'hovering');
    const pausedAt = telemetry.length;
    const spraying = telemetry.filter((t) => t.mode === 'mission' && t.pumpOn).at(-1)!;
    // The manager may see the pause before this spy does: each is its own broker client.
    const pausedReport = () => telemetry.filter((t) => t.droneId === spraying.droneId && t.mode === 'paused' && t.resume).at(-1);
    await waitFor(() => pausedReport() !== undefined, 5000, 'the pause with its resume point, as the spy sees it');
    const paused = pausedReport()!;
    expect(paused.pumpOn).toBe(false);
    expect((await post(`/api/missions/${created.id}/launch`)).statusCode).toBe(409);
    expect((await post(`/api/missions/${created.id}/resume`)).json<MissionSummary>().status).toBe('running');
    // Back at the kept point, on the same leg (not at item 1, qgc#5393), and spraying again there.
    const back = () => telemetry.slice(pausedAt).find((t) => t.droneId === paused.droneId && t.mode === 'mission');
    await waitFor(() => back() !== undefined, 5000, 'back on the leg');
    expect(back()!.sortie).toBe(paused.resume!.sortie);
    expect(back()!.waypoint).toBe(paused.resume!.waypoint);
    expect(distanceM(back()!, paused.resume!)).toBeLessThan(1);
    if (paused.resume!.waypoint === spraying.waypoint) expect(back()!.pumpOn).toBe(true);

    await waitFor(() => manager.get(created.id)!.status === 'done', 20_000, 'mission done');
    const done = await summary(created.id);
    expect(done.coveragePct).toBeGreaterThanOrEqual(97);
    expect(done.oversprayPct).toBeLessThan(3);
    expect(done.refills).toBeGreaterThanOrEqual(1);
    expect(done.sorties).toBeGreaterThanOrEqual(created.plan.properties.metrics.sorties);
    expect(done.drones.every((d) => d.state === 'done')).toBe(true);
    // The raster agrees with the summary and doses near the target.
    const raster = (await app.inject({ url: `/api/missions/${created.id}/coverage` })).json<{ width: number; height: number; doseLPerHa: number[]; targetDoseLPerHa: number }>();
    expect(raster.doseLPerHa).toHaveLength(raster.width * raster.height);
    const dosed = raster.doseLPerHa.filter((d) => d > 0).sort((a, b) => a - b);
    expect(dosed[Math.floor(dosed.length / 2)]!).toBeGreaterThan(15);
    expect(dosed[Math.floor(dosed.length / 2)]!).toBeLessThan(25);
    expect(done.log.some((l) => l.message.includes('done: coverage'))).toBe(true);
  });

  it('returns a drone home when its link stays down, and finishes the job after it comes back', async () => {
    const created = await createMission();
    await post(`/api/missions/${created.id}/clear`);
    await post(`/api/missions/${created.id}/launch`);
    const d1 = fleet.drones[0]!;
    await waitFor(() => d1.agent.pilot.mode === 'mission' && (d1.agent.pilot.waypoint ?? 0) >= 2, 10_000, 'drone 1 spraying');
    fleet.linkLoss(d1.id, 90);
    await waitFor(() => alerts.some((a) => a.kind === 'droneLinkLost' && a.drone === d1.id), 5000, 'link lost alert');
    await waitFor(() => d1.agent.pilot.mode === 'returning', 5000, 'failsafe return');
    await waitFor(() => d1.driver.landed, 10_000, 'landed');
    expect(distanceM(d1.driver.status(), pad)).toBeLessThan(5);
    await waitFor(() => manager.get(created.id)!.status === 'done', 20_000, 'mission done');
    const done = await summary(created.id);
    expect(done.coveragePct).toBeGreaterThanOrEqual(97);
    const lines = done.log.map((l) => l.message);
    expect(
      lines.some((l) => l.includes('linkLoss')),
      lines.join('\n'),
    ).toBe(true);
    // One radio drop is one link lost and one link back, not a reconnect loop of the client id's two streams.
    expect(
      lines.filter((l) => l.includes('link lost')),
      lines.join('\n'),
    ).toHaveLength(1);
  });

  it('holds sorties on the pad while the wind is above the limit and starts them when it calms', async () => {
    world.setWind({ speedMps: 9, gustMps: 0 });
    await waitFor(() => manager.drones.views().every((d) => d.windMps > 7), 5000, 'windy reports');
    const created = await createMission();
    await post(`/api/missions/${created.id}/clear`);
    const launched = (await post(`/api/missions/${created.id}/launch`)).json<MissionSummary>();
    expect(launched.status).toBe('running');
    expect(launched.windHold).toBe(true);
    expect(alerts.some((a) => a.kind === 'windTooStrong')).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // 60 s simulated
    expect(manager.drones.views().every((d) => d.mode === 'landed')).toBe(true);
    expect((await summary(created.id)).drones.every((d) => d.state === 'held')).toBe(true);
    world.setWind({ speedMps: 2 });
    await waitFor(() => manager.drones.views().some((d) => d.mode !== 'landed'), 5000, 'take-off after calm');
    expect((await summary(created.id)).windHold).toBe(false);
    expect((await post(`/api/missions/${created.id}/abort`)).json<MissionSummary>().status).toBe('aborted');
    await waitFor(() => fleet.drones.every((d) => d.driver.landed), 10_000, 'back on the pad after abort');
  });

  it('keeps only the newest finished missions in memory', async () => {
    const first = await createMission();
    await post(`/api/missions/${first.id}/abort`);
    const second = await createMission();
    expect((await app.inject({ url: '/api/missions' })).json<MissionSummary[]>().map((m) => m.id)).toEqual([first.id, second.id]);
    await post(`/api/missions/${second.id}/abort`);
    expect((await app.inject({ url: '/api/missions' })).json<MissionSummary[]>().map((m) => m.id)).toEqual([second.id]);
    expect((await app.inject({ url: `/api/missions/${first.id}` })).statusCode).toBe(404);
  });

  it('answers 400 naming the field for bad bodies and for zones the planner rejects, 404 for unknown missions', async () => {
    const bad = await post('/api/missions', { zones, drones: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues[0]!.path).toBe('body.drones');
    const noFence = await post('/api/missions', { zones: { ...zones, features: zones.features.filter((f) => f.properties.role !== 'geofence') } });
    expect(noFence.statusCode).toBe(400);
    expect(noFence.json<{ issues: { path: string }[] }>().issues[0]!.path).toMatch(/^body\.zones/);
    expect((await post('/api/missions/nope/launch')).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/missions/nope/plan' })).statusCode).toBe(404);
    const drones = (await app.inject({ url: '/api/drones' })).json<{ id: string; online: boolean }[]>();
    expect(drones.map((d) => d.id).sort()).toEqual([`${prefix}1`, `${prefix}2`]);
  });
});
