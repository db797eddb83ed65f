/**
 * Releasing planned moves as robots report, whatever their delays: the plan's times are kept
 * only as the order in which robots hold each cell, and a robot is released into a cell when the
 * robot before it there has finished the move that takes it past (an action dependency graph,
 * Hönig, Kiesel, Tinka, Durham & Ayanian, "Persistent and robust execution of MAPF schedules in
 * warehouses", IEEE RA-L 2019). A dependency always points to a move planned to end no later
 * than the move it holds back starts, and a robot's own moves take time, so the dependencies
 * form no cycle: no deadlock, as long as the plan itself has no meeting.
 *
 * In VDA 5050 terms, `released(robot)` is how many of the robot's moves the order's base may
 * hold: the controller extends the base by an order update each time it grows.
 */
import type { PlannedMove } from './plan.js';

/** A move's finish that another robot's move waits for. */
interface Waits {
  robot: number;
  /** The waited-for robot has finished more than this many moves. */
  moveIndex: number;
}

export class TrafficSchedule {
  /** Per robot, per move: the finishes it waits for. */
  private readonly waits: Waits[][][];
  private readonly finished: number[];

  constructor(plans: readonly (readonly PlannedMove[])[], starts: readonly number[]) {
    this.finished = plans.map(() => 0);
    this.waits = plans.map((moves) => moves.map(() => []));
    /** Per cell, the holds in planned order: who, from the start of which move, to the end of which. */
    const holds = new Map<number, { robot: number; from: number; fromMove: number; toMove: number }[]>();
    const add = (cell: number, robot: number, from: number, fromMove: number, toMove: number) => {
      let list = holds.get(cell);
      if (!list) {
        list = [];
        holds.set(cell, list);
      }
      list.push({ robot, from, fromMove, toMove });
    };
    for (const [robot, moves] of plans.entries()) {
      let cell = starts[robot]!;
      let from = 0;
      let fromMove = -1;
      for (const [k, m] of moves.entries()) {
        add(cell, robot, from, fromMove, k);
        for (const c of m.swept) add(c, robot, m.depart, k, k);
        cell = m.to;
        from = m.depart;
        fromMove = k;
      }
      add(cell, robot, from, fromMove, Number.POSITIVE_INFINITY);
    }
    for (const list of holds.values()) {
      list.sort((a, b) => a.from - b.from || a.fromMove - b.fromMove);
      for (let i = 1; i < list.length; i++) {
        const before = list[i - 1]!;
        const next = list[i]!;
        if (next.fromMove < 0) continue;
        if (!Number.isFinite(before.toMove)) throw new Error(`robot ${next.robot} is planned into a cell robot ${before.robot} never leaves`);
        if (before.robot !== next.robot) this.waits[next.robot]![next.fromMove]!.push({ robot: before.robot, moveIndex: before.toMove });
      }
    }
  }

  /** Records that a robot finished its next move (reached the node it drove to). */
  finish(robot: number): void {
    this.finished[robot]!++;
  }

  finishedMoves(robot: number): number {
    return this.finished[robot]!;
  }

  /**
   * How many of the robot's moves may have started by now: every move up to the first whose
   * cells another robot has not yet left.
   */
  released(robot: number): number {
    const waits = this.waits[robot]!;
    let k = this.finished[robot]!;
    while (k < waits.length && waits[k]!.every((w) => this.finished[w.robot]! > w.moveIndex)) k++;
    return k;
  }
}
