import type { Site, SiteNode } from '../../protocol/index.js';

/** One hop between two adjacent nodes of a route. */
export interface Hop {
  from: string;
  to: string;
  /** Metres driven; 0 for a lift ride. */
  lengthM: number;
  /** Expected seconds, lift doors and entering included, waiting for the car not. */
  timeS: number;
  /** Set when the hop is a ride in this lift. */
  lift?: string;
}

/** A lift ride on a shortest route, as a planner needs it. */
export interface RouteRide {
  /** Index into `site.lifts` (each lift is one car). */
  car: number;
  /** Levels as indices into the lift's `levels`. */
  fromLevel: number;
  toLevel: number;
  /** Expected seconds from the route's start to the landing. */
  atS: number;
  /** Expected seconds of the ride: doors twice, entering and leaving, the floors. */
  rideS: number;
}

/** A shortest route: the node ids in order (from and to included) and the hops between them. */
export interface Route {
  nodes: string[];
  hops: Hop[];
  timeS: number;
}

/**
 * Travel times over a site's lanes and lifts. A lift ride joins every pair of landings of
 * one car directly and costs doors twice, entering and leaving, and the floors travelled,
 * so a ride of five floors is one hop, not five rides.
 */
export class SiteGraph {
  readonly nodes = new Map<string, SiteNode>();
  readonly roomNodes = new Map<string, SiteNode>();
  private readonly adjacency = new Map<string, Hop[]>();
  private readonly treeCache = new Map<string, { timeS: Map<string, number>; previous: Map<string, Hop> }>();
  private readonly ridesCache = new Map<string, Map<string, readonly RouteRide[]>>();

  constructor(readonly site: Site) {
    for (const node of site.nodes) {
      this.nodes.set(node.id, node);
      this.adjacency.set(node.id, []);
      if (node.kind === 'room' && node.room) this.roomNodes.set(node.room, node);
    }
    for (const lane of site.lanes) {
      const a = this.node(lane.from);
      const b = this.node(lane.to);
      const lengthM = lane.lengthM ?? (a.level === b.level ? Math.hypot(a.x - b.x, a.y - b.y) : 0);
      const timeS = lengthM / site.robotSpeedMps;
      this.adjacency.get(a.id)!.push({ from: a.id, to: b.id, lengthM, timeS });
      if (lane.bidirectional) this.adjacency.get(b.id)!.push({ from: b.id, to: a.id, lengthM, timeS });
    }
    for (const lift of site.lifts) {
      const landings = site.nodes.filter((n) => n.kind === 'liftLanding' && n.lift === lift.id);
      for (const a of landings) {
        for (const b of landings) {
          if (a === b) continue;
          const floors = Math.abs(lift.levels.indexOf(a.level) - lift.levels.indexOf(b.level));
          const timeS = 2 * lift.doorS + 2 * lift.enterS + floors * lift.perFloorS;
          this.adjacency.get(a.id)!.push({ from: a.id, to: b.id, lengthM: 0, timeS, lift: lift.id });
        }
      }
    }
  }

  node(id: string): SiteNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return node;
  }

  /** The loading station (the first one when a site has several). */
  get loadingStation(): SiteNode {
    return this.site.nodes.find((n) => n.kind === 'loading')!;
  }

  /**
   * Shortest route by expected time; with `lift`, the shortest that rides no other lift.
   * `undefined` when `to` cannot be reached (that way).
   */
  route(from: string, to: string, lift?: string): Route | undefined {
    const tree = this.tree(from, lift);
    if (!tree.timeS.has(to)) return undefined;
    const hops: Hop[] = [];
    for (let at = to; at !== from; ) {
      const hop = tree.previous.get(at)!;
      hops.push(hop);
      at = hop.from;
    }
    hops.reverse();
    return { nodes: [from, ...hops.map((h) => h.to)], hops, timeS: tree.timeS.get(to)! };
  }

  /**
   * The lift rides of the shortest route, in order (empty when it stays on one floor or
   * `to` cannot be reached). Kept: a round planner asks for every pair of its doors.
   */
  liftRides(from: string, to: string): readonly RouteRide[] {
    let byTarget = this.ridesCache.get(from);
    if (!byTarget) {
      byTarget = new Map();
      this.ridesCache.set(from, byTarget);
    }
    let rides = byTarget.get(to);
    if (rides) return rides;
    const hops = this.route(from, to)?.hops ?? [];
    const found: RouteRide[] = [];
    let atS = 0;
    for (const hop of hops) {
      if (hop.lift) {
        const car = this.site.lifts.findIndex((l) => l.id === hop.lift);
        const levels = this.site.lifts[car]!.levels;
        found.push({ car, fromLevel: levels.indexOf(this.node(hop.from).level), toLevel: levels.indexOf(this.node(hop.to).level), atS, rideS: hop.timeS });
      }
      atS += hop.timeS;
    }
    rides = found;
    byTarget.set(to, rides);
    return rides;
  }

  /** Expected seconds from one node to another; `Infinity` when unreachable. */
  timeS(from: string, to: string): number {
    return this.tree(from).timeS.get(to) ?? Infinity;
  }

  /**
   * Computes the routes from the loading station and every room door now, so planning a
   * round later is table look-ups (a few hundred Dijkstras take ~100 ms cold).
   */
  precomputeRooms(): void {
    this.tree(this.loadingStation.id);
    for (const node of this.roomNodes.values()) this.tree(node.id);
  }

  /** Dijkstra from `from` (riding only `lift` when given), kept: a site has a few hundred nodes and planners ask the same sources again. */
  private tree(from: string, lift?: string) {
    const key = lift === undefined ? from : `${from} by ${lift}`;
    const cached = this.treeCache.get(key);
    if (cached) return cached;
    this.node(from);
    const timeS = new Map<string, number>([[from, 0]]);
    const previous = new Map<string, Hop>();
    const done = new Set<string>();
    const queue = new MinHeap();
    queue.push(from, 0);
    for (let item = queue.pop(); item; item = queue.pop()) {
      if (done.has(item.id)) continue;
      done.add(item.id);
      for (const hop of this.adjacency.get(item.id)!) {
        if (lift !== undefined && hop.lift !== undefined && hop.lift !== lift) continue;
        const t = item.key + hop.timeS;
        if (t < (timeS.get(hop.to) ?? Infinity)) {
          timeS.set(hop.to, t);
          previous.set(hop.to, hop);
          queue.push(hop.to, t);
        }
      }
    }
    const tree = { timeS, previous };
    this.treeCache.set(key, tree);
    return tree;
  }
}

class MinHeap {
  private readonly items: { id: string; key: number }[] = [];

  push(id: string, key: number): void {
    const items = this.items;
    items.push({ id, key });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.key <= items[i]!.key) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): { id: string; key: number } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && items[l]!.key < items[smallest]!.key) smallest = l;
        if (r < items.length && items[r]!.key < items[smallest]!.key) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}
