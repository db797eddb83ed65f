import { describe, expect, it } from 'vitest';
import { oneAtATime } from './one-at-a-time.js';

describe('oneAtATime', () => {
  it('never overlaps runs and runs once more after calls that came during a run', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const release: (() => void)[] = [];
    const job = oneAtATime(async () => {
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => release.push(r));
      active--;
    });
    const first = job();
    // Three calls during the first run ask for one more run, not three.
    expect(job()).toBe(first);
    void job();
    void job();
    release.shift()!();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    release.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    // Idle again: the next call starts a run at once.
    const third = job();
    expect(runs).toBe(3);
    release.shift()!();
    await third;
  });
});
