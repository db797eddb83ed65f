import { describe, expect, it } from 'vitest';
import { DEFAULT_BATTERY_PROFILE } from './battery-model.js';
import { keepsReserve, reserveRefusal, type TripCandidate } from './reserve-check.js';

// 1,000 m: 4.5 % of a BellaBot-class battery, half an hour: 2 %; 6.5 % in all.
const trip = { lengthM: 1000, liftRides: 0, durationS: 1800 };
const candidate = (id: string, chargePct: number | null, demand = trip): TripCandidate => ({ id, chargePct, profile: DEFAULT_BATTERY_PROFILE, demand });

describe('reserve check', () => {
  it('lets a robot go that ends the trip at or above its reserve', () => {
    expect(reserveRefusal(candidate('robot-1', 26.5), [])).toBeUndefined();
    expect(keepsReserve(candidate('robot-1', 26.5)).endPct).toBeCloseTo(20, 9);
  });

  it('refuses one that would end below it, saying how low and naming the free robot that ends with most', () => {
    const refused = reserveRefusal(candidate('robot-1', 24), [candidate('robot-2', 40), candidate('robot-3', 80), candidate('robot-4', 22)]);
    expect(refused?.kind).toBe('conflict');
    expect(refused?.message).toContain('robot robot-1 would end this trip at 18 %');
    expect(refused?.message).toContain('reserve of 20 %');
    expect(refused?.message).toContain('robot robot-3 can go instead');
    expect(refused?.message).not.toContain('robot-4');
  });

  it('names no robot when none free would keep its reserve', () => {
    const refused = reserveRefusal(candidate('robot-1', 4), [candidate('robot-2', 24), candidate('robot-3', 90, { ...trip, lengthM: 20_000 })]);
    expect(refused?.message).toContain('no other robot free now can go');
    expect(refused?.message).toContain('at 0 %');
  });

  it('a robot own reserve counts: a site with a 30 % reserve refuses what 20 % lets go', () => {
    expect(reserveRefusal({ ...candidate('robot-1', 30), profile: { ...DEFAULT_BATTERY_PROFILE, reservePct: 30 } }, [])).toBeDefined();
    expect(reserveRefusal(candidate('robot-1', 30), [])).toBeUndefined();
  });

  it('does not refuse a robot whose charge is not known yet, and never names one as the robot to go instead', () => {
    expect(keepsReserve(candidate('robot-1', null))).toEqual({ ok: true, endPct: null });
    expect(reserveRefusal(candidate('robot-1', null), [candidate('robot-2', 90)])).toBeUndefined();
    const refused = reserveRefusal(candidate('robot-1', 10), [candidate('robot-2', null), candidate('robot-3', 50)]);
    expect(refused?.message).toContain('robot robot-3 can go instead');
    expect(reserveRefusal(candidate('robot-1', 10), [candidate('robot-2', null)])?.message).toContain('no other robot free now can go');
  });
});
