import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { distanceM, localFrame, type BroadcastSummary } from '../../protocol/index.js';
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
    // A plain id for URLs and files, whatever the clock's fraction of a millisecond.
    expect(summary.id).toMatch(/^broadcast-\d+-[0-9a-z]{1,4}$/);
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
  }, 150_000);

  it('flies a forward broadcast: each sortie flies its planned line beside the road at the chosen speed, playing from its start to its end, and every metre of road was passed playing', async () => {
    // 1.5 m/s: the 2.66 km road in two sorties (22.5 + 18.3 min), a battery swap between. About
    // 15 s of wall time at ×200, past Vitest's 30 s on a loaded machine: the test allows its wait.
    const created = await post('/api/broadcasts', { ...body, forwardMps: 1.5 });
    expect(created.statusCode, created.body).toBe(201);
    type Line = { properties: { kind: string; sortie: number }; geometry: { coordinates: Array<[number, number]> } };
    const { summary, plan } = created.json<{ summary: BroadcastSummary; plan: { properties: { forwardMps?: number }; features: Line[] } }>();
    expect(plan.properties.forwardMps).toBe(1.5);
    expect(summary.stops).toBe(0);
    expect(summary.sorties).toBe(2);
    const lines = plan.features.filter((f) => f.properties.kind === 'line').map((f) => f.geometry.coordinates.map(([lon, lat]) => ({ lat, lon })));
    expect(lines).toHaveLength(2);
    expect((await post(`/api/broadcasts/${summary.id}/launch`)).json<BroadcastSummary>().status).toBe('running');
    let seenPlaying: string | null = null;
    await waitFor(
      async () => {
        const s = (await app.inject({ url: `/api/broadcasts/${summary.id}` })).json<BroadcastSummary>();
        seenPlaying ??= s.playing;
        return s.status === 'done';
      },
      120_000,
      'forward broadcast done',
    );
    expect(seenPlaying).toBe(message.text);

    // Metres east/north of the gate: the flown lines by their length along, the road every metre.
    const frame = localFrame(22.61, 114.05);
    const xy = (p: { lat: number; lon: number }) => frame.toLocal(p.lat, p.lon);
    const flown = lines.map((l) => l.map(xy));
    /** The nearest point of the flown lines (or of sortie `only`'s) to `q`: which sortie's line, and how far along it, m. */
    const nearest = (q: { x: number; y: number }, only?: number) => {
      let best = { sortie: -1, alongM: 0, d: Infinity };
      flown.forEach((line, sortie) => {
        if (only !== undefined && sortie !== only) return;
        let cum = 0;
        for (let k = 1; k < line.length; k++) {
          const a = line[k - 1]!;
          const b = line[k]!;
          const len = Math.hypot(b.x - a.x, b.y - a.y);
          const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) / (len * len)));
          const d = Math.hypot(a.x + t * (b.x - a.x) - q.x, a.y + t * (b.y - a.y) - q.y);
          if (d < best.d) best = { sortie, alongM: cum + t * len, d };
          cum += len;
        }
      });
      return best;
    };
    const lengthOf = (line: Array<{ x: number; y: number }>) => line.slice(1).reduce((m, p, k) => m + Math.hypot(p.x - line[k]!.x, p.y - line[k]!.y), 0);

    // The payload's log: one playing per sortie, over and over, from its line's start to its end, nothing in between.
    const log = fleet.drones[0]!.driver.payload!.log.filter((e) => e.action === 'play' || e.action === 'stopPlaying');
    expect(log.map((e) => e.action)).toEqual(['play', 'stopPlaying', 'play', 'stopPlaying']);
    const played = lines.map((line, k) => {
      const [start, stop] = [log[2 * k]!, log[2 * k + 1]!];
      expect(start.repeat).toBe(true);
      expect(start.message).toEqual(message);
      expect(distanceM(start, line[0]!), `sortie ${k} starts playing at its line's start`).toBeLessThan(1);
      expect(distanceM(stop, line.at(-1)!), `sortie ${k} stops playing at its line's end`).toBeLessThan(1);
      expect(start.altM).toBeCloseTo(15, 0);
      // Flown at the broadcast speed while playing (not at the 10 m/s cruise).
      const mps = lengthOf(flown[k]!) / ((stop.atMs - start.atMs) / 1000);
      expect(mps).toBeGreaterThan(1.35);
      expect(mps).toBeLessThan(1.65);
      return { from: nearest(xy(start), k), to: nearest(xy(stop), k) };
    });

    // Every metre of road: the nearest point of the flown lines lies between where its sortie started and stopped playing.
    const roadLine = (road.features.find((f) => (f.properties as { role: string }).role === 'road')!.geometry as { coordinates: Array<[number, number]> }).coordinates.map(([lon, lat]) =>
      xy({ lat, lon }),
    );
    let metres = 0;
    for (let k = 1; k < roadLine.length; k++) {
      const a = roadLine[k - 1]!;
      const b = roadLine[k]!;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      for (let m = 0; m < len; m++, metres++) {
        const n = nearest({ x: a.x + ((b.x - a.x) * m) / len, y: a.y + ((b.y - a.y) * m) / len });
        const p = played[n.sortie]!;
        expect(n.alongM, `road metre ${metres}`).toBeGreaterThanOrEqual(p.from.alongM - 1);
        expect(n.alongM, `road metre ${metres}`).toBeLessThanOrEqual(p.to.alongM + 1);
      }
    }
    expect(metres).toBeGreaterThan(2600);
  }, 150_000);

  it('takes an uploaded recording (audio/wav), reads its length, serves it to the payload, and plans its broadcast on that length; refuses another type, a file not of its type, and one too big', async () => {
    const wav = pcmWav(2.5);
    const up = await app.inject({ method: 'POST', url: '/api/broadcasts/audio', headers: { 'content-type': 'audio/wav' }, payload: wav });
    expect(up.statusCode, up.body).toBe(201);
    const audio = up.json<{ url: string; durationS: number; type: string; bytes: number }>();
    expect(audio).toMatchObject({ durationS: 2.5, type: 'audio/wav', bytes: wav.length });
    const served = await app.inject({ url: new URL(audio.url).pathname });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('audio/wav');
    expect(Buffer.compare(served.rawPayload, wav)).toBe(0);
    // Its length sets the hover: two playings of 2.5 s.
    const created = await post('/api/broadcasts', { ...body, message: { kind: 'audio', url: audio.url, durationS: audio.durationS } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<{ plan: { properties: { messageS: number; hoverS: number } } }>().plan.properties).toMatchObject({ messageS: 2.5, hoverS: 5 });

    const text = await app.inject({ method: 'POST', url: '/api/broadcasts/audio', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json<{ message: string }>().message).toContain('audio/mpeg, audio/wav, audio/ogg');
    const mislabelled = await app.inject({ method: 'POST', url: '/api/broadcasts/audio', headers: { 'content-type': 'audio/mpeg' }, payload: wav });
    expect(mislabelled.statusCode).toBe(400);
    expect(mislabelled.json<{ issues: Array<{ path: string }> }>().issues[0]!.path).toBe('body');
    const garbage = await app.inject({ method: 'POST', url: '/api/broadcasts/audio', headers: { 'content-type': 'audio/ogg' }, payload: Buffer.alloc(4096, 7) });
    expect(garbage.statusCode).toBe(400);
    const big = await app.inject({ method: 'POST', url: '/api/broadcasts/audio', headers: { 'content-type': 'audio/wav' }, payload: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(big.statusCode).toBe(413);
    expect((await app.inject({ url: `/api/broadcasts/audio/${'0'.repeat(64)}` })).statusCode).toBe(404);
  });

  it('refuses a bad body naming the field, and a road no drone can broadcast', async () => {
    const bad = await post('/api/broadcasts', { ...body, message: { kind: 'text', text: '', lang: 'zh' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('message.text');
    const noRoad = await post('/api/broadcasts', { ...body, road: { ...road, features: road.features.filter((f) => (f.properties as { role: string }).role !== 'road') } });
    expect(noRoad.statusCode).toBe(400);
    expect(noRoad.json<{ issues: Array<{ path: string }> }>().issues[0]!.path).toBe('body.road.features');
    const both = await post('/api/broadcasts', { ...body, hoverS: 60, forwardMps: 3 });
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain('forwardMps');
    // A minute-long recording: two playings need 120 s within hearing of the drone, which 6 m/s does not give.
    const tooFast = await post('/api/broadcasts', { ...body, message: { kind: 'audio', url: 'https://decl.example/call.mp3', durationS: 60 }, forwardMps: 6 });
    expect(tooFast.statusCode).toBe(400);
    expect(tooFast.json<{ issues: Array<{ path: string; message: string }> }>().issues[0]).toMatchObject({ path: 'body.forwardMps', message: expect.stringContaining('too fast') });
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

/** A mono 8 kHz 16-bit PCM WAV of silence lasting `seconds`. */
function pcmWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Math.round(seconds * rate) * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return b;
}
