import type { Ring, Vec2 } from '../geometry/types.js';
import type { CornerPass } from '../headland/types.js';
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

/**
 * A closed headland loop, entered at the vertex nearest to where the drone comes from. Corner
 * passes are flown when the loop reaches their vertex: out with the pump on (partial width where
 * the pass says so), straight back with the pump off.
 */
export function loopItem(ring: Ring, corners: CornerPass[] = []): WorkItem {
  const pts = ring.slice(0, -1);
  const m = pts.length;
  const byVertex = new Map(corners.map((c) => [c.vertex, c]));
  const legsFrom = (k: number): Leg[] => {
    const legs: Leg[] = [];
    let cur: Vec2[] = [];
    for (let i = 0; i <= m; i++) {
      const idx = (k + i) % m;
      const v = pts[idx]!;
      cur.push(v);
      const c = i < m ? byVertex.get(idx) : undefined;
      if (!c) continue;
      if (cur.length >= 2) legs.push({ pts: cur, spray: true });
      for (let j = 0; j + 1 < c.pts.length; j++) {
        legs.push({ pts: [c.pts[j]!, c.pts[j + 1]!], spray: true, swathM: c.swathM[j]! });
      }
      legs.push({ pts: [c.pts[c.pts.length - 1]!, v], spray: false });
      cur = [v];
    }
    if (cur.length >= 2) legs.push({ pts: cur, spray: true });
    return legs;
  };
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
          legs: () => legsFrom(k),
        },
      ];
    },
  };
}
