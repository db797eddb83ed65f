import { describe, expect, it } from 'vitest';
import { containsPoint } from '../spray/geometry/polygon.js';
import type { MultiPolygon, Vec2 } from '../spray/geometry/types.js';
import { visibilityFlightSpace } from '../spray/index.js';
import { clearPathFrom, wayIn } from './breach-paths.js';

const square = (x0: number, y0: number, x1: number, y1: number): MultiPolygon => [
  [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
];
const geofence = square(0, 0, 100, 100);
// Two buildings between the west and the pad in the east.
const keepout: MultiPolygon = [...square(40, 20, 60, 80), ...square(70, 45, 75, 55)];
const space = visibilityFlightSpace(keepout, geofence, { clearanceM: 2 });
const pad: Vec2 = [90, 50];

/** Every point every 0.25 m along the polyline. */
function samples(line: Vec2[]): Vec2[] {
  const out: Vec2[] = [];
  for (let i = 0; i + 1 < line.length; i++) {
    const [a, b] = [line[i]!, line[i + 1]!];
    const n = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 0.25);
    for (let k = 0; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

describe('ways out after a breach', () => {
  it('from outside the geofence: re-enters at the nearest point first, then goes around the keepouts to the pad', () => {
    const from: Vec2 = [-30, 50];
    const path = clearPathFrom(from, pad, space, keepout, geofence)!;
    expect(path).toBeDefined();
    const entry = path[0]!;
    expect(containsPoint(geofence, entry)).toBe(true);
    // The nearest way in: straight east to the fence, 2 m inside.
    expect(entry[0]).toBeCloseTo(2, 1);
    expect(entry[1]).toBeCloseTo(50, 1);
    expect(path.at(-1)).toEqual(pad);
    // Nothing of the way, the stretch from outside included, is inside a keepout; after the entry all of it is inside the fence.
    expect(samples([from, ...path]).some((p) => containsPoint(keepout, p))).toBe(false);
    expect(samples(path).every((p) => containsPoint(geofence, p))).toBe(true);
  });

  it('from inside a keepout: leaves by the nearest side, then around', () => {
    const from: Vec2 = [43, 50];
    const path = clearPathFrom(from, pad, space, keepout, geofence)!;
    const exit = path[0]!;
    expect(containsPoint(keepout, exit)).toBe(false);
    // The west side is 3 m away, the east side 17 m: out to the west, 2 m clear.
    expect(exit[0]).toBeCloseTo(38, 1);
    expect(samples(path).some((p) => containsPoint(keepout, p))).toBe(false);
  });

  it('from a free point: the flight space path as it is', () => {
    const from: Vec2 = [20, 50];
    expect(wayIn(from, keepout, geofence)).toBe(from);
    expect(clearPathFrom(from, pad, space, keepout, geofence)).toEqual(space.path(from, pad)!.slice(1));
  });
});

describe('ways out of a moving drone', () => {
  it('take the side nearest to where it stops braking, not where it was seen', () => {
    // Seen in the middle of the west building, heading south: it stops near the south side.
    const path = clearPathFrom([50, 50], pad, space, keepout, geofence, [50, 24])!;
    expect(path[0]![1]).toBeCloseTo(18, 1);
    expect(samples(path).some((p) => containsPoint(keepout, p))).toBe(false);
  });
});
