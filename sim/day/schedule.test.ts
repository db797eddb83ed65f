import { describe, expect, it } from 'vitest';
import { clockTime, DAY_TIMES, daySchedule } from './schedule.js';

const rooms = Array.from({ length: 192 }, (_, i) => String(101 + (i % 24) + 100 * Math.floor(i / 24)));

describe('daySchedule', () => {
  it('gives three meals to the 150 occupied rooms and four medicine rounds of 30 of them with deadlines, in the day order', () => {
    const day = daySchedule(rooms, 7);
    expect(day.occupied).toHaveLength(150);
    expect(new Set(day.occupied).size).toBe(150);
    expect(day.occupied.every((r) => rooms.includes(r))).toBe(true);
    expect(day.services.map((s) => s.name)).toEqual(DAY_TIMES.map((t) => t.name));
    const meals = day.services.filter((s) => s.kind !== 'medicine');
    expect(meals.map((s) => s.kind)).toEqual(['breakfast', 'lunch', 'dinner']);
    for (const meal of meals) {
      expect(meal.rooms).toEqual(day.occupied);
      expect(meal.dueS).toBeUndefined();
    }
    const medicine = day.services.filter((s) => s.kind === 'medicine');
    expect(medicine).toHaveLength(4);
    for (const round of medicine) {
      expect(round.rooms).toHaveLength(30);
      expect(new Set(round.rooms).size).toBe(30);
      expect(round.rooms.every((r) => day.occupied.includes(r))).toBe(true);
      expect(round.dueS).toBe(round.atS + 90 * 60);
    }
    // Not the same 30 rooms every time.
    expect(medicine[0]!.rooms).not.toEqual(medicine[1]!.rooms);
    const starts = day.services.map((s) => s.atS);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(Math.max(...starts)).toBeLessThan(24 * 3600);
  });

  it('asks for 3 to 5 urgent medicines at times within the day, for occupied rooms, each due 45 minutes later', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { urgent, occupied } = daySchedule(rooms, seed);
      expect(urgent.length).toBeGreaterThanOrEqual(3);
      expect(urgent.length).toBeLessThanOrEqual(5);
      for (const u of urgent) {
        expect(occupied).toContain(u.room);
        expect(u.atS).toBeGreaterThanOrEqual(7 * 3600);
        expect(u.atS).toBeLessThanOrEqual(23 * 3600);
        expect(u.dueS - u.atS).toBe(45 * 60);
      }
      expect(urgent.map((u) => u.atS)).toEqual([...urgent.map((u) => u.atS)].sort((a, b) => a - b));
    }
  });

  it('is the same day for the same seed and another for another seed', () => {
    expect(daySchedule(rooms, 3)).toEqual(daySchedule(rooms, 3));
    expect(daySchedule(rooms, 3).occupied).not.toEqual(daySchedule(rooms, 4).occupied);
  });

  it('shortens the day to the named rounds, rooms and urgent count asked', () => {
    const day = daySchedule(rooms, 1, { occupied: 10, medicineRooms: 4, only: ['medicine 1', 'lunch'], urgentCount: [1, 1], urgentWindowS: [600, 660], medicineDueMin: 30 });
    expect(day.services.map((s) => [s.name, s.rooms.length])).toEqual([
      ['medicine 1', 4],
      ['lunch', 10],
    ]);
    expect(day.services[0]!.dueS).toBe(6.5 * 3600 + 30 * 60);
    expect(day.urgent).toHaveLength(1);
    expect(day.urgent[0]!.atS).toBeGreaterThanOrEqual(600);
    expect(day.urgent[0]!.atS).toBeLessThanOrEqual(660);
  });

  it('refuses more occupied rooms than the site has', () => {
    expect(() => daySchedule(rooms.slice(0, 20), 1)).toThrow(/20 rooms, asked for 150/);
  });

  it('writes the day clock as hh:mm', () => {
    expect(clockTime(27_000)).toBe('07:30');
    expect(clockTime(0)).toBe('00:00');
    expect(clockTime(24 * 3600 + 61)).toBe('24:01');
  });
});
