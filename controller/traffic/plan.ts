/**
 * Traffic plans for robots that share single-width ways: prioritized planning over a
 * reservation table, each robot's way found by Safe Interval Path Planning (SIPP, Phillips &
 * Likhachev, ICRA 2011) around the cells the robots before it hold, with random restarts of the
 * order when a robot finds no way (Bennewitz, Burgard & Thrun 2002; Čáp et al., IEEE T-ASE 2015).
 *
 * Why this method: the controller already knows every robot's route when it sends it, and the
 * rule it must keep is about cells held over time (two robots never hold opposite ends of a
 * single-width way), which a reservation table states directly. Robots are late and early in
 * the real world, so the times of a plan are kept only as an order per cell: a robot is
 * released into a cell when the robot before it in that order is past (see `schedule.ts`,
 * after Hönig et al.'s action dependency graph, IEEE RA-L 2019), which keeps the plan free of
 * meetings and deadlocks whatever the delays. A complete MAPF solver (CBS and kin) finds
 * better plans on crowded maps but costs exponential time in the worst case; this one plans 40
 * robots on a 32 × 32 grid in milliseconds and is complete enough where robots are sparse.
 */
import { type Random, shuffle } from '../../protocol/random.js';
import { MinQueue } from '../../common/min-queue.js';
import { movesInto, secondsTo, type TrafficGraph } from './graph.js';

/** One robot's errand: from its cell to its goal, where it stays. */
export interface Errand {
  start: number;
  goal: number;
}

/** One move of a planned way, in seconds from the plan's start. */
export interface PlannedMove {
  from: number;
  to: number;
  depart: number;
  arrive: number;
  swept: readonly number[];
}

export interface TrafficPlan {
  /** Per errand, in the order given: its moves (none when it starts at its goal). */
  moves: PlannedMove[][];
  /** Per errand, the seconds to its goal alone, robots ignored: a lower bound. */
  alone: number[];
  /** Orders tried before one planned every robot (1 = the first). */
  attempts: number;
}

export type TrafficPlanResult = ({ ok: true } & TrafficPlan) | { ok: false; reason: string; attempts: number };

interface Interval {
  from: number;
  to: number;
}

/** Cells held over time, each cell's intervals sorted and disjoint. */
class Reservations {
  private readonly held: Interval[][];
  constructor(size: number) {
    this.held = Array.from({ length: size }, () => []);
  }

  hold(cell: number, from: number, to: number): void {
    const list = this.held[cell]!;
    let i = list.length;
    while (i > 0 && list[i - 1]!.from > from) i--;
    list.splice(i, 0, { from, to });
  }

  release(cell: number, from: number, to: number): void {
    const list = this.held[cell]!;
    const i = list.findIndex((x) => x.from === from && x.to === to);
    if (i >= 0) list.splice(i, 1);
  }

  /** The free intervals ("safe intervals") of a cell, in order. */
  free(cell: number): Interval[] {
    const out: Interval[] = [];
    let at = 0;
    for (const x of this.held[cell]!) {
      if (x.from > at) out.push({ from: at, to: x.from });
      at = Math.max(at, x.to);
    }
    if (at < Number.POSITIVE_INFINITY) out.push({ from: at, to: Number.POSITIVE_INFINITY });
    return out;
  }

  /** The earliest t ≥ `from` such that the cell is free over [t, t + s), or Infinity. */
  freeFor(cell: number, from: number, s: number): number {
    let t = from;
    for (const x of this.held[cell]!) if (x.from < t + s && x.to > t) t = x.to;
    return t;
  }
}

export interface PlanOptions {
  /** Orders to try before giving up; default 100. */
  attempts?: number;
  /** Rounds of large neighbourhood search after the first plan (see `improve`); default 0. */
  improve?: number;
  random: Random;
}

/**
 * Plans every errand so that no two robots hold a cell at once (a move holds both its ends and
 * what it sweeps). Robots not yet planned hold their start cells; planned robots stay at their
 * goals. The first order tries the longest errands first; later orders are random.
 */
export function planTraffic(graph: TrafficGraph, errands: readonly Errand[], options: PlanOptions): TrafficPlanResult {
  const into = movesInto(graph);
  const toGoal = new Map<number, Float64Array>();
  const heuristic = (goal: number) => {
    let h = toGoal.get(goal);
    if (!h) {
      h = secondsTo(graph, goal, into);
      toGoal.set(goal, h);
    }
    return h;
  };
  const alone = errands.map((e) => heuristic(e.goal)[e.start]!);
  const unreachable = alone.findIndex((s) => !Number.isFinite(s));
  if (unreachable >= 0) return { ok: false, reason: `robot ${unreachable} cannot reach its goal at all`, attempts: 0 };
  const starts = new Set<number>();
  for (const [i, e] of errands.entries()) {
    if (starts.has(e.start)) return { ok: false, reason: `robot ${i} starts in a cell another robot starts in`, attempts: 0 };
    starts.add(e.start);
  }
  const limit = options.attempts ?? 100;
  let order = errands.map((_, i) => i).sort((a, b) => alone[b]! - alone[a]!);
  let failed = -1;
  const tried = new Set<string>();
  for (let attempt = 1; attempt <= limit; attempt++) {
    const table = new Reservations(graph.size);
    for (const e of errands) table.hold(e.start, 0, Number.POSITIVE_INFINITY);
    const moves = planInOrder(graph, table, errands, order, heuristic);
    if (typeof moves !== 'number') {
      improve(graph, table, errands, moves, heuristic, options.random, options.improve ?? 0);
      return { ok: true, moves, alone, attempts: attempt };
    }
    // Reorder around the robot that found no way; an order tried before means robots that
    // each need another out of the way, and a random one follows.
    failed = moves;
    tried.add(order.join());
    order = reorderAround(graph, errands, order, failed, heuristic);
    if (tried.has(order.join())) order = shuffle(order, options.random);
  }
  return { ok: false, reason: `robot ${failed} found no way past the others in ${limit} orders`, attempts: limit };
}

/**
 * A new order for a robot that found no way: on its shortest way with no other robot about,
 * the robots that start there go before it (so they leave first) and those whose goal is there
 * after it (so they park after it has passed).
 */
function reorderAround(graph: TrafficGraph, errands: readonly Errand[], order: readonly number[], stuck: number, heuristic: (goal: number) => Float64Array): number[] {
  const way = findWay(graph, new Reservations(graph.size), errands[stuck]!, heuristic(errands[stuck]!.goal)) ?? [];
  const cells = new Set(way.flatMap((m) => [m.to, ...m.swept]));
  const leaveFirst = order.filter((j) => j !== stuck && cells.has(errands[j]!.start));
  const rest = order.filter((j) => j !== stuck && !leaveFirst.includes(j));
  const firstParked = rest.findIndex((j) => cells.has(errands[j]!.goal));
  const at = firstParked < 0 ? Math.min(order.indexOf(stuck), rest.length) : firstParked;
  return [...rest.slice(0, at), ...leaveFirst, stuck, ...rest.slice(at)];
}

/**
 * Large neighbourhood search (Li, Chen, Harabor, Stuckey & Koenig, "Anytime multi-agent path
 * finding via large neighborhood search", IJCAI 2021): take a few robots' ways out, plan them
 * again in a random order around everyone else's, and keep the new ways when their sum of costs
 * is lower. `rounds` neighbourhoods of up to {@link NEIGHBOURHOOD} robots.
 */
function improve(
  graph: TrafficGraph,
  table: Reservations,
  errands: readonly Errand[],
  moves: PlannedMove[][],
  heuristic: (goal: number) => Float64Array,
  random: Random,
  rounds: number,
): void {
  const cost = (way: readonly PlannedMove[]) => way.at(-1)?.arrive ?? 0;
  const everyone = errands.map((_, i) => i);
  const alone = errands.map((e) => heuristic(e.goal)[e.start]!);
  const tabu = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    let chosen = shuffle(everyone, random).slice(0, NEIGHBOURHOOD);
    if (round % 2) {
      // Agent-based: the most delayed robot not tried lately, and robots in the cells of its way alone.
      const delayed = everyone.filter((i) => !tabu.has(i) && cost(moves[i]!) - alone[i]! > 1e-9).sort((a, b) => cost(moves[b]!) - alone[b]! - (cost(moves[a]!) - alone[a]!))[0];
      if (delayed === undefined) tabu.clear();
      else {
        tabu.add(delayed);
        const alonePath = findWay(graph, new Reservations(graph.size), errands[delayed]!, heuristic(errands[delayed]!.goal)) ?? [];
        const cells = new Set(alonePath.flatMap((m) => [m.to, ...m.swept]));
        const inTheWay = everyone.filter((j) => j !== delayed && (cells.has(errands[j]!.start) || cells.has(errands[j]!.goal) || moves[j]!.some((m) => cells.has(m.to))));
        chosen = [delayed, ...shuffle(inTheWay, random).slice(0, NEIGHBOURHOOD - 1)];
      }
    }
    const was = chosen.reduce((sum, i) => sum + cost(moves[i]!), 0);
    for (const i of chosen) {
      reserve(table, errands[i]!.start, moves[i]!, false);
      table.hold(errands[i]!.start, 0, Number.POSITIVE_INFINITY);
    }
    const fresh: PlannedMove[][] = [];
    const planned = planInOrder(graph, table, errands, chosen, heuristic, fresh);
    if (typeof planned !== 'number' && chosen.reduce((sum, i) => sum + cost(fresh[i]!), 0) < was) {
      for (const i of chosen) moves[i] = fresh[i]!;
      continue;
    }
    for (const i of chosen) {
      const start = errands[i]!.start;
      if (fresh[i]) reserve(table, start, fresh[i]!, false);
      else table.release(start, 0, Number.POSITIVE_INFINITY);
      reserve(table, start, moves[i]!);
    }
  }
}

const NEIGHBOURHOOD = 6;

/**
 * Each robot's way in the given order around what the table holds, each reserved in turn (a
 * robot not planned yet holds its start cell for ever until its turn), or the first robot that
 * found none; the ways planned before it stay reserved.
 */
function planInOrder(
  graph: TrafficGraph,
  table: Reservations,
  errands: readonly Errand[],
  order: readonly number[],
  heuristic: (goal: number) => Float64Array,
  moves: PlannedMove[][] = [],
): PlannedMove[][] | number {
  for (const i of order) {
    const e = errands[i]!;
    table.release(e.start, 0, Number.POSITIVE_INFINITY);
    const way = findWay(graph, table, e, heuristic(e.goal));
    if (!way) return i;
    reserve(table, e.start, way);
    moves[i] = way;
  }
  return moves;
}

/** What a planned way holds: each cell from the start of the move into it to the end of the move out of it. */
function reserve(table: Reservations, start: number, way: readonly PlannedMove[], hold = true): void {
  const mark = (cell: number, from: number, to: number) => (hold ? table.hold(cell, from, to) : table.release(cell, from, to));
  let enteredAt = 0;
  let cell = start;
  for (const m of way) {
    mark(cell, enteredAt, m.arrive);
    for (const c of m.swept) mark(c, m.depart, m.arrive);
    cell = m.to;
    enteredAt = m.depart;
  }
  mark(cell, enteredAt, Number.POSITIVE_INFINITY);
}

interface Node {
  cell: number;
  /** End of the safe interval the robot is in. */
  until: number;
  arrive: number;
  parent?: Node;
  move?: PlannedMove;
}

/** SIPP: the earliest arrival at the goal in a safe interval that never ends. */
function findWay(graph: TrafficGraph, table: Reservations, errand: Errand, h: Float64Array): PlannedMove[] | undefined {
  const first = table.free(errand.start)[0];
  if (!first || first.from > 0) return undefined;
  const best = new Map<string, number>();
  const queue = new MinQueue<Node>();
  queue.push({ cell: errand.start, until: first.to, arrive: 0 }, h[errand.start]!);
  for (let top = queue.pop(); top; top = queue.pop()) {
    const [node] = top;
    if (node.cell === errand.goal && node.until === Number.POSITIVE_INFINITY) return wayTo(node);
    for (const m of graph.moves(node.cell)) {
      for (const gap of table.free(m.to)) {
        if (gap.to <= node.arrive) continue;
        if (gap.from + m.s > node.until) break;
        let depart = Math.max(node.arrive, gap.from);
        for (let moved = true; moved; ) {
          moved = false;
          for (const c of m.swept ?? []) {
            const t = table.freeFor(c, depart, m.s);
            if (t > depart) {
              depart = t;
              moved = true;
            }
          }
        }
        const arrive = depart + m.s;
        if (arrive > node.until || arrive >= gap.to) continue;
        const key = `${m.to}:${gap.from}`;
        if ((best.get(key) ?? Number.POSITIVE_INFINITY) <= arrive) continue;
        best.set(key, arrive);
        const move = { from: node.cell, to: m.to, depart, arrive, swept: m.swept ?? [] };
        queue.push({ cell: m.to, until: gap.to, arrive, parent: node, move }, arrive + h[m.to]!);
      }
    }
  }
  return undefined;
}

function wayTo(node: Node): PlannedMove[] {
  const way: PlannedMove[] = [];
  for (let n: Node | undefined = node; n?.move; n = n.parent) way.push(n.move);
  return way.reverse();
}
