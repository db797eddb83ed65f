import { describe, expect, it } from 'vitest';
import type { Clock, ClockTimer, Lane } from '../protocol/index.js';
import { SimNarrowWays } from './sim-narrow-ways.js';

/** A clock the test moves by hand: timers due fire in order as it advances. */
class SteppedClock implements Clock {
  private nowMs = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now = () => this.nowMs;
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer = { at: this.nowMs + ms, fn };
    this.timers.push(timer);
    return { id: timer };
  }
  clearTimeout(timer: ClockTimer): void {
    this.timers = this.timers.filter((t) => t !== timer.id);
  }
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (let due = this.next(end); due; due = this.next(end)) {
      this.nowMs = due.at;
      this.timers = this.timers.filter((t) => t !== due);
      due.fn();
      await Promise.resolve();
    }
    this.nowMs = end;
    await new Promise((r) => setImmediate(r));
  }
  private next(end: number) {
    return this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
  }
}

// west — a — m — b — east, the passage a—m—b single-width; a spur c — r (room) off the corridor.
const lanes: Lane[] = [
  { from: 'west', to: 'a', bidirectional: true },
  { from: 'a', to: 'm', bidirectional: true, way: 'passage' },
  { from: 'm', to: 'b', bidirectional: true, way: 'passage' },
  { from: 'b', to: 'east', bidirectional: true },
  { from: 'b', to: 'c', bidirectional: true },
  { from: 'c', to: 'r', bidirectional: true, way: 'spur' },
];
const signal = new AbortController().signal;

describe('single-width ways in the simulated world', () => {
  it('counts two robots coming onto a way from opposite ends as one head-on meeting', async () => {
    const ways = new SimNarrowWays({ lanes }, new SteppedClock());
    await ways.enter('r1', 'a', 'm', signal);
    await ways.enter('r2', 'b', 'm', signal).catch(() => undefined);
    expect(ways.headOn.map((m) => [m.way, m.robots])).toEqual([['passage', ['r2', 'r1']]]);
    // Off the way at the far ends: gone; the next robot in meets nobody.
    ways.arrive('r1', 'b');
    ways.arrive('r2', 'a');
    await ways.enter('r3', 'a', 'm', signal);
    expect(ways.headOn).toHaveLength(1);
  });

  it('robots following one another the same way do not meet; a lane outside any way is not watched', async () => {
    const ways = new SimNarrowWays({ lanes }, new SteppedClock());
    await ways.enter('r1', 'a', 'm', signal);
    await ways.enter('r2', 'a', 'm', signal);
    await ways.enter('r3', 'b', 'east', signal);
    expect(ways.headOn).toEqual([]);
    expect(ways.on('passage').sort()).toEqual(['r1', 'r2']);
  });

  it('a robot coming back out of a dead end meets the one that followed it in', async () => {
    const ways = new SimNarrowWays({ lanes }, new SteppedClock());
    await ways.enter('r1', 'c', 'r', signal);
    ways.arrive('r1', 'r');
    const second = ways.enter('r2', 'c', 'r', signal);
    expect(ways.headOn).toEqual([]);
    await ways.enter('r1', 'r', 'c', signal);
    await second;
    expect(ways.headOn.map((m) => m.robots)).toEqual([['r1', 'r2']]);
  });

  it('nobody passes a robot standing inside the way: the one behind waits, and a wait past the limit is counted', async () => {
    const clock = new SteppedClock();
    const ways = new SimNarrowWays({ lanes }, clock, 60);
    await ways.enter('r1', 'a', 'm', signal);
    ways.arrive('r1', 'm');
    let through = false;
    const behind = ways.enter('r2', 'a', 'm', signal).then(() => (through = true));
    await clock.advance(30_000);
    expect(through).toBe(false);
    // r1 drives on: r2 may follow.
    await ways.enter('r1', 'm', 'b', signal);
    await behind;
    expect(ways.longWaits).toEqual([]);
    ways.arrive('r2', 'm');
    const third = ways.enter('r3', 'a', 'm', signal);
    await clock.advance(61_000);
    await third;
    expect(ways.longWaits).toMatchObject([{ robot: 'r3', way: 'passage', node: 'm', waitedS: 60 }]);
  });
});
