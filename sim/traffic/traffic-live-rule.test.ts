import { describe, expect, it } from 'vitest';
import { driveWays } from './traffic-world.js';
import { parseMap } from './movingai.js';
import { runLiveRule } from './traffic-live-rule.js';
import { seededRandom } from '../../protocol/random.js';

// A corridor one cell wide: two robots swap its ends.
const CORRIDOR = parseMap(`type octile
height 1
width 5
map
.....
`);
const errands = [
  { start: CORRIDOR.cellAt(0, 0), goal: CORRIDOR.cellAt(4, 0) },
  { start: CORRIDOR.cellAt(4, 0), goal: CORRIDOR.cellAt(0, 0) },
];

describe('the live trips’ way reservations on a grid', () => {
  it('keeps robots from meeting head-on on a way, but, reserving ways and not places, lets them share a cell', () => {
    const r = runLiveRule(CORRIDOR, errands);
    expect(r.arrived).toBe(2);
    expect(r.deadlocks).toBe(0);
    expect(r.headOn).toBe(0);
    expect(r.meetings).toBeGreaterThan(0);
    expect(r.lowerBound).toBe(8);
  });

  it('without any rule the same robots do meet head-on (the world sees it)', () => {
    const moves = errands.map(({ start, goal }) => {
      const step = goal > start ? 1 : -1;
      return Array.from({ length: 4 }, (_, k) => ({ from: start + k * step, to: start + (k + 1) * step, depart: k, arrive: k + 1, swept: [] }));
    });
    const r = driveWays(moves, [errands[0]!.start, errands[1]!.start], { random: seededRandom(1), ignoreRules: true });
    expect(r.headOn).toBeGreaterThan(0);
  });
});
