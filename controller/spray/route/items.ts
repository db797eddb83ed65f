import type { Ring, Vec2 } from '../geometry/types.js';
import type { Transect } from '../swaths/types.js';
import type { Leg, WorkEntry, WorkItem } from './types.js';

const dist = (p: Vec2, q: Vec2) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/**
 * A boustrophedon cell flown as a serpentine: transects in strip order (or reversed), alternating
 * direction, the first one either way: four entries.
 */
export function serpentineItem(cell: Transect[]): WorkItem {
  const build = (reverse: boolean, flip: boolean): WorkEntry => {
    const order = reverse ? [...cell].reverse() : cell;
    const passes = order.map((t, i) => ((i % 2 === 0) !== flip ? [t.a, t.b] : [t.b, t.a]) as [Vec2, Vec2]);
    return {
      start: passes[0]![0],
      end: passes[passes.length - 1]![1],
      legs(): Leg[] {
        const legs: Leg[] = [];
        passes.forEach((p, i) => {
          if (i > 0) legs.push({ pts: [passes[i - 1]![1], p[0]], spray: false });
          legs.push({ pts: [p[0], p[1]], spray: true });
        });
        return legs;
      },
    };
  };
  const all = [build(false, false), build(false, true), build(true, false), build(true, true)];
  return { entries: () => all };
}

/** A closed headland loop, entered at the vertex nearest to where the drone comes from. */
export function loopItem(ring: Ring): WorkItem {
  const pts = ring.slice(0, -1);
  return {
    entries(from: Vec2): WorkEntry[] {
      let k = 0;
      let best = Infinity;
      pts.forEach((p, i) => {
        const d = dist(p, from);
        if (d < best) {
          best = d;
          k = i;
        }
      });
      const start = pts[k]!;
      return [
        {
          start,
          end: start,
          legs: () => [{ pts: [...pts.slice(k), ...pts.slice(0, k), start], spray: true }],
        },
      ];
    },
  };
}
