import { describe, expect, it } from 'vitest';
import { measureCoverage } from '../metrics/raster.js';
import { planSpray } from '../plan.js';
import { T20_PROFILE } from '../profile.js';
import { invariantViolations, zonesFromMetres } from '../test-helpers.js';

type P = [number, number];

describe('partialWidthCorners', () => {
  // A 30 m wide strip with 20° and 160° ends and a 35° spike: corners a full swath cannot reach.
  const zones = zonesFromMetres({
    spray: [
      [
        [
          [0, 0],
          [300, 0],
          [382, 30],
          [82, 30],
        ] as P[],
      ],
      [
        [
          [0, 60],
          [120, 60],
          [20, 95],
        ] as P[],
      ],
    ],
    geofence: [
      [-30, -30],
      [420, -30],
      [420, 130],
      [-30, 130],
    ],
    pads: [[-20, -20]],
  });
  const none = { passes: () => new Map() };
  const withCorners = planSpray(zones, T20_PROFILE, { drones: 1 });
  const without = planSpray(zones, T20_PROFILE, { drones: 1, corners: none });
  it('plans both ways', () => {
    expect(withCorners.ok && without.ok).toBe(true);
  });
  if (!withCorners.ok || !without.ok) return;
  it('raises coverage past 99.5 % with no overspray (rasterised, independent of the planner)', () => {
    const c = measureCoverage(zones, withCorners.plan, 0.25);
    const c0 = measureCoverage(zones, without.plan, 0.25);
    expect(c0.coveragePct).toBeLessThan(99.5);
    expect(c.coveragePct).toBeGreaterThanOrEqual(99.5);
    expect(c.oversprayM2).toBeLessThanOrEqual(0.5);
  });
  it('narrows the swath in steps, never wider than the full swath, and keeps the invariants', () => {
    const widths = new Set<number>();
    for (const d of withCorners.plan.drones) for (const s of d.sorties) for (const w of s.waypoints) if (w.spray && w.swathM !== undefined) widths.add(Math.round(w.swathM * 1000) / 1000);
    expect(widths.size).toBeGreaterThan(3);
    for (const w of widths) expect(w).toBeLessThan(T20_PROFILE.swathM);
    expect(invariantViolations(zones, withCorners.plan)).toEqual([]);
  });
});
