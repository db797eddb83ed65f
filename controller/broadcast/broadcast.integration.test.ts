import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { distanceM, type BroadcastSummary } from '../../protocol/index.js';
import { padsFromZones, SimDroneWorld, SPEAKER_QUAD_SIM_PROFILE, startSimDroneFleet, type SimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { replyWithFieldPaths } from '../api/validation-errors.js';
import { DroneRegistry } from '../missions/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { PlannerPool } from '../workers/index.js';
import { BroadcastManager, broadcastRoutes, threadBroadcastPlanner } from './index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The 2.66 km checkpoint queue: road, geofence, a filling station keepout, one pad at the gate. */
const road = JSON.parse(readFileSync(path.join(ROOT, 'sites/broadcast/checkpoint.geojson'), 'utf8')) as { type: 'FeatureCollection'; features: Array<Record<string, unknown>> };
const message = { kind: 'text' as const, text: '请扫描无人机上的二维码，填写健康申报。Please scan the QR code and declare before the checkpoint.', lang: 'zh' as const };
const body = { road, side: 'left', heightM: 15, offsetM: 20, message, qr: 'https://decl.example/q/g4' };

describe('broadcast mission through a real broker', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let app: FastifyInstance;
  let fleet: SimDroneFleet;
  let mqtt: MqttClient;
  let prefix: string;

  beforeEach(async () => {
    broker = await brokerForTests();
    prefix = `${uniqueManufacturer('b')}-`;
    const clock = new ScaledClock(200);
    mqtt = await connectMqtt(broker.url, { clientId: `${prefix}controller` });
    const log = { info: () => {}, warn: () => {} };
    const drones = new DroneRegistry(mqtt, clock, log, prefix);
    await drones.start();
    // Planned in a planner thread, as the controller plans.
    const pool = new PlannerPool({ threads: 1 });
    const manager = new BroadcastManager({ mqtt, clock, log, drones, planner: threadBroadcastPlanner(pool) });
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    replyWithFieldPaths(app);
    await app.register(broadcastRoutes, { manager });
    app.addHook('onClose', async () => {
      manager.close();
      await pool.close();
      drones.stop();
      await mqtt.endAsync();
    });
    const world = new SimDroneWorld({ clock, pads: padsFromZones(road as never), seed: 5, serviceS: 60 });
    fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 1, idPrefix: prefix, reconnectPeriodMs: 50, broadcast: true, profile: SPEAKER_QUAD_SIM_PROFILE });
    await waitFor(() => drones.get(`${prefix}1`)?.telemetry?.mode === 'landed', 5000, 'the drone on its pad');
  });
  afterEach(async () => {
    await fleet.stop();
    await app.close();
    await broker.close();
  });

  const post = (url: string, payload?: object) => app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });

  it("flies the operator's planned broadcast over two sorties: the simulated drone plays the message at every planned stop, for the hover, with the QR shown", async () => {
    // 150 s at each of the 9 stops is more than one flight's 22.5 min (30 less the 25 % reserve): two sorties, a battery swap between.
    const created = await post('/api/broadcasts', { ...body, hoverS: 150 });
    expect(created.statusCode, created.body).toBe(201);
    const { summary, plan } = created.json<{
      summary: BroadcastSummary;
      plan: { features: Array<{ properties: { kind: string; hoverS: number }; geometry: { coordinates: [number, number] } }> };
    }>();
    expect(summary.droneId).toBe(`${prefix}1`);
    const stops = plan.features.filter((f) => f.properties.kind === 'stop');
    expect(stops.length).toBe(summary.stops);
    expect(stops.length).toBeGreaterThanOrEqual(5);
    expect(summary.sorties).toBe(2);
    const launched = await post(`/api/broadcasts/${summary.id}/launch`);
    expect(launched.json<BroadcastSummary>().status).toBe('running');
    // Mid-flight the summary says what plays now.
    let seenPlaying: string | null = null;
    await waitFor(
      async () => {
        const s = (await app.inject({ url: `/api/broadcasts/${summary.id}` })).json<BroadcastSummary>();
        seenPlaying ??= s.playing;
        return s.status === 'done';
      },
      120_000,
      'broadcast done',
    );
    expect(seenPlaying).toBe(message.text);

    const log = fleet.drones[0]!.driver.payload!.log;
    const plays = log.flatMap((e, i) => {
      if (e.action !== 'play') return [];
      const until = log.slice(i + 1).find((x) => x.action === 'stopPlaying');
      return [{ ...e, forS: until ? (until.atMs - e.atMs) / 1000 : 0 }];
    });
    // A playing at every planned stop, in order: within 1 m of it, at the planned height, for the whole hover.
    expect(plays).toHaveLength(stops.length);
    stops.forEach((stop, i) => {
      const [lon, lat] = stop.geometry.coordinates;
      expect(distanceM(plays[i]!, { lat, lon }), `stop ${i}`).toBeLessThan(1);
      expect(plays[i]!.altM).toBeCloseTo(15, 0);
      expect(plays[i]!.message).toEqual(message);
      expect(plays[i]!.forS).toBeGreaterThanOrEqual(stop.properties.hoverS - 1);
    });
    // The QR was on the display from before the first stop until the landing.
    const shown = log.findIndex((e) => e.action === 'show' && e.qr === body.qr);
    expect(shown).toBeGreaterThanOrEqual(0);
    expect(shown).toBeLessThan(log.findIndex((e) => e.action === 'play'));
    // Blank on the ground: after each landing, and shown again for the second sortie.
    expect(log.filter((e) => e.action === 'clearDisplay').every((e) => e.altM === 0)).toBe(true);
    expect(log.filter((e) => e.action === 'show')).toHaveLength(2);
    expect(log.at(-1)?.action).toBe('clearDisplay');
    const final = (await app.inject({ url: `/api/broadcasts/${summary.id}` })).json<BroadcastSummary>();
    expect(final.stopsPlayed).toEqual(stops.map((_, i) => i));
  });

  it('refuses a bad body naming the field, and a road no drone can broadcast', async () => {
    const bad = await post('/api/broadcasts', { ...body, message: { kind: 'text', text: '', lang: 'zh' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('message.text');
    const noRoad = await post('/api/broadcasts', { ...body, road: { ...road, features: road.features.filter((f) => (f.properties as { role: string }).role !== 'road') } });
    expect(noRoad.statusCode).toBe(400);
    expect(noRoad.json<{ issues: Array<{ path: string }> }>().issues[0]!.path).toBe('body.road.features');
    const tooHigh = await post('/api/broadcasts', { ...body, heightM: 200 });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.body).toContain('heightM');
    // The only speaker drone is taken by the first broadcast.
    expect((await post('/api/broadcasts', body)).statusCode).toBe(201);
    const second = await post('/api/broadcasts', body);
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('no idle drone with a speaker');
  });
});
