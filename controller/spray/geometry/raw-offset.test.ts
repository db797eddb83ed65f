import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaM2, bufferOffset, containsPoint } from './polygon.js';
import { rawOffset } from './raw-offset.js';
import type { MultiPolygon, Vec2 } from './types.js';

const ring = (pts: Vec2[]): Vec2[] => [...pts, pts[0]!];

describe('rawOffset (fast path of offset)', () => {
  it('agrees with the JSTS buffer whenever it answers, on random star polygons with a hole', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 12 }),
        fc.array(fc.double({ min: 40, max: 120, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.double({ min: 4, max: 15, noNaN: true }),
        fc.constantFrom(-3.52, -6.7, 1, -1),
        (n, radii, hr, d) => {
          const outer = Array.from({ length: n }, (_, i): Vec2 => [radii[i]! * Math.cos((2 * Math.PI * i) / n), radii[i]! * Math.sin((2 * Math.PI * i) / n)]);
          const hole = Array.from({ length: 6 }, (_, i): Vec2 => [hr * Math.cos((-2 * Math.PI * i) / 6), hr * Math.sin((-2 * Math.PI * i) / 6)]);
          const g: MultiPolygon = [[ring(outer), ring(hole)]];
          let mismatches = 0;
          const raw = rawOffset(g, d, 8);
          if (!raw) return;
          answered++;
          const ref = bufferOffset(g, d, 8);
          // Same area and the same point set on a grid (polyclip's difference of two near-identical
          // outlines is not robust enough to compare them directly).
          // Arcs differ by chord error only (JSTS rounds the segment count, rawOffset rounds it up).
          expect(Math.abs(areaM2(raw) - areaM2(ref))).toBeLessThan(0.5);
          for (let x = -120; x <= 120; x += 7.3) for (let y = -120; y <= 120; y += 7.3) if (containsPoint(raw, [x, y]) !== containsPoint(ref, [x, y])) mismatches++;
          expect(mismatches).toBeLessThanOrEqual(1); // a grid point may sit within chord error of an arc
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    expect(answered).toBeGreaterThan(20);
  });
  it('refuses a neck narrower than twice the distance and a hole that would swallow the rest', () => {
    const dumbbell: MultiPolygon = [
      [
        ring([
          [0, 0],
          [30, 0],
          [30, 14],
          [35, 14],
          [35, 0],
          [65, 0],
          [65, 30],
          [35, 30],
          [35, 18],
          [30, 18],
          [30, 30],
          [0, 30],
        ]),
      ],
    ];
    expect(rawOffset(dumbbell, -3.52, 8)).toBeNull();
    const frame: MultiPolygon = [
      [
        ring([
          [0, 0],
          [20, 0],
          [20, 20],
          [0, 20],
        ]),
        ring([
          [3, 3],
          [3, 17],
          [17, 17],
          [17, 3],
        ]),
      ],
    ];
    expect(rawOffset(frame, -3.52, 8)).toBeNull();
  });
  it('offsets a 10 km strip at 30° as the buffer does, and refuses it with a hole 4 m from its long side', () => {
    const a = Math.PI / 6;
    const rot = ([x, y]: Vec2): Vec2 => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
    const strip = ring(
      (
        [
          [0, 0],
          [10_500, 0],
          [10_500, 100],
          [0, 100],
        ] as Vec2[]
      ).map(rot),
    );
    const raw = rawOffset([[strip]], -3.52, 8);
    expect(raw).not.toBeNull();
    expect(Math.abs(areaM2(raw!) - areaM2(bufferOffset([[strip]], -3.52, 8)))).toBeLessThan(0.5);
    // Half-way along the strip, far from either end of the long edge.
    const hole = ring(
      (
        [
          [5000, 4],
          [5000, 20],
          [5020, 20],
          [5020, 4],
        ] as Vec2[]
      ).map(rot),
    );
    expect(rawOffset([[strip, hole]], -3.52, 8)).toBeNull();
  });
});
