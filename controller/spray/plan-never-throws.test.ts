import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSpray } from './plan.js';
import { T20_PROFILE } from './profile.js';
import { zonesFromMetres } from './test-helpers.js';

type P = [number, number];
const pt = fc.tuple(fc.integer({ min: -50, max: 350 }), fc.integer({ min: -50, max: 350 })) as fc.Arbitrary<P>;
/** Rings as operators draw them, good and bad: random points (crossing, collinear, repeated), or a rectangle. */
const ring = fc.oneof(
  fc.array(pt, { minLength: 3, maxLength: 8 }),
  fc.tuple(pt, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 })).map(([[x, y], w, h]): P[] => [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ]),
  fc.tuple(pt, pt).map(([a, b]): P[] => [a, b, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]]),
);

describe('planSpray on valid-shaped zones, good and bad', () => {
  it('never throws: a plan, or errors each with a path and a message', () => {
    let planned = 0;
    fc.assert(
      fc.property(
        fc.array(ring, { minLength: 1, maxLength: 2 }),
        fc.array(ring, { maxLength: 2 }),
        fc.oneof(
          fc.constant<P[]>([
            [-60, -60],
            [360, -60],
            [360, 360],
            [-60, 360],
          ]),
          ring,
        ),
        fc.array(pt, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (spray, keepouts, geofence, pads, drones) => {
          const zones = zonesFromMetres({ spray: spray.map((r) => [r]), keepouts, geofence, pads });
          const r = planSpray(zones, T20_PROFILE, { drones });
          if (r.ok) planned++;
          else for (const e of r.errors) expect(e.path && e.message, JSON.stringify(e)).toBeTruthy();
        },
      ),
      { numRuns: 400, seed: 13 },
    );
    expect(planned).toBeGreaterThan(10); // the generator reaches the planner, not only the validation
  }, 120_000);
});
