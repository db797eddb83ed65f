import { describe, expect, it } from 'vitest';
import { planLimitErrors, planSize } from '../limits.js';
import { planSpray } from '../plan.js';
import { T20_PROFILE } from '../profile.js';
import { invariantViolations, zonesFromMetres } from '../test-helpers.js';
import { validateZones } from './validate.js';

type P = [number, number];
const square = (x: number, y: number, s: number): P[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];
const base = (spray: P[][] = [square(0, 0, 100)]) => ({ spray: [spray], geofence: square(-20, -20, 140), pads: [[-10, -10] as P] });
const messages = (z: unknown) => {
  const r = validateZones(z);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};
type Zones = ReturnType<typeof zonesFromMetres>;
const coordsOf = (z: Zones, i: number) => z.features[i]!.geometry.coordinates as number[][][];

describe('zone geometry: GIS-valid geometry is accepted, the rest refused with its true reason', () => {
  it('refuses a ring whose points are all on one line as having no area, not as covered by keepouts', () => {
    const m = messages(
      zonesFromMetres(
        base([
          [
            [0, 0],
            [50, 0],
            [100, 0],
            [30, 0],
          ],
        ]),
      ),
    ).join();
    expect(m).toMatch(/features\.0\.geometry\.coordinates\.0: the outer ring has no area: its points are all on one line/);
    expect(m).not.toMatch(/keepout/);
  });

  it('accepts and plans a polygon whose hole touches the outer ring at one vertex (OGC-valid)', () => {
    const z = zonesFromMetres(
      base([
        square(0, 0, 100),
        [
          [0, 0],
          [30, 10],
          [10, 30],
        ],
      ]),
    );
    expect(messages(z)).toEqual([]);
    const r = planSpray(z, T20_PROFILE, { drones: 2 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.stats.areaM2).toBeCloseTo(10_000 - 400, -1);
    expect(invariantViolations(z, r.plan)).toEqual([]);
  });

  it('refuses a bow-tie as a self-crossing ring and a hole outside its ring as such, each with where', () => {
    expect(
      messages(
        zonesFromMetres(
          base([
            [
              [0, 0],
              [100, 100],
              [100, 0],
              [0, 100],
            ],
          ]),
        ),
      ).join(),
    ).toMatch(/invalid polygon: self-crossing ring near lon 114\.\d+, lat 22\.\d+/);
    expect(messages(zonesFromMetres(base([square(0, 0, 50), square(60, 60, 10)]))).join()).toMatch(/invalid polygon: a hole lies outside its outer ring near lon/);
  });

  it('accepts repeated consecutive positions and plans as without them', () => {
    const clean = zonesFromMetres(base());
    const repeated = zonesFromMetres(base());
    const ring = coordsOf(repeated, 0)[0]!;
    coordsOf(repeated, 0)[0] = ring.flatMap((c, i) => (i % 2 === 0 ? [c, [...c]] : [c]));
    expect(messages(repeated)).toEqual([]);
    expect(planSpray(repeated, T20_PROFILE, { drones: 2 })).toEqual(planSpray(clean, T20_PROFILE, { drones: 2 }));
  });

  it('refuses a ring that is not closed, citing RFC 7946', () => {
    const z = zonesFromMetres(base());
    coordsOf(z, 0)[0]!.pop();
    expect(messages(z).join()).toMatch(/features\.0\.geometry\.coordinates\.0: ring is not closed: its last position must be the same as its first \(RFC 7946 §3\.1\.6\)/);
  });

  it('accepts clockwise and counter-clockwise rings alike', () => {
    const ccw = zonesFromMetres(base());
    const cw = zonesFromMetres(base());
    for (const f of cw.features) if (f.geometry.type === 'Polygon') (f.geometry.coordinates as number[][][]).forEach((r) => r.reverse());
    const a = planSpray(ccw, T20_PROFILE, { drones: 2 });
    const b = planSpray(cw, T20_PROFILE, { drones: 2 });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(b.plan.stats.areaM2).toBeCloseTo(a.plan.stats.areaM2, 6);
  });

  it('plans a zone across the ±180° meridian in one piece', () => {
    const z = zonesFromMetres(base(), -16.5, 179.9995);
    for (const f of z.features) {
      const g = f.geometry;
      const wrap = (c: number[]) => (c[0]! > 180 ? [c[0]! - 360, c[1]!] : c);
      g.coordinates = g.type === 'Point' ? wrap(g.coordinates as number[]) : (g.coordinates as number[][][]).map((r) => r.map(wrap));
    }
    expect(coordsOf(z, 0)[0]!.some((c) => c[0]! < 0) && coordsOf(z, 0)[0]!.some((c) => c[0]! > 0)).toBe(true);
    const r = planSpray(z, T20_PROFILE, { drones: 2 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.stats.areaM2).toBeCloseTo(10_000, -1);
    for (const w of r.plan.drones.flatMap((d) => d.sorties.flatMap((s) => s.waypoints))) expect(Math.abs(w.lon)).toBeGreaterThan(179.99);
  });

  it('refuses zones so near a pole that the local projection is off, and plans the same zone at 70°', () => {
    const far = zonesFromMetres({ spray: [[square(0, 0, 2_000)]], geofence: square(-20, -20, 2_040), pads: [[-10, -10]] }, 89.97, 10);
    expect(messages(far).join()).toMatch(
      /^features: the zones reach from lat 89\.9\d+ to 89\.98\d+: so near the pole the planner's local projection would be off by [\d.]+ % \(at most 1 %\); plan smaller zones$/,
    );
    expect(messages(zonesFromMetres(base(), 70, 10))).toEqual([]);
  });

  it('says a position looks like [lat, lon] when its second value cannot be a latitude', () => {
    const z = zonesFromMetres(base());
    coordsOf(z, 0)[0] = coordsOf(z, 0)[0]!.map(([lon, lat]) => [lat!, lon!]);
    expect(messages(z).join()).toMatch(
      /features\.0\.geometry\.coordinates\.0\.0: position \[22\.\d+, 114\.\d+\] looks like \[lat, lon\]: GeoJSON positions are \[lon, lat\] \(RFC 7946 §3\.1\.1\); swap them/,
    );
  });

  it('refuses a zone of a few square metres with its size, and tens of square kilometres by the plan limit', () => {
    expect(messages(zonesFromMetres(base([square(0, 0, 0.7)]))).join()).toMatch(/empty sprayable area: the spray zones have 0\.49 m² \(at least 1 m²\)/);
    const small = planSpray(zonesFromMetres(base([square(0, 0, 4)])), T20_PROFILE);
    expect(small.ok ? [] : small.errors.map((e) => e.message)).toEqual(['sprayable area is nowhere wider than one swath (7 m)']);
    const huge = validateZones(zonesFromMetres({ spray: [[square(0, 0, 6_000)]], geofence: square(-20, -20, 6_040), pads: [[-10, -10]] }));
    expect(huge.ok).toBe(true);
    if (huge.ok)
      expect(planLimitErrors(planSize(huge.zones, T20_PROFILE)).map((e) => e.message)).toEqual([
        expect.stringMatching(/sprayable area 3,[56]\d\d(\.\d)? ha is more than one plan can take \(1,000 ha\)/),
      ]);
  });
});
