import { describe, expect, it } from 'vitest';
import type { CreateMissionBody, DroneTelemetry } from '../../protocol/index.js';
import { PLAN_LIMITS } from '../spray/index.js';
import { zonesFromMetres } from '../spray/test-helpers.js';
import { inProcessSprayPlanner, type SprayPlanner } from '../workers/index.js';
import type { KnownDrone } from './drone-registry.js';
import { newMission } from './new-mission.js';

type P = [number, number];
const rect = (x0: number, y0: number, x1: number, y1: number): P[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
/** A `lengthM` × `widthM` strip with a pad every `padEveryM` along its south side, and one drone on the first pad. */
function strip(lengthM: number, widthM: number, padEveryM: number) {
  const pads: P[] = [];
  for (let x = 5; x <= lengthM; x += padEveryM) pads.push([x, -10]);
  const zones = zonesFromMetres({ spray: [[rect(0, 0, lengthM, widthM)]], geofence: rect(-20, -20, lengthM + 20, widthM + 20), pads });
  const pad = zones.features.find((f) => f.properties.role === 'pad')!.geometry.coordinates as number[];
  const drone: KnownDrone = { id: 'drone-1', online: true, lastSeenMs: 0, telemetry: { lon: pad[0]!, lat: pad[1]!, mode: 'landed' } as DroneTelemetry };
  return { zones: zones as unknown as CreateMissionBody['zones'], drones: [drone] };
}
/** A planner that records whether it was asked. */
function watched(inner: SprayPlanner = inProcessSprayPlanner) {
  const calls: unknown[] = [];
  const planner: SprayPlanner = (args) => {
    calls.push(args);
    return inner(args);
  };
  return { planner, calls };
}

describe('newMission: work the planner cannot serve is refused before planning', () => {
  it('refuses a sprayable area over the limit with 400 naming the area and the limit, without planning', async () => {
    const { zones, drones } = strip(12_000, 1_000, 1_000); // 1,200 ha
    const w = watched();
    const r = await newMission('m', { zones }, drones, { nowMs: 0, planner: w.planner });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    if (r.ok) return;
    expect(r.message).toMatch(/sprayable area 1,200 ha is more than one plan can take \(1,000 ha\)/);
    expect(r.issues![0]!.path).toBe('body.zones.features');
    expect(w.calls).toHaveLength(0);
    expect(PLAN_LIMITS.maxSprayableM2).toBe(10_000_000);
  });

  it('refuses work needing more sorties than the limit (a small tank, a high dose), without planning', async () => {
    const { zones, drones } = strip(3_000, 300, 1_000); // 90 ha × 100 L/ha / 5 L = 1,800 sorties
    const w = watched();
    const r = await newMission('m', { zones, tankL: 5, doseLPerHa: 100 }, drones, { nowMs: 0, planner: w.planner });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    if (!r.ok) expect(r.message).toMatch(/needs at least 1800 sorties .* more than one plan can take \(1000\)/);
    expect(w.calls).toHaveLength(0);
  });

  it('plans the 10.5 km × 100 m road strip with pads along it', async () => {
    const { zones, drones } = strip(10_500, 100, 1_500);
    const w = watched();
    const r = await newMission('m', { zones }, drones, { nowMs: 0, planner: w.planner });
    expect(r.ok).toBe(true);
    expect(w.calls).toHaveLength(1);
  });

  it('answers 400 naming the zone, the pad and the reach when the pad is too far for any sortie', async () => {
    const { zones, drones } = strip(10_500, 100, 20_000); // one pad, at the west end
    const r = await newMission('m', { zones }, drones, { nowMs: 0, planner: inProcessSprayPlanner });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues![0]!.path).toBe('body.zones.features.0');
    expect(r.message).toMatch(/spray zone is out of reach: its point at lat [\d.]+, lon [\d.]+ is 10\.5 km from the nearest pad \(pad1\), and a sortie can reach 1\.9 km/);
  });

  it('names only the zone out of reach when another is in reach (by its name)', async () => {
    const zones = zonesFromMetres({ spray: [[rect(0, 0, 200, 100)], [rect(4_000, 0, 4_100, 100)]], geofence: rect(-20, -20, 4_120, 120), pads: [[5, -10]] });
    zones.features[1]!.properties = { role: 'spray', name: 'car park' } as never;
    const { drones } = strip(200, 100, 1_000);
    const r = await newMission('m', { zones: zones as unknown as CreateMissionBody['zones'] }, drones, { nowMs: 0, planner: inProcessSprayPlanner });
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    if (r.ok) return;
    expect(r.issues!.map((i) => i.path)).toEqual(['body.zones.features.1']);
    expect(r.message).toMatch(/spray zone "car park" is out of reach: .* 4\.1 km from the nearest pad \(pad1\)/);
  });

  it('passes a planner thread that ran out of time or memory on as 400, a stopping controller as 503', async () => {
    const { zones, drones } = strip(1_000, 100, 500);
    const failing =
      (status: 400 | 503, message: string): SprayPlanner =>
      async () => ({ ok: false, status, errors: [{ path: 'features', message }] });
    const slow = await newMission('m', { zones }, drones, { nowMs: 0, planner: failing(400, 'planning these zones took longer than its 60 s budget') });
    expect(slow).toMatchObject({ ok: false, kind: 'invalid', message: 'body.zones.features: planning these zones took longer than its 60 s budget' });
    expect(await newMission('m', { zones }, drones, { nowMs: 0, planner: failing(503, 'planning stopped') })).toMatchObject({ ok: false, kind: 'unavailable' });
  });
});
