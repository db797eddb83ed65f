import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureCoverage } from './metrics/raster.js';
import { planSpray } from './plan.js';
import { T20_PROFILE } from './profile.js';
import { invariantViolations, zonesFromMetres } from './test-helpers.js';

type P = [number, number];
const rect = (x: number, y: number, w: number, h: number): P[] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];

describe('planSpray on fixed zones', () => {
  const zones = zonesFromMetres({
    spray: [
      [
        [
          [0, 0],
          [260, 0],
          [260, 90],
          [110, 90],
          [110, 240],
          [0, 240],
        ],
        rect(30, 30, 25, 20).reverse(),
      ],
    ],
    keepouts: [rect(150, 30, 40, 25), rect(40, 150, 30, 30), rect(95, 80, 30, 30)],
    geofence: [
      [-20, -20],
      [280, -20],
      [280, 110],
      [130, 110],
      [130, 260],
      [-20, 260],
    ],
    pads: [
      [-10, -10],
      [270, 100],
    ],
  });
  const res = planSpray(zones, T20_PROFILE, { drones: 3 });
  it('plans', () => expect(res.ok).toBe(true));
  if (!res.ok) return;
  const plan = res.plan;
  it('keeps every invariant checked by turf', () => {
    expect(invariantViolations(zones, plan)).toEqual([]);
  });
  it('covers ≥ 99.5 % with ≤ 0.5 % overspray (rasterised)', () => {
    const c = measureCoverage(zones, plan, 0.5);
    expect(c.coveragePct).toBeGreaterThanOrEqual(99.5);
    expect(c.oversprayPct).toBeLessThanOrEqual(0.5);
    expect(c.keepoutSprayedM2).toBe(0);
  });
  it('never carries more than a tank and sprays the dose (partial-width legs at their own width)', () => {
    const all = plan.drones.flatMap((d) => d.sorties);
    for (const s of all) expect(s.sprayL).toBeLessThanOrEqual(T20_PROFILE.tankL + 1e-9);
    const litres = all.reduce((a, s) => a + s.sprayL, 0);
    // Litres rebuilt from the waypoints alone: length × effective swath × dose, and the flow must be
    // the dose at that speed and width.
    const ky = (Math.PI / 180) * 6_371_008.8;
    const kx = ky * Math.cos((22.72 * Math.PI) / 180);
    let expected = 0;
    let partial = 0;
    for (const s of all)
      for (let i = 0; i + 1 < s.waypoints.length; i++) {
        const w = s.waypoints[i]!;
        const n = s.waypoints[i + 1]!;
        if (!w.spray) continue;
        const width = w.swathM ?? plan.swathM;
        if (w.swathM !== undefined) partial++;
        expect(width).toBeLessThanOrEqual(plan.swathM);
        expect(w.flowLPerMin).toBeCloseTo(T20_PROFILE.doseLPerHa * w.speedMps * width * 0.006, 9);
        expected += (Math.hypot((n.lon - w.lon) * kx, (n.lat - w.lat) * ky) * width * T20_PROFILE.doseLPerHa) / 1e4;
      }
    expect(partial).toBeGreaterThan(0);
    expect(Math.abs(litres - expected) / expected).toBeLessThan(1e-3);
  });
  it('resumes a cut spray pass exactly where the previous sortie stopped', () => {
    for (const d of plan.drones)
      for (let k = 0; k + 1 < d.sorties.length; k++) {
        const w = d.sorties[k]!.waypoints;
        const lastSpray = w.findLastIndex((p) => p.spray);
        const end = w[lastSpray + 1]!; // where the pump went off
        const next = d.sorties[k + 1]!.waypoints.find((p) => p.spray)!;
        // Either the very same point (cut inside a pass) or a pass boundary; a cut never loses area,
        // which the coverage test checks; here: tank-limited cuts resume at the same point.
        if (d.sorties[k]!.sprayL > T20_PROFILE.tankL - 1e-6) {
          expect(Math.abs(end.lat - next.lat) + Math.abs(end.lon - next.lon)).toBeLessThan(1e-9);
        }
      }
  });
  it('is pure: the same input gives the same plan', () => {
    const again = planSpray(zones, T20_PROFILE, { drones: 3 });
    expect(again).toEqual(res);
  });
});

describe('planSpray on the park', () => {
  it('4 drones: ≤ 2.5 h makespan, busiest within 5 % of least busy, invariants hold', () => {
    const zones = JSON.parse(readFileSync(new URL('../../sites/park/zones.geojson', import.meta.url), 'utf8'));
    const res = planSpray(zones, T20_PROFILE, { drones: 4 });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.plan.stats.makespanS).toBeLessThanOrEqual(2.5 * 3600);
    const fin = res.plan.drones.map((d) => d.finishS);
    expect(Math.max(...fin) / Math.min(...fin)).toBeLessThanOrEqual(1.05);
    expect(invariantViolations(zones, res.plan)).toEqual([]);
  });
});

describe('planSpray on random polygons with holes (property)', () => {
  it('stays in the geofence, off keepouts, pad to pad, and covers the area', () => {
    const shape = fc.record({
      n: fc.integer({ min: 5, max: 11 }),
      radii: fc.array(fc.double({ min: 90, max: 170, noNaN: true }), { minLength: 11, maxLength: 11 }),
      hole: fc.tuple(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: 8, max: 20, noNaN: true })),
      keep: fc.array(fc.tuple(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 45, max: 70, noNaN: true }), fc.double({ min: 5, max: 15, noNaN: true })), {
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(shape, ({ n, radii, hole, keep }) => {
        const outline: P[] = Array.from({ length: n }, (_, i) => [radii[i]! * Math.cos((2 * Math.PI * i) / n), radii[i]! * Math.sin((2 * Math.PI * i) / n)]);
        const [hx, hy, hr] = hole;
        const holeRing: P[] = Array.from({ length: 6 }, (_, i) => [hx + hr * Math.cos((-2 * Math.PI * i) / 6), hy + hr * Math.sin((-2 * Math.PI * i) / 6)]);
        const keepouts = keep.map(([a, d, s]) => rect(d * Math.cos(a) - s / 2, d * Math.sin(a) - s / 2, s, s));
        const zones = zonesFromMetres({
          spray: [[outline, holeRing]],
          keepouts,
          geofence: rect(-200, -200, 400, 400),
          pads: [
            [-190, -190],
            [190, 190],
          ],
        });
        const res = planSpray(zones, T20_PROFILE, { drones: 2 });
        expect(res.ok).toBe(true);
        if (!res.ok) return;
        expect(invariantViolations(zones, res.plan)).toEqual([]);
        const c = measureCoverage(zones, res.plan, 1);
        // Sharp convex corners keep an unsprayed wedge (a full-width band cannot reach in without
        // crossing the border), hence 98 % here against 99.5 % on the benchmark zones.
        expect(c.coveragePct).toBeGreaterThanOrEqual(98);
        expect(c.oversprayPct).toBeLessThanOrEqual(0.5);
        expect(c.keepoutSprayedM2).toBe(0);
      }),
      { numRuns: 30, seed: 4 },
    );
  });
});
