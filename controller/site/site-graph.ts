import { MinQueue } from '../../common/min-queue.js';
import { disinfectionAt, type DisinfectionStation, type Site, type SiteNode } from '../../protocol/index.js';

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

/** A stop of a route at a disinfection station: `at` indexes the route's `nodes`. */
export interface RouteDisinfection extends DisinfectionStation {
  at: number;
}

/**
 * A shortest route: the node ids in order (from and to included) and the hops between them;
 * `timeS` includes the disinfections on the way.
 */
export interface Route {
  nodes: string[];
  hops: Hop[];
  timeS: number;
  /** Where the robot is disinfected on the way, in order (a `disinfect` action at each). */
  disinfections: RouteDisinfection[];
  /** Whether the robot arrives contaminated (it entered red since its last disinfection). */
  contaminatedAtEnd: boolean;
}

/** How a route starts: riding only one lift, and whether the robot is contaminated already. */
export interface RouteOptions {
  /** Ride no other lift than this one. */
  lift?: string;
  /**
   * The robot entered red since it was last disinfected (see the fleet's contamination); a
   * route from a red node is contaminated anyway.
   */
  contaminated?: boolean;
}

/**
 * Travel times over a site's lanes and lifts. A lift ride joins every pair of landings of
 * one car directly and costs doors twice, entering and leaving, and the floors travelled,
 * so a ride of five floors is one hop, not five rides.
 *
 * Routes keep the isolation rule: nothing that has been in the red zone enters the green zone
 * without being disinfected first. A robot is contaminated once it enters a red node, and clean
 * again once disinfected at a `disinfection` node (not red), which takes the station's
 * `durationS` (`disinfectionAt`): routes stop there only when they must, and their times include
 * it. A route starts contaminated from a red node, or when told so (`RouteOptions.contaminated`).
 */
export class SiteGraph {
  readonly nodes = new Map<string, SiteNode>();
  readonly roomNodes = new Map<string, SiteNode>();
  private readonly adjacency = new Map<string, Hop[]>();
  private readonly treeCache = new Map<string, RouteTree>();

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
   * Shortest route by expected time that keeps the isolation rule (see {@link SiteGraph}), with
   * where the robot is to be disinfected on the way; with `options.lift`, the shortest that rides
   * no other lift. `undefined` when `to` cannot be reached (that way).
   */
  route(from: string, to: string, options: RouteOptions = {}): Route | undefined {
    const tree = this.tree(from, options);
    const end = tree.best.get(to);
    if (end === undefined) return undefined;
    const steps: Step[] = [];
    for (let at = end; at !== tree.start; ) {
      const step = tree.previous.get(at)!;
      steps.push(step);
      at = step.from;
    }
    const nodes = [from];
    const hops: Hop[] = [];
    const disinfections: RouteDisinfection[] = [];
    for (const step of steps.reverse()) {
      if (step.hop) {
        hops.push(step.hop);
        nodes.push(step.hop.to);
      } else disinfections.push({ at: nodes.length - 1, ...step.disinfect! });
    }
    return { nodes, hops, timeS: tree.timeS.get(to)!, disinfections, contaminatedAtEnd: end.endsWith(DIRTY) };
  }

  /**
   * The lift rides of the shortest route (with `options.lift`, of the shortest riding no other lift), in
   * order (empty when it stays on one floor or `to` cannot be reached). Kept per state of the
   * route tree, each built on its predecessor's: a round planner asks for every pair of its
   * doors (reconstructing each of the 22,801 routes of a 150-room round took ~600 ms on a fresh
   * graph).
   */
  liftRides(from: string, to: string, options: RouteOptions = {}): readonly RouteRide[] {
    return this.ridesTo(this.tree(from, options), to);
  }

  /**
   * Times and lift rides from `from` to many nodes (with `options.lift`, riding no other lift), as
   * {@link timeS} and {@link liftRides} give them: the route tree is looked up once, not per
   * target (a round planner asks for every pair of its doors, per car).
   */
  routesFrom(from: string, options: RouteOptions = {}): { timeS: (to: string) => number; liftRides: (to: string) => readonly RouteRide[] } {
    const tree = this.tree(from, options);
    return { timeS: (to) => tree.timeS.get(to) ?? Infinity, liftRides: (to) => this.ridesTo(tree, to) };
  }

  private ridesTo(tree: RouteTree, to: string): readonly RouteRide[] {
    const end = tree.best.get(to);
    if (end === undefined) return NO_RIDES;
    tree.rides ??= new Map();
    const path: string[] = [];
    let at = end;
    while (at !== tree.start && !tree.rides.has(at)) {
      path.push(at);
      at = tree.previous.get(at)!.from;
    }
    let rides = at === tree.start ? NO_RIDES : tree.rides.get(at)!;
    for (let i = path.length - 1; i >= 0; i--) {
      const { from: before, hop } = tree.previous.get(path[i]!)!;
      if (hop?.lift) {
        const car = this.site.lifts.findIndex((l) => l.id === hop.lift);
        const levels = this.site.lifts[car]!.levels;
        const ride = { car, fromLevel: levels.indexOf(this.node(hop.from).level), toLevel: levels.indexOf(this.node(hop.to).level), atS: tree.reached.get(before)!, rideS: hop.timeS };
        rides = [...rides, ride];
      }
      tree.rides.set(path[i]!, rides);
    }
    return rides;
  }

  /** Expected seconds from one node to another, disinfections included (with `options.lift`, riding no other lift); `Infinity` when unreachable. */
  timeS(from: string, to: string, options: RouteOptions = {}): number {
    return this.tree(from, options).timeS.get(to) ?? Infinity;
  }

  /**
   * Computes the routes from the loading station (also through each car alone, when the site
   * has several) and every room door now, so planning a round later is table look-ups (a few
   * hundred Dijkstras take ~100 ms cold).
   */
  precomputeRooms(): void {
    this.tree(this.loadingStation.id);
    // A round planner offers a trip's way up every car (see roundLifts).
    if (this.site.lifts.length > 1) for (const lift of this.site.lifts) this.tree(this.loadingStation.id, { lift: lift.id });
    for (const node of this.roomNodes.values()) this.tree(node.id);
  }

  /**
   * Dijkstra from `from` over (node, contaminated) states (riding only `lift` when given), kept:
   * a site has a few hundred nodes and planners ask the same sources again. Being disinfected is
   * a step of its own, from a contaminated state at a station to the clean one.
   */
  private tree(from: string, options: RouteOptions = {}): RouteTree {
    const { lift } = options;
    const origin = this.node(from);
    const dirtyStart = origin.zone === 'red' || options.contaminated === true;
    const key = `${from}${lift === undefined ? '' : ` by ${lift}`}${dirtyStart ? DIRTY : ''}`;
    const cached = this.treeCache.get(key);
    if (cached) return cached;
    const start = state(from, dirtyStart);
    const reached = new Map<string, number>([[start, 0]]);
    const previous = new Map<string, Step>();
    const done = new Set<string>();
    const queue = new MinQueue<string>();
    queue.push(start, 0);
    for (let item = queue.pop(); item; item = queue.pop()) {
      const [id, soFar] = item;
      if (done.has(id)) continue;
      done.add(id);
      const contaminated = id.endsWith(DIRTY);
      const at = this.nodes.get(nodeOf(id))!;
      const reach = (to: string, t: number, step: Step) => {
        if (t < (reached.get(to) ?? Infinity)) {
          reached.set(to, t);
          previous.set(to, step);
          queue.push(to, t);
        }
      };
      const station = contaminated && at.zone !== 'red' ? disinfectionAt(at) : undefined;
      if (station) reach(at.id, soFar + station.durationS, { from: id, disinfect: station });
      for (const hop of this.adjacency.get(at.id)!) {
        if (lift !== undefined && hop.lift !== undefined && hop.lift !== lift) continue;
        const next = this.nodes.get(hop.to)!;
        if (contaminated && next.zone === 'green') continue;
        reach(state(hop.to, contaminated || next.zone === 'red'), soFar + hop.timeS, { from: id, hop });
      }
    }
    // Per node: the quicker of arriving clean or contaminated.
    const timeS = new Map<string, number>();
    const best = new Map<string, string>();
    for (const [at, t] of reached) {
      const node = nodeOf(at);
      if (t < (timeS.get(node) ?? Infinity)) {
        timeS.set(node, t);
        best.set(node, at);
      }
    }
    const tree: RouteTree = { start, timeS, best, previous, reached };
    this.treeCache.set(key, tree);
    return tree;
  }

  /** Whether lanes and lifts lead from one node to another at all, zones aside. */
  private connected(from: string, to: string): boolean {
    const seen = new Set([from]);
    const stack = [from];
    for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
      if (at === to) return true;
      for (const hop of this.adjacency.get(at)!) if (!seen.has(hop.to)) seen.add(hop.to) && stack.push(hop.to);
    }
    return false;
  }

  /**
   * Why the site cannot be served, one line per place: a room or charger from which the loading
   * station cannot be reached under the isolation rule (a red room whose every way back skips the
   * disinfection station, or no way at all), or that cannot be reached from it.
   */
  isolationProblems(): string[] {
    const loading = this.loadingStation.id;
    return this.site.nodes
      .filter((n) => n.kind === 'room' || n.kind === 'charger')
      .flatMap((n) => {
        const name = n.room ? `room ${n.room}` : n.id;
        if (this.route(loading, n.id) === undefined) return [`${name}: not reachable from the loading station`];
        if (this.route(n.id, loading) !== undefined) return [];
        return [
          this.connected(n.id, loading)
            ? `${name} (${n.zone}): every way back to the loading station enters the green zone without passing a disinfection station`
            : `${name}: no way back to the loading station`,
        ];
      });
  }
}

/** A step of a route into a state: a hop, or being disinfected where the robot stands. */
interface Step {
  from: string;
  hop?: Hop;
  disinfect?: DisinfectionStation;
}

/** The routes from one node: per node the best time and arrival state, and each state's step back. */
interface RouteTree {
  start: string;
  timeS: Map<string, number>;
  best: Map<string, string>;
  previous: Map<string, Step>;
  /** Seconds to each (node, contaminated) state. */
  reached: Map<string, number>;
  /** The lift rides to each state, filled as asked (see `liftRides`). */
  rides?: Map<string, readonly RouteRide[]>;
}

const NO_RIDES: readonly RouteRide[] = [];

const DIRTY = '\u0000red';
const state = (node: string, contaminated: boolean) => (contaminated ? `${node}${DIRTY}` : node);
const nodeOf = (at: string) => (at.endsWith(DIRTY) ? at.slice(0, -DIRTY.length) : at);
