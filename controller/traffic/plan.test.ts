import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../protocol/random.js';
import { parseMap } from '../../sim/traffic/movingai.js';
import { driveWays } from '../../sim/traffic/traffic-world.js';
import { planTraffic, type Errand } from './plan.js';

const grid = (rows: string[]) => parseMap(`type octile\nheight ${rows.length}\nwidth ${rows[0]!.length}\nmap\n${rows.join('\n')}\n`);

describe('planTraffic', () => {
  it('has a robot on a single-width corridor wait for the one coming the other way to turn off into the siding', () => {
    const map = grid(['@@@@.@@@@', '.........']);
    const errands: Errand[] = [
      { start: map.cellAt(0, 1), goal: map.cellAt(8, 1) },
      { start: map.cellAt(7, 1), goal: map.cellAt(4, 0) },
    ];
    const plan = planTraffic(map, errands, { random: seededRandom(1) });
    if (!plan.ok) throw new Error(plan.reason);
    // Robot 0 stops short of the siding's mouth until robot 1 is in it.
    const waitsAt = plan.moves[0]!.find((m, k) => k > 0 && m.depart > plan.moves[0]![k - 1]!.arrive);
    expect(waitsAt?.from).toBe(map.cellAt(3, 1));
    const starts = errands.map((e) => e.start);
    expect(driveWays(plan.moves, starts, { random: seededRandom(2), delay: { chance: 1, max: 2 } })).toMatchObject({ arrived: 2, meetings: 0, headOn: 0, deadlocks: 0 });
    // Driven without the traffic rules, the two meet at the siding's mouth.
    expect(driveWays(plan.moves, starts, { random: seededRandom(2), ignoreRules: true }).meetings).toBeGreaterThan(0);
  });

  it('refuses, naming the robot, when two robots must swap on a corridor with no siding', () => {
    const map = grid(['......']);
    const plan = planTraffic(
      map,
      [
        { start: map.cellAt(0, 0), goal: map.cellAt(5, 0) },
        { start: map.cellAt(5, 0), goal: map.cellAt(0, 0) },
      ],
      { random: seededRandom(1), attempts: 5 },
    );
    expect(plan).toMatchObject({ ok: false, reason: expect.stringMatching(/^robot \d found no way past the others in 5 orders$/) });
  });

  it('sends first the robot that must leave a doorway before another can get out of its room', () => {
    // Robot 0 sits in a room whose only door is robot 1's start; planned in the order given,
    // robot 0 finds the door held for ever, so the planner reorders.
    const map = grid(['..@....', '.......', '..@....']);
    const errands: Errand[] = [
      { start: map.cellAt(0, 1), goal: map.cellAt(6, 1) },
      { start: map.cellAt(2, 1), goal: map.cellAt(6, 0) },
    ];
    const plan = planTraffic(map, errands, { random: seededRandom(1) });
    if (!plan.ok) throw new Error(plan.reason);
    expect(driveWays(plan.moves, [errands[0]!.start, errands[1]!.start], { random: seededRandom(1) })).toMatchObject({ arrived: 2, meetings: 0 });
  });

  it('never crosses diagonals: a diagonal move holds the two cells at its corner', () => {
    // Two robots whose shortest ways are crossing diagonals of one 2 × 2 square.
    const map = grid(['..', '..']);
    const errands: Errand[] = [
      { start: map.cellAt(0, 0), goal: map.cellAt(1, 1) },
      { start: map.cellAt(1, 0), goal: map.cellAt(0, 1) },
    ];
    expect(map.moves(errands[0]!.start).find((m) => m.to === errands[0]!.goal)?.swept).toEqual([errands[1]!.start, errands[1]!.goal]);
    const plan = planTraffic(map, errands, { random: seededRandom(1) });
    if (!plan.ok) throw new Error(plan.reason);
    const starts = errands.map((e) => e.start);
    expect(driveWays(plan.moves, starts, { random: seededRandom(1) })).toMatchObject({ arrived: 2, meetings: 0 });
    // The same two diagonals driven at once, with no rules: the world sees them cross.
    const diagonals = errands.map((e) => [{ from: e.start, to: e.goal, depart: 0, arrive: Math.SQRT2, swept: map.moves(e.start).find((m) => m.to === e.goal)!.swept! }]);
    expect(driveWays(diagonals, starts, { random: seededRandom(1), ignoreRules: true }).meetings).toBeGreaterThan(0);
  });

  it('on random grids and errands: every planned robot arrives with no meeting and no deadlock, however late its moves', () => {
    const cell = fc.constantFrom('.', '.', '.', '@');
    let planned = 0;
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 1, max: 1000 }), (rows, seed) => {
        const map = grid(rows.map((r) => r.join('')));
        const random = seededRandom(seed);
        const cells = Array.from({ length: map.size }, (_, i) => i);
        const n = Math.min(5, Math.floor(map.size / 2));
        const starts = cells.slice(0, n);
        const goals = cells.slice(-n).reverse();
        const errands = starts.map((start, i) => ({ start, goal: goals[i]! }));
        const plan = planTraffic(map, errands, { random, attempts: 10, improve: 5 });
        if (!plan.ok) return;
        planned++;
        const run = driveWays(plan.moves, starts, { random, delay: { chance: 0.5, max: 3 } });
        expect(run).toMatchObject({ arrived: n, meetings: 0, headOn: 0, deadlocks: 0 });
        expect(run.sumOfCosts).toBeGreaterThanOrEqual(plan.alone.reduce((x, y) => x + y, 0) - 1e-9);
      }),
      { numRuns: 200 },
    );
    expect(planned).toBeGreaterThan(50);
  });

  it('large neighbourhood search never raises the sum of costs', () => {
    const map = grid(['........', '..@@@@..', '........', '..@@@@..', '........']);
    const cells = Array.from({ length: map.size }, (_, i) => i);
    const errands = cells.slice(0, 8).map((start, i) => ({ start, goal: cells[cells.length - 1 - i]! }));
    const cost = (improve: number) => {
      const plan = planTraffic(map, errands, { random: seededRandom(4), improve });
      if (!plan.ok) throw new Error(plan.reason);
      return plan.moves.reduce((sum, way) => sum + (way.at(-1)?.arrive ?? 0), 0);
    };
    expect(cost(100)).toBeLessThanOrEqual(cost(0));
  });
});
