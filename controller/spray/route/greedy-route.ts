import type { Vec2 } from '../geometry/types.js';
import type { RouteOrderer, WorkEntry, WorkItem } from './types.js';

const dist = (p: Vec2, q: Vec2) => Math.hypot(p[0] - q[0], p[1] - q[1]);

/**
 * Nearest-neighbour ordering: from the current position, fly next the item whose entry starts
 * closest (straight-line distance). Item count is small (cells and loops, not transects), so
 * the O(n²) scan is cheap.
 */
export function greedyRoute(): RouteOrderer {
  return {
    order(items: WorkItem[], start: Vec2): WorkEntry[] {
      const left = new Set(items.map((_, i) => i));
      const out: WorkEntry[] = [];
      let at = start;
      while (left.size > 0) {
        let pick: { i: number; e: WorkEntry; d: number } | null = null;
        for (const i of left) {
          for (const e of items[i]!.entries(at)) {
            const d = dist(at, e.start);
            if (!pick || d < pick.d) pick = { i, e, d };
          }
        }
        left.delete(pick!.i);
        out.push(pick!.e);
        at = pick!.e.end;
      }
      return out;
    },
  };
}
