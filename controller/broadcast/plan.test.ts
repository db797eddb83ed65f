import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsPoint } from '../spray/geometry/polygon.js';
import { zonesFromMetres } from '../spray/test-helpers.js';
import type { Vec2 } from '../spray/geometry/types.js';
import { CHECKPOINT_ACOUSTICS, hearingRangeM, levelAtDb, planBroadcast, speechSeconds, SPEAKER_QUAD, validateRoadFile, type BroadcastOptions, type BroadcastPlan } from './index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHECKPOINT = path.join(ROOT, 'sites/broadcast/checkpoint.geojson');
const file = () => JSON.parse(readFileSync(CHECKPOINT, 'utf8')) as { type: string; features: Array<{ properties: { role: string }; geometry: { type: string; coordinates: unknown } }> };
const OPTIONS: BroadcastOptions = { side: 'left', heightM: 15, offsetM: 20, messageS: 16 };

const planned = (input: unknown, options: Partial<BroadcastOptions> = {}): BroadcastPlan => {
  const r = planBroadcast(input, { ...OPTIONS, ...options });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
};

/** Signed distance of `q` from the road (positive on the left, looking along it as drawn), from the nearest segment. */
function sideOf(road: Vec2[], q: Vec2): number {
  let best = { d: Infinity, signed: 0 };
  for (let i = 1; i < road.length; i++) {
    const [a, b] = [road[i - 1]!, road[i]!];
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const t = Math.max(0, Math.min(1, ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    const d = Math.hypot(q[0] - a[0] - t * dx, q[1] - a[1] - t * dy);
    if (d < best.d) best = { d, signed: Math.sign(dx * (q[1] - a[1]) - dy * (q[0] - a[0])) * d };
  }
  return best.signed;
}

/** The checks a plan must pass whatever the planner does inside, measured here on the file's own geometry. */
function check(input: unknown, plan: BroadcastPlan, options: BroadcastOptions) {
  const v = validateRoadFile(input);
  if (!v.ok) throw new Error('file refused');
  const { zones, projection, road } = v.file;
  const stops = plan.stops.map((s) => projection.toLocal(s.lon, s.lat));
  const range = hearingRangeM({ ...CHECKPOINT_ACOUSTICS, ...options.acoustics });
  for (const q of stops) {
    const signed = sideOf(road, q);
    expect(options.side === 'left' ? signed : -signed).toBeGreaterThan(0.8 * options.offsetM - 1e-6);
    expect(containsPoint(zones.geofence, q)).toBe(true);
    expect(containsPoint(zones.keepout, q)).toBe(false);
  }
  // Every half metre of the road within the hearing range (slant, height included) of some stop.
  let deaf = 0;
  for (let i = 1; i < road.length; i++) {
    const [a, b] = [road[i - 1]!, road[i]!];
    const steps = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 0.5);
    for (let k = 0; k <= steps; k++) {
      const p: Vec2 = [a[0] + ((b[0] - a[0]) * k) / steps, a[1] + ((b[1] - a[1]) * k) / steps];
      if (!stops.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1], options.heightM) <= range + 1e-6)) deaf++;
    }
  }
  expect(deaf).toBe(0);
  // Each stop flown once, in road order, each sortie within the endurance less the reserve.
  expect(plan.sorties.flatMap((s) => s.stops)).toEqual(plan.stops.map((_, i) => i));
  for (const s of plan.sorties) {
    expect(s.flightS).toBeLessThanOrEqual(SPEAKER_QUAD.enduranceS * (1 - SPEAKER_QUAD.reservePct / 100));
    expect(s.flightS).toBeGreaterThan(s.stops.length * plan.hoverS + s.distanceM / SPEAKER_QUAD.cruiseMps - 1e-6);
    // The flown path leaves from and comes back to its pad, and passes over each of its stops.
    const pad = zones.pads.find((p) => p.name === s.pad)!;
    const path = s.path.map((p) => projection.toLocal(p.lon, p.lat));
    expect(Math.hypot(path[0]![0] - pad.p[0], path[0]![1] - pad.p[1])).toBeLessThan(0.01);
    expect(Math.hypot(path.at(-1)![0] - pad.p[0], path.at(-1)![1] - pad.p[1])).toBeLessThan(0.01);
    for (const i of s.stops) expect(path.some((p) => Math.hypot(p[0] - stops[i]![0], p[1] - stops[i]![1]) < 0.01)).toBe(true);
    // Hovers one after the other, the last over before the flight ends.
    expect(s.hoverStartsS).toHaveLength(s.stops.length);
    s.hoverStartsS.forEach((t, k) => k > 0 && expect(t).toBeGreaterThanOrEqual(s.hoverStartsS[k - 1]! + plan.hoverS));
    expect(s.hoverStartsS.at(-1)! + plan.hoverS).toBeLessThan(s.flightS);
  }
}

describe('broadcast planner', () => {
  it('hears the whole queue from stops on the chosen side, inside the fence and out of the keepout, within the battery', () => {
    for (const side of ['left', 'right'] as const) {
      const plan = planned(file(), { side });
      check(file(), plan, { ...OPTIONS, side });
      // 2.66 km heard ~160 m either side of each stop: nine stops, not one per 100 m.
      expect(plan.stops.length).toBeLessThanOrEqual(10);
    }
  });

  it('moves a stop off the filling station on the left verge; without the keepout one stands in it', () => {
    const input = file();
    const station = input.features.find((f) => f.properties.role === 'keepout')!;
    const without = { ...input, features: input.features.filter((f) => f !== station) };
    const v = validateRoadFile(input);
    if (!v.ok) throw new Error('file refused');
    const inStation = (plan: BroadcastPlan) => plan.stops.some((s) => containsPoint(v.file.zones.keepout, v.file.projection.toLocal(s.lon, s.lat)));
    expect(inStation(planned(without))).toBe(true);
    expect(inStation(planned(input))).toBe(false);
  });

  it('splits long hovers into several sorties, each within the battery', () => {
    const plan = planned(file(), { hoverS: 300 });
    expect(plan.sorties.length).toBeGreaterThan(1);
    check(file(), plan, { ...OPTIONS, hoverS: 300 });
  });

  it('refuses what it cannot fly, naming the field or the feature', () => {
    const input = file();
    const errors = (i: unknown, o: Partial<BroadcastOptions> = {}) => {
      const r = planBroadcast(i, { ...OPTIONS, ...o });
      return r.ok ? [] : r.errors;
    };
    expect(errors(input, { hoverS: 10 })).toEqual([expect.objectContaining({ path: 'hoverS' })]);
    expect(errors(input, { heightM: 100, acoustics: { levelAt1mDb: 110 } })[0]).toMatchObject({
      path: 'acoustics',
      message: expect.stringMatching(/understood up to \d+ m, but the nearest car is 102 m/),
    });
    const noRoad = { ...input, features: input.features.filter((f) => f.properties.role !== 'road') };
    expect(errors(noRoad)[0]!.message).toMatch(/exactly one road/);
    // A spray zone keeps its own index in the file; a road leaving the fence is named at its position.
    const road = input.features.findIndex((f) => f.properties.role === 'road');
    const keepout = input.features.findIndex((f) => f.properties.role === 'keepout');
    const spray = structuredClone(input);
    spray.features[keepout]!.properties.role = 'spray';
    expect(errors(spray)).toContainEqual(expect.objectContaining({ path: `features.${keepout}.properties.role` }));
    // Limits of the operator's choices, and a hover no flight can hold.
    expect(errors(input, { heightM: 2 })[0]).toMatchObject({ path: 'heightM' });
    expect(errors(input, { offsetM: 1 })[0]).toMatchObject({ path: 'offsetM' });
    expect(errors(input, { acoustics: { levelAt1mDb: 200 } })[0]).toMatchObject({ path: 'acoustics.levelAt1mDb' });
    expect(errors(input, { hoverS: 1400 })[0]).toMatchObject({ path: 'hoverS', message: expect.stringMatching(/more than a flight allows/) });
    // An L-shaped fence: a road whose positions are inside but whose straight stretch cuts the corner.
    const ky = (Math.PI / 180) * 6_371_008.8;
    const kx = ky * Math.cos((22.72 * Math.PI) / 180);
    const ll = ([x, y]: [number, number]) => [114.25 + x / kx, 22.72 + y / ky];
    const corner = zonesFromMetres({
      spray: [],
      geofence: [
        [0, 0],
        [1000, 0],
        [1000, 200],
        [200, 200],
        [200, 1000],
        [0, 1000],
      ],
      pads: [[100, 150]],
    });
    const withRoad = (points: [number, number][]) => ({
      ...corner,
      features: [...corner.features, { type: 'Feature', properties: { role: 'road' }, geometry: { type: 'LineString', coordinates: points.map(ll) } }],
    });
    expect(
      errors(
        withRoad([
          [100, 900],
          [100, 100],
          [900, 100],
        ]),
      ),
    ).toEqual([]);
    expect(
      errors(
        withRoad([
          [100, 900],
          [900, 100],
        ]),
      ),
    ).toEqual([expect.objectContaining({ path: 'features.2.geometry.coordinates.1', message: expect.stringMatching(/on its way to this position/) })]);
    const far = structuredClone(input);
    (far.features[road]!.geometry.coordinates as number[][]).push([114.0, 22.6]);
    expect(errors(far)).toEqual([expect.objectContaining({ path: `features.${road}.geometry.coordinates.5`, message: expect.stringMatching(/leaves the geofence/) })]);
  });
});

describe('broadcast flown forward', () => {
  /** Seconds each road metre hears the drone on its sortie's forward line, measured here on the plan's line (every 10 m). */
  const heardS = (input: unknown, plan: BroadcastPlan, options: BroadcastOptions) => {
    const v = validateRoadFile(input);
    if (!v.ok) throw new Error('file refused');
    const { projection, road } = v.file;
    const range = hearingRangeM({ ...CHECKPOINT_ACOUSTICS, ...options.acoustics });
    const lines = plan.sorties.map((s) => s.broadcastPath!.map((p) => projection.toLocal(p.lon, p.lat)));
    const heard = (car: Vec2, line: Vec2[]) => {
      let m = 0;
      for (let k = 1; k < line.length; k++) {
        const [a, b] = [line[k - 1]!, line[k]!];
        const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
        const steps = Math.max(1, Math.ceil(len));
        for (let j = 0; j < steps; j++) {
          const p: Vec2 = [a[0] + ((b[0] - a[0]) * (j + 0.5)) / steps, a[1] + ((b[1] - a[1]) * (j + 0.5)) / steps];
          if (Math.hypot(p[0] - car[0], p[1] - car[1], options.heightM) <= range) m += len / steps;
        }
      }
      return m / plan.forwardMps!;
    };
    const out: number[] = [];
    for (let i = 1; i < road.length; i++) {
      const [a, b] = [road[i - 1]!, road[i]!];
      const steps = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 5);
      for (let k = 0; k < steps; k++) {
        const car: Vec2 = [a[0] + ((b[0] - a[0]) * k) / steps, a[1] + ((b[1] - a[1]) * k) / steps];
        out.push(Math.max(...lines.map((line) => heard(car, line))));
      }
    }
    return out;
  };

  it('flies beside the whole road on the chosen side, every car within hearing for two playings of one sortie, within the battery', () => {
    const input = file();
    for (const side of ['left', 'right'] as const) {
      const options: BroadcastOptions = { ...OPTIONS, side, forwardMps: 3 };
      const plan = planned(input, options);
      expect(plan.stops).toEqual([]);
      expect(plan.sorties[0]!.alongFromM).toBe(0);
      expect(plan.sorties.at(-1)!.alongToM).toBeCloseTo(plan.roadM, 0);
      plan.sorties.forEach((s, k) => k > 0 && expect(s.alongFromM).toBe(plan.sorties[k - 1]!.alongToM));
      for (const s of plan.sorties) expect(s.flightS).toBeLessThanOrEqual(SPEAKER_QUAD.enduranceS * (1 - SPEAKER_QUAD.reservePct / 100));
      // On the chosen side, inside the fence, out of the keepout (the line detours round the filling station on the left).
      const v = validateRoadFile(input);
      if (!v.ok) throw new Error('file refused');
      for (const p of plan.sorties.flatMap((s) => s.broadcastPath!)) {
        const q = v.file.projection.toLocal(p.lon, p.lat);
        expect(side === 'left' ? sideOf(v.file.road, q) : -sideOf(v.file.road, q)).toBeGreaterThan(0);
        expect(containsPoint(v.file.zones.geofence, q)).toBe(true);
        expect(containsPoint(v.file.zones.keepout, q)).toBe(false);
      }
      // The line is kept every 10 m here: a few metres of slack on the time measured.
      expect(Math.min(...heardS(input, plan, options))).toBeGreaterThanOrEqual(2 * OPTIONS.messageS - 10 / 3);
    }
  });

  it('splits a slow flight into sorties that join end to end', () => {
    const plan = planned(file(), { ...OPTIONS, forwardMps: 1.5 });
    expect(plan.sorties.length).toBeGreaterThanOrEqual(2);
    plan.sorties.forEach((s, k) => k > 0 && expect(s.alongFromM).toBe(plan.sorties[k - 1]!.alongToM));
    expect(Math.min(...heardS(file(), plan, { ...OPTIONS, forwardMps: 1.5 }))).toBeGreaterThanOrEqual(2 * OPTIONS.messageS - 10 / 1.5);
  });

  it('refuses a speed at which a car hears less than two playings, saying the fastest on a straight road', () => {
    const r = planBroadcast(file(), { ...OPTIONS, forwardMps: 6 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.path).toBe('forwardMps');
    const fastest = Number(/fly at most ([\d.]+) m\/s/.exec(r.errors[0]!.message)?.[1]);
    // reachAlong / (2 × 16 s): about 5 m/s at 15 m up and 20 m aside; the plan at that speed passes.
    expect(fastest).toBeGreaterThan(4);
    expect(fastest).toBeLessThan(6);
    expect(planBroadcast(file(), { ...OPTIONS, forwardMps: fastest - 0.2 }).ok).toBe(true);
    expect(planBroadcast(file(), { ...OPTIONS, forwardMps: 0 }).ok).toBe(false);
  });
});

describe('the acoustic model', () => {
  it('finds the range where the speech falls to the noise plus the margin, and times speech in both languages', () => {
    const r = hearingRangeM(CHECKPOINT_ACOUSTICS);
    expect(levelAtDb(CHECKPOINT_ACOUSTICS, r)).toBeCloseTo(CHECKPOINT_ACOUSTICS.noiseDb + CHECKPOINT_ACOUSTICS.snrDb, 3);
    expect(hearingRangeM({ ...CHECKPOINT_ACOUSTICS, levelAt1mDb: 126 })).toBeGreaterThan(1.8 * r); // +6 dB ≈ twice the distance, less absorption
    expect(hearingRangeM({ ...CHECKPOINT_ACOUSTICS, levelAt1mDb: 70 })).toBe(0);
    expect(speechSeconds('请扫码申报')).toBeCloseTo(5 / 4);
    expect(speechSeconds('Please scan the code.')).toBeCloseTo(4 / 2.5);
  });
});

describe('npm run plan-broadcast', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'controller/broadcast/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  it('prints the stops and sorties as GeoJSON, and names a bad flag', () => {
    const ok = cli(CHECKPOINT, '--json', '--side', 'right', '--qr', 'https://example.org/declare');
    expect(ok.status, ok.stderr).toBe(0);
    const fc = JSON.parse(ok.stdout) as { properties: { stops: number; side: string; qr: string }; features: Array<{ properties: { kind: string } }> };
    expect(fc.properties).toMatchObject({ side: 'right', qr: 'https://example.org/declare' });
    expect(fc.features.filter((f) => f.properties.kind === 'stop')).toHaveLength(fc.properties.stops);
    const bad = cli(CHECKPOINT, '--side', 'up');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('plan-broadcast: --side is left or right (looking along the road as drawn), got up');
  }, 90_000); // two processes, each starting tsx: seconds on a busy machine
});
