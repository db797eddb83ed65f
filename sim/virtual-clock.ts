import type { Clock, ClockTimer } from '../protocol/index.js';
import { QuiescenceProbe } from './quiescence.js';

/** Where a virtual clock starts unless told: a fixed instant, so two runs read the same times. */
export const VIRTUAL_EPOCH_MS = Date.parse('2026-01-05T11:00:00Z');

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Simulated time that moves only when this process has nothing left to do at the current
 * instant (see {@link QuiescenceProbe}), and then jumps to the earliest timer due: the
 * discrete-event stepping of SimPy or Gazebo's stepped mode. It runs as fast as the CPU allows
 * and a run gives the same result at any machine load: time never passes while a message, a
 * handler or a request the scenario awaits is still under way.
 *
 * Timers fire one at a time, each followed by quiescence before the next, so every timer's
 * consequences (MQTT messages, replies, new timers) are settled before the next timer runs;
 * timers due at the same instant fire in the order they were set. Time moves only inside
 * {@link until}: setting up a scenario (connecting, planning a mission) takes no simulated time.
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private readonly probe = new QuiescenceProbe();

  constructor(startMs = VIRTUAL_EPOCH_MS) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: Timer = { at: this.nowMs + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: ++this.seq, fn, cancelled: false };
    this.push(timer);
    return { id: timer };
  }

  clearTimeout(timer: ClockTimer): void {
    const t = timer?.id as Timer | undefined;
    if (t) t.cancelled = true;
  }

  /** Keeps time still until `work` settles: a request the scenario itself sends and awaits. */
  hold<T>(work: Promise<T>): Promise<T> {
    return this.probe.hold(work);
  }

  /**
   * Resolves once nothing is left to do at the current instant; `since`: the probe's socket
   * churn before the work being settled began (see {@link QuiescenceProbe.settle}).
   */
  settle(since?: number): Promise<void> {
    return this.probe.settle(since);
  }

  /** What the probe sees: a connection to another process makes a run unrepeatable. */
  connections(): { inProcess: number; external: number } {
    return this.probe.connections();
  }

  /**
   * Runs simulated time until `condition` holds at a quiet instant: settle, check, fire the
   * earliest timer, repeat. Rejects after `wallLimitMs` of real time, or when no timer is left
   * and the condition still does not hold.
   */
  async until(condition: () => boolean, options: { wallLimitMs: number; what: string }): Promise<void> {
    const start = performance.now();
    let since: number | undefined;
    for (;;) {
      await this.settle(since);
      if (condition()) return;
      if (performance.now() - start > options.wallLimitMs) throw new Error(`timed out waiting for ${options.what} (${options.wallLimitMs} ms of real time)`);
      const next = this.pop();
      if (!next) throw new Error(`nothing left to happen while waiting for ${options.what}`);
      this.nowMs = Math.max(this.nowMs, next.at);
      since = this.probe.socketChurn();
      try {
        next.fn();
      } catch (error) {
        // As a real timer's exception would: uncaught, not swallowed by the stepping loop.
        setImmediate(() => {
          throw error;
        });
      }
    }
  }

  /** Stops watching sockets; timers left are dropped. */
  close(): void {
    this.probe.close();
    this.heap.length = 0;
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  /** The earliest live timer, removed from the heap. */
  private pop(): Timer | undefined {
    const h = this.heap;
    while (h.length) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && before(h[l]!, h[m]!)) m = l;
          if (r < h.length && before(h[r]!, h[m]!)) m = r;
          if (m === i) break;
          [h[i], h[m]] = [h[m]!, h[i]!];
          i = m;
        }
      }
      if (!top.cancelled) return top;
    }
    return undefined;
  }
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
