import { describe, expect, it } from 'vitest';
import { parseMap, parseScenario } from './movingai.js';
import { runTraffic } from './traffic-run.js';

const MAP = `type octile
height 3
width 4
map
..@.
....
T...
`;
const scen = (...lines: string[]) => `version 1\n${lines.join('\n')}\n`;

describe('MovingAI grids', () => {
  it('reads free cells and octile moves, a diagonal only where both corner cells are free', () => {
    const map = parseMap(MAP);
    expect(map.size).toBe(10);
    expect(map.cellAt(2, 0)).toBe(-1);
    expect(map.cellAt(0, 2)).toBe(-1);
    const at = (x: number, y: number) => map.moves(map.cellAt(x, y)).map((m) => map.xy(m.to).join(','));
    // (1, 0) → (2, 1) would cut the corner of the blocked (2, 0).
    expect(at(1, 0).sort()).toEqual(['0,0', '0,1', '1,1'].sort());
    expect(at(1, 1)).toContain('2,2');
    expect(map.moves(map.cellAt(1, 1)).find((m) => map.xy(m.to).join() === '2,2')).toMatchObject({ s: Math.SQRT2, swept: [map.cellAt(2, 1), map.cellAt(1, 2)] });
  });

  it('refuses a broken map or scenario, naming the line', () => {
    expect(() => parseMap(MAP.replace('width 4', 'width four'))).toThrow('map:3: width must be a whole number');
    expect(() => parseMap(MAP.replace('....\nT', '..\nT'))).toThrow('map:6: a row of 4 cells expected, got 2');
    const map = parseMap(MAP);
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3.4'), map, 1)).not.toThrow();
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t2\t0\t3\t2\t3'), map, 1)).toThrow('scen:2: start (2, 0) is not a free cell');
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t9\t2\t3'), map, 1)).toThrow('scen:2: goal (9, 2) is outside the 4 × 3 map');
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3', '0\tm.map\t4\t3\t1\t1\t3\t2\t3'), map, 2)).toThrow("scen:3: goal (3, 2) is also line 2's goal");
    expect(() => parseScenario(scen('0\tm.map\t4\tx\t0\t0\t3\t2\t3'), map, 1)).toThrow('scen:2: column 4');
    expect(() => parseScenario(scen('0\tm.map\t5\t3\t0\t0\t3\t2\t3'), map, 1)).toThrow('scen:2: for a 5 × 3 map, this one is 4 × 3');
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3'), map, 2)).toThrow('2 robots asked, the scenario has 1');
    // Same size, another map: MovingAI's 32 × 32 maps all fit each other's scenarios.
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3.4'), map, 1, 'scen', 'm.map')).not.toThrow();
    expect(() => parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3.4', '0\tother.map\t4\t3\t1\t1\t3\t1\t2'), map, 2, 'scen', 'm.map')).toThrow('scen:3: written for other.map, not m.map');
  });

  it("runs a scenario: the errands' lower bound is their shortest ways alone, as MovingAI's optimal lengths", () => {
    const map = parseMap(MAP);
    const errands = parseScenario(scen('0\tm.map\t4\t3\t0\t0\t3\t2\t3.82842712', '0\tm.map\t4\t3\t3\t0\t0\t1\t4'), map, 2);
    const r = runTraffic(map, errands, { improve: 10 });
    expect(r.lowerBound).toBeCloseTo(1 + 2 * Math.SQRT2 + 4, 2);
    expect(r).toMatchObject({ robots: 2, arrived: 2, deadlocks: 0, headOn: 0, meetings: 0 });
    expect(r.sumOfCosts).toBeGreaterThanOrEqual(r.lowerBound);
  });
});
