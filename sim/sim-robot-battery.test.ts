import { describe, expect, it } from 'vitest';
import { DEFAULT_BATTERY_PROFILE } from '../controller/energy/index.js';
import { generateHotel } from '../controller/site/hotel-generator.js';
import { siteSchema, type Clock, type ClockTimer, type OrderEdge } from '../protocol/index.js';
import { SimRobotDriver } from './sim-robot-driver.js';
import { SimWorld } from './world.js';

/** A clock the test moves by hand: timers fire in order as it passes them. */
class HandClock implements Clock {
  private ms = 0;
  private timers: { at: number; fn: () => void; id: object }[] = [];
  now(): number {
    return this.ms;
  }
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = {};
    this.timers.push({ at: this.ms + ms, fn, id });
    return { id };
  }
  clearTimeout(timer: ClockTimer): void {
    this.timers = this.timers.filter((t) => t.id !== timer.id);
  }
  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    for (;;) {
      // What was started before (a drive) sets its timers a few promise turns later.
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.ms = next.at;
      next.fn();
    }
    this.ms = end;
  }
}

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 2 }));

function setUp(batteryPct: number, at = 'G-charger1') {
  const clock = new HandClock();
  const world = new SimWorld({ site, clock, seed: 1 });
  return { clock, robot: new SimRobotDriver(world, at, { batteryPct, name: 'robot-1' }) };
}

function edge(from: string, to: string, length: number): OrderEdge {
  return { edgeId: `${from}--${to}`, sequenceId: 1, released: true, startNodeId: from, endNodeId: to, length, actions: [] };
}

describe('simulated robot battery', () => {
  it('drains by the hour standing, and by the metre driving on top', async () => {
    const { clock, robot } = setUp(80);
    await clock.advance(3_600_000);
    expect(robot.status().batteryPct).toBeCloseTo(80 - DEFAULT_BATTERY_PROFILE.idlePctPerH, 1);
    const before = robot.status().batteryPct;
    const drive = robot.driveTo({ fromNodeId: 'G-charger1', nodeId: 'G-loading', edgeId: 'e', lengthM: 100, edge: edge('G-charger1', 'G-loading', 100) }, new AbortController().signal);
    const seconds = 100 / 0.8;
    await clock.advance(seconds * 1000);
    await drive;
    expect(robot.status().batteryPct).toBeCloseTo(before - 100 * DEFAULT_BATTERY_PROFILE.drainPctPerM - (seconds / 3600) * DEFAULT_BATTERY_PROFILE.idlePctPerH, 1);
  });

  it('charges on a charger when told to (VDA batteryState.charging), up to 100 %, and not elsewhere', async () => {
    const { clock, robot } = setUp(40);
    expect(robot.status().charging).toBe(false);
    await robot.setCharging(true);
    expect(robot.status().charging).toBe(true);
    await clock.advance(3_600_000);
    expect(robot.status().batteryPct).toBeCloseTo(40 + DEFAULT_BATTERY_PROFILE.chargePctPerH, 1);
    await clock.advance(10 * 3_600_000);
    expect(robot.status().batteryPct).toBe(100);
    await robot.setCharging(false);
    await clock.advance(3_600_000);
    expect(robot.status().batteryPct).toBeCloseTo(100 - DEFAULT_BATTERY_PROFILE.idlePctPerH, 1);
    const away = setUp(40, 'G-loading').robot;
    await expect(away.setCharging(true)).rejects.toThrow(/not on a charger/);
  });

  it('driving off the charger unplugs it', async () => {
    const { clock, robot } = setUp(40);
    await robot.setCharging(true);
    const drive = robot.driveTo({ fromNodeId: 'G-charger1', nodeId: 'G-loading', edgeId: 'e', lengthM: 50, edge: edge('G-charger1', 'G-loading', 50) }, new AbortController().signal);
    await clock.advance(70_000);
    await drive;
    expect(robot.status().charging).toBe(false);
    expect(robot.status().batteryPct).toBeLessThan(40);
  });
});
