import type { Site } from '../../protocol/index.js';

/**
 * A single-width way of a site: the lanes marked with one `way` id (see `laneSchema.way`).
 * `ends` are its nodes with a lane outside the way (where robots wait to enter); `inside` are
 * the others (a dead end such as the room at the end of a door spur, a station in a tunnel):
 * a robot standing there is on the way.
 */
export interface NarrowWay {
  id: string;
  nodes: ReadonlySet<string>;
  ends: ReadonlySet<string>;
  inside: ReadonlySet<string>;
}

/** The single-width ways of a site, and which way a lane belongs to. */
export class NarrowWays {
  readonly byId = new Map<string, NarrowWay>();
  private readonly laneWays = new Map<string, string>();

  constructor(site: Pick<Site, 'lanes'>) {
    const nodes = new Map<string, Set<string>>();
    const outside = new Set<string>();
    for (const lane of site.lanes) {
      if (lane.way === undefined) {
        outside.add(lane.from).add(lane.to);
        continue;
      }
      this.laneWays.set(key(lane.from, lane.to), lane.way);
      this.laneWays.set(key(lane.to, lane.from), lane.way);
      const set = nodes.get(lane.way) ?? new Set<string>();
      nodes.set(lane.way, set.add(lane.from).add(lane.to));
    }
    // A node on the lanes of two ways is an end of both (a robot waits there between them).
    const wayCount = new Map<string, number>();
    for (const set of nodes.values()) for (const n of set) wayCount.set(n, (wayCount.get(n) ?? 0) + 1);
    for (const [id, set] of nodes) {
      const ends = new Set([...set].filter((n) => outside.has(n) || wayCount.get(n)! > 1));
      this.byId.set(id, { id, nodes: set, ends, inside: new Set([...set].filter((n) => !ends.has(n))) });
    }
  }

  /** The way the lane between two adjacent nodes belongs to (either direction), if any. */
  wayOf(from: string, to: string): NarrowWay | undefined {
    const id = this.laneWays.get(key(from, to));
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The way `node` is inside of (see {@link NarrowWay}), if any. */
  inside(node: string): NarrowWay | undefined {
    for (const way of this.byId.values()) if (way.inside.has(node)) return way;
    return undefined;
  }
}

const cache = new WeakMap<object, NarrowWays>();

/** The single-width ways of `site`, computed once per site object. */
export function narrowWaysOf(site: Pick<Site, 'lanes'>): NarrowWays {
  const known = cache.get(site);
  if (known) return known;
  const ways = new NarrowWays(site);
  cache.set(site, ways);
  return ways;
}

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
