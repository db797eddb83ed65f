import { MinQueue } from '../../common/min-queue.js';

/**
 * The ways robots share, as the traffic rules see them: cells that hold one robot at a time
 * (a single-width lane's ends, a door, a lift car, a grid cell) and the moves between them.
 * A move holds its two ends for as long as it lasts, and any cell it sweeps on the way (a
 * diagonal step on a grid passes the two cells at its corner), so two robots can never meet
 * head-on on a way, nor cross each other inside one.
 */
export interface TrafficMove {
  to: number;
  /** Seconds at the robot's nominal speed; > 0. */
  s: number;
  /** Cells swept between the two ends, held for the move's length. */
  swept?: readonly number[];
}

export interface TrafficGraph {
  /** Cells are numbered 0 … size − 1. */
  readonly size: number;
  moves(cell: number): readonly TrafficMove[];
}

/**
 * Seconds from every cell to `goal` at nominal speed, robots ignored (a backward Dijkstra):
 * the planner's heuristic, and each robot's lower bound alone. Unreachable cells are Infinity.
 */
export function secondsTo(graph: TrafficGraph, goal: number, into: (cell: number) => readonly { from: number; s: number }[]): Float64Array {
  const dist = new Float64Array(graph.size).fill(Number.POSITIVE_INFINITY);
  dist[goal] = 0;
  const queue = new MinQueue<number>();
  queue.push(goal, 0);
  for (let top = queue.pop(); top; top = queue.pop()) {
    const [cell, d] = top;
    if (d > dist[cell]!) continue;
    for (const { from, s } of into(cell)) {
      const nd = d + s;
      if (nd < dist[from]!) {
        dist[from] = nd;
        queue.push(from, nd);
      }
    }
  }
  return dist;
}

/** The moves into each cell (the graph reversed), for {@link secondsTo}. */
export function movesInto(graph: TrafficGraph): (cell: number) => readonly { from: number; s: number }[] {
  const into: { from: number; s: number }[][] = Array.from({ length: graph.size }, () => []);
  for (let from = 0; from < graph.size; from++) for (const m of graph.moves(from)) into[m.to]!.push({ from, s: m.s });
  return (cell) => into[cell]!;
}
