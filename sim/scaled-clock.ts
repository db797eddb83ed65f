import type { Clock, ClockTimer } from '../protocol/index.js';

/**
 * Simulated time running `speed` times faster than real time. Everything in a simulation
 * (bridges, sim world, controller) shares one, so a 10-minute trip at speed 600 takes 1 s.
 */
export class ScaledClock implements Clock {
  private baseSimMs: number;
  private baseRealMs = performance.now();

  constructor(
    private speedFactor: number,
    startMs = Date.now(),
  ) {
    if (!(speedFactor > 0)) throw new Error(`speed must be positive, got ${speedFactor}`);
    this.baseSimMs = startMs;
  }

  get speed(): number {
    return this.speedFactor;
  }

  /** Changes the speed from now on; timers already set keep the old rate. */
  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
    this.baseSimMs = this.now();
    this.baseRealMs = performance.now();
    this.speedFactor = speed;
  }

  now(): number {
    return this.baseSimMs + (performance.now() - this.baseRealMs) * this.speedFactor;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    return { id: setTimeout(fn, Math.max(0, ms) / this.speedFactor) };
  }

  clearTimeout(timer: ClockTimer): void {
    clearTimeout(timer.id as NodeJS.Timeout);
  }

  /** Work the caller awaits runs while time goes on (the wall clock does not wait). */
  hold<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  /** Polls `condition` every 10 ms of real time until it holds; rejects after `wallLimitMs`. */
  async until(condition: () => boolean, options: { wallLimitMs: number; what: string }): Promise<void> {
    const start = performance.now();
    while (!condition()) {
      if (performance.now() - start > options.wallLimitMs) throw new Error(`timed out waiting for ${options.what} (${options.wallLimitMs} ms of real time)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {}
}
