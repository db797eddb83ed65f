/**
 * The rule the controller applies to live trips (`controller/traffic/way-reservations.ts`) on a
 * MovingAI grid, for comparison with the planned rules of `traffic-run.ts`: each robot drives its
 * shortest way alone, every move between two cells is a single-width way of its own, and a robot
 * enters one only when granted (first come, first served; same direction may follow), released
 * as it reaches the far cell. The world (`traffic-world.ts`) counts what happens.
 *
 * What it shows: no head-on meeting, and no deadlock, since nobody waits while holding a way; but
 * the rule reserves ways, not places, so robots do share cells (`meetings`). On a site that is
 * what it is meant for: robots wait at corridor nodes wide enough for several, and the places
 * that hold one robot (a station in a tunnel, a room at a spur's end) are inside a way. On a
 * grid, where every cell holds one robot, it is not enough: that takes the planned rules.
 */
import { performance } from 'node:perf_hooks';
import type { Lane } from '../../protocol/index.js';
import { movesInto, secondsTo } from '../../controller/traffic/graph.js';
import { NarrowWays } from '../../controller/traffic/narrow-ways.js';
import type { Errand, PlannedMove } from '../../controller/traffic/plan.js';
import { WayReservations } from '../../controller/traffic/way-reservations.js';
import { seededRandom } from '../../protocol/random.js';
import type { GridMap } from './movingai.js';
import { trafficResult, type TrafficRunResult } from './traffic-run.js';
import { driveWays } from './traffic-world.js';

/** Releases each robot's next move once the way is granted to it (the `TrafficSchedule` contract `driveWays` takes). */
class WayRule {
  private readonly reservations: WayReservations;
  private readonly done: number[];

  constructor(
    private readonly ways: readonly (readonly PlannedMove[])[],
    narrow: NarrowWays,
  ) {
    this.reservations = new WayReservations(narrow);
    this.done = ways.map(() => 0);
  }

  /** Moves robot `i` may make: those done, and the next once it holds that move's way (asked for here, at its end). */
  released(i: number): number {
    const move = this.ways[i]![this.done[i]!];
    if (!move) return this.done[i]!;
    const claim = { robot: String(i), way: wayId(move.from, move.to), entry: String(move.from), exit: String(move.to) };
    this.reservations.request(claim);
    return this.done[i]! + (this.reservations.holds(claim.robot, claim.way) ? 1 : 0);
  }

  /** Robot `i` finished a move: its state shows it at the far cell. */
  finish(i: number): void {
    const move = this.ways[i]![this.done[i]!]!;
    this.done[i]!++;
    this.reservations.observe(String(i), String(move.to));
  }
}

const wayId = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Each robot's shortest way alone, as timed moves. */
function shortestWays(map: GridMap, errands: readonly Errand[]): { ways: PlannedMove[][]; alone: number[] } {
  const into = movesInto(map);
  const ways: PlannedMove[][] = [];
  const alone: number[] = [];
  for (const { start, goal } of errands) {
    const dist = secondsTo(map, goal, into);
    if (!Number.isFinite(dist[start]!)) throw new Error(`no way from cell ${start} to ${goal}`);
    const moves: PlannedMove[] = [];
    let t = 0;
    for (let cell = start; cell !== goal; ) {
      const next = map.moves(cell).reduce((a, b) => (b.s + dist[b.to]! < a.s + dist[a.to]! ? b : a));
      moves.push({ from: cell, to: next.to, depart: t, arrive: t + next.s, swept: next.swept ?? [] });
      t += next.s;
      cell = next.to;
    }
    ways.push(moves);
    alone.push(dist[start]!);
  }
  return { ways, alone };
}

/** The live rule on a grid: the same result shape as the planned rules' `runTraffic`. */
export function runLiveRule(map: GridMap, errands: readonly Errand[], options: { seed?: number; delayChance?: number } = {}): TrafficRunResult {
  const t0 = performance.now();
  const { ways, alone } = shortestWays(map, errands);
  const lanes: Lane[] = [];
  for (let cell = 0; cell < map.size; cell++) {
    for (const m of map.moves(cell)) if (cell < m.to) lanes.push({ from: String(cell), to: String(m.to), bidirectional: true, way: wayId(cell, m.to) });
  }
  const narrow = new NarrowWays({ lanes });
  const ms = Math.round(performance.now() - t0);
  const starts = errands.map((e) => e.start);
  const random = seededRandom(options.seed ?? 1);
  const r = driveWays(ways, starts, { random, rule: new WayRule(ways, narrow) });
  const delayed = options.delayChance ? driveWays(ways, starts, { random, rule: new WayRule(ways, narrow), delay: { chance: options.delayChance, max: 1 } }) : undefined;
  return trafficResult(errands.length, r, delayed, alone, ms, 1);
}
