import type { Clock, ClockTimer } from '../protocol/index.js';

/**
 * A clock moved by hand for unit tests of what waits on time: `advance(ms)` moves it on and runs
 * the timers that come due, in the order they were set. Starts at 2026-11-30T08:00:00Z.
 */
export function manualClock(): { clock: Clock; advance: (ms: number) => void } {
  let nowMs = Date.parse('2026-11-30T08:00:00Z');
  let timers: { at: number; fn: () => void; timer: ClockTimer }[] = [];
  let nextId = 0;
  const clock: Clock = {
    now: () => nowMs,
    setTimeout: (fn, ms) => {
      const timer = { id: nextId++ } as unknown as ClockTimer;
      timers.push({ at: nowMs + ms, fn, timer });
      return timer;
    },
    clearTimeout: (timer) => {
      timers = timers.filter((t) => t.timer !== timer);
    },
  };
  const advance = (ms: number) => {
    nowMs += ms;
    for (const due of timers.filter((t) => t.at <= nowMs)) {
      // A timer cleared by one that ran before it stays cleared.
      if (!timers.includes(due)) continue;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
  };
  return { clock, advance };
}
