import { describe, expect, it } from 'vitest';
import { zonesFromMetres } from '../test-helpers.js';
import type { SprayPlan } from '../types.js';
import { measureCoverage } from './raster.js';

describe('measureCoverage (the checker itself)', () => {
  it('measures one band exactly: 7 m × 100 m inside a 7 m × 100 m field, then half outside', () => {
    const zones = zonesFromMetres({
      spray: [
        [
          [
            [0, 0],
            [100, 0],
            [100, 7],
            [0, 7],
          ],
        ],
      ],
      geofence: [
        [-50, -50],
        [150, -50],
        [150, 50],
        [-50, 50],
      ],
      pads: [[-10, -10]],
    });
    const ky = (Math.PI / 180) * 6_371_008.8;
    const kx = ky * Math.cos((22.72 * Math.PI) / 180);
    const wp = (x: number, y: number, spray: boolean) => ({ lon: 114.25 + x / kx, lat: 22.72 + y / ky, altM: 2.5, speedMps: 7, spray, flowLPerMin: 5.88 });
    const plan = (y: number): SprayPlan => ({
      swathM: 7,
      stats: { areaM2: 700, sprayLengthM: 100, totalLengthM: 100, turns: 0, sorties: 1, makespanS: 0 },
      drones: [
        {
          drone: 0,
          finishS: 0,
          sorties: [
            {
              index: 0,
              fromPad: 0,
              toPad: 0,
              takeoffS: 0,
              landingS: 0,
              flightS: 0,
              sprayL: 0,
              batteryUsedFrac: 0,
              sprayLengthM: 100,
              totalLengthM: 100,
              waypoints: [wp(0, y, true), wp(100, y, false)],
            },
          ],
        },
      ],
    });
    const full = measureCoverage(zones, plan(3.5), 0.25);
    expect(full.coveragePct).toBeGreaterThan(99.9);
    expect(full.oversprayPct).toBeLessThan(0.1);
    const shifted = measureCoverage(zones, plan(7), 0.25);
    expect(shifted.coveragePct).toBeCloseTo(50, 0);
    expect(shifted.oversprayPct).toBeCloseTo(50, 0);
  });
});
