/**
 * Robots driving planned ways through a world of single-width cells, released by the
 * controller's traffic schedule (`controller/traffic/schedule.ts`) as they finish moves, each
 * move taking its nominal time or longer (a robot slowed by a person, a door, a wheel slip).
 * The world does not trust the schedule: it checks every cell itself and counts two robots in
 * one cell at once (`meetings`), those of them driving one way in opposite directions
 * (`headOn`), waits longer than a limit, and a deadlock (robots left that none can move).
 */
import type { PlannedMove } from '../../controller/traffic/plan.js';
import { TrafficSchedule } from '../../controller/traffic/schedule.js';
import { MinQueue } from '../../common/min-queue.js';
import type { Random } from '../../protocol/random.js';

export interface DriveOptions {
  /** Each move is slowed, with this chance, by up to `max` times its nominal time (uniform). */
  delay?: { chance: number; max: number };
  random: Random;
  /** Release every move at once: robots drive their ways with no traffic rules at all. */
  ignoreRules?: boolean;
  /** A wait for another robot longer than this is counted; default 60 s. */
  waitLimitS?: number;
  /** What releases the robots' moves instead of the plan's schedule (the live trips' way reservations: `traffic-live-rule.ts`). */
  rule?: MoveRelease;
}

/** Releases robots' moves as they finish them: the plan's {@link TrafficSchedule}, or another rule. */
export interface MoveRelease {
  /** How many of robot `i`'s moves it may have made by now. */
  released(i: number): number;
  /** Robot `i` finished its next move. */
  finish(i: number): void;
}

export interface DriveResult {
  arrived: number;
  deadlocks: number;
  headOn: number;
  meetings: number;
  /** Sum over robots of the time each reached its goal for good, seconds. */
  sumOfCosts: number;
  makespan: number;
  /** Seconds robots stood waiting to be released, all robots together. */
  waitS: number;
  longWaits: number;
}

interface Robot {
  done: number;
  moving?: PlannedMove;
  idleSince: number;
  arrivedAt: number;
}

export function driveWays(ways: readonly (readonly PlannedMove[])[], starts: readonly number[], options: DriveOptions): DriveResult {
  const schedule: MoveRelease | undefined = options.ignoreRules ? undefined : (options.rule ?? new TrafficSchedule(ways, starts));
  const limit = options.waitLimitS ?? 60;
  const holders = new Map<number, Set<number>>();
  const hold = (cell: number, robot: number) => {
    let set = holders.get(cell);
    if (!set) {
      set = new Set();
      holders.set(cell, set);
    }
    set.add(robot);
  };
  for (const [i, start] of starts.entries()) hold(start, i);
  const robots: Robot[] = ways.map(() => ({ done: 0, idleSince: 0, arrivedAt: 0 }));
  const finishes = new MinQueue<number>();
  const result: DriveResult = { arrived: 0, deadlocks: 0, headOn: 0, meetings: 0, sumOfCosts: 0, makespan: 0, waitS: 0, longWaits: 0 };

  const start = (i: number, now: number) => {
    const robot = robots[i]!;
    const move = ways[i]![robot.done]!;
    const waited = now - robot.idleSince;
    result.waitS += waited;
    if (waited > limit) result.longWaits++;
    for (const cell of [move.to, ...move.swept]) {
      for (const other of holders.get(cell) ?? []) {
        if (other === i) continue;
        result.meetings++;
        const theirs = robots[other]!.moving;
        if (theirs && theirs.from === move.to && theirs.to === move.from) result.headOn++;
      }
      hold(cell, i);
    }
    robot.moving = move;
    const slow = options.delay && options.random() < options.delay.chance ? options.random() * options.delay.max : 0;
    finishes.push(i, now + (move.arrive - move.depart) * (1 + slow));
  };
  const startReleased = (now: number) => {
    for (const [i, robot] of robots.entries()) {
      if (robot.moving || robot.done >= ways[i]!.length) continue;
      const released = schedule ? schedule.released(i) : ways[i]!.length;
      if (released > robot.done) start(i, now);
    }
  };

  startReleased(0);
  let now = 0;
  for (let next = finishes.pop(); next; next = finishes.pop()) {
    const [i, t] = next;
    now = t;
    const robot = robots[i]!;
    const move = robot.moving!;
    for (const cell of [move.from, ...move.swept]) holders.get(cell)?.delete(i);
    robot.moving = undefined;
    robot.done++;
    robot.idleSince = now;
    if (robot.done === ways[i]!.length) robot.arrivedAt = now;
    schedule?.finish(i);
    startReleased(now);
  }
  for (const [i, robot] of robots.entries()) {
    if (robot.done < ways[i]!.length) continue;
    result.arrived++;
    result.sumOfCosts += robot.arrivedAt;
    result.makespan = Math.max(result.makespan, robot.arrivedAt);
  }
  if (result.arrived < ways.length) result.deadlocks = 1;
  return result;
}
