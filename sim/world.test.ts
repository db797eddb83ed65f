import { describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { siteSchema } from '../protocol/index.js';
import { ScaledClock } from './scaled-clock.js';
import { SimWorld } from './world.js';

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 4, roomsPerFloor: 4, lifts: 1, chargers: 1 }));

describe('sim world', () => {
  it('draws resident delays per room and visit, the same for the same seed', () => {
    const clock = new ScaledClock(1);
    const draws = (seed: number) => {
      const world = new SimWorld({ site, clock, seed });
      return ['101', '102', '101', '203'].map((room) => world.residentDelayS(room));
    };
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5)).not.toEqual(draws(6));
    const [first, , again] = draws(5);
    expect(first).not.toBe(again);
  });

  it('keeps resident delays within the model and about the share who never come', () => {
    const world = new SimWorld({ site, clock: new ScaledClock(1), seed: 9, residents: { minS: 10, maxS: 60, neverShare: 0.2 } });
    const delays = Array.from({ length: 2000 }, (_, i) => world.residentDelayS(String(100 + (i % 50))));
    const never = delays.filter((d) => d === undefined).length / delays.length;
    expect(never).toBeGreaterThan(0.16);
    expect(never).toBeLessThan(0.24);
    for (const d of delays) if (d !== undefined) expect(d >= 10 && d <= 60).toBe(true);
  });
});
