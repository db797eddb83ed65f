/**
 * Planner threads: heavy planning (spray plans, round improvement) runs here, off the event loop
 * that serves HTTP, MQTT and socket.io. Planning a 10 km road strip on the event loop once held
 * every request for minutes and let the broker drop its clients.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { systemClock, type Clock } from '../../protocol/index.js';
import type { PlannerTasks } from './tasks.js';

/** Why a task gave no result. */
export type WorkFailure = 'timeout' | 'memory' | 'cancelled' | 'busy' | 'failed';

/** A task's result, or why there is none (never thrown). */
export type WorkResult<T> = { ok: true; value: T; ms: number } | { ok: false; reason: WorkFailure; message: string };

/** Options of {@link PlannerPool}. */
export interface PlannerPoolOptions {
  /** Threads at most (default: the cores less one, at least 1). */
  threads?: number;
  /** Heap of each thread, MB (default 512); a task that needs more ends with `memory`. */
  maxHeapMb?: number;
  /** Tasks waiting for a thread at most; more are refused with `busy` (default 16). */
  maxQueue?: number;
  /** A thread idle this long exits, ms (default 30 000): an idle controller holds none. */
  idleTimeoutMs?: number;
  /**
   * The clock tasks' time budgets are counted on (default system time). A thread computes in
   * real time whatever clock the fleet runs on, so the controller gives it the system clock.
   */
  clock?: Clock;
}

/** Per-task limits. */
export interface RunOptions {
  /** Time budget, ms of the pool's clock: the thread is stopped past it and the task ends with `timeout`. */
  timeMs: number;
  /** Aborting it stops the thread; the task ends with `cancelled`. */
  signal?: AbortSignal;
}

/**
 * A pool of worker threads (piscina) running {@link PlannerTasks}. Each task has a time budget and
 * can be cancelled (both stop its thread, which is replaced); each thread has a heap limit
 * (`resourceLimits`), so a runaway plan ends with an error instead of taking the controller down.
 */
export class PlannerPool {
  private readonly piscina: Piscina;
  private readonly closing = new AbortController();
  private readonly maxHeapMb: number;
  private readonly clock: Clock;

  constructor(options: PlannerPoolOptions = {}) {
    const maxHeapMb = options.maxHeapMb ?? 512;
    this.maxHeapMb = maxHeapMb;
    this.clock = options.clock ?? systemClock;
    this.piscina = new Piscina({
      filename: new URL('./worker-boot.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: options.threads ?? Math.max(1, availableParallelism() - 1),
      maxQueue: options.maxQueue ?? 16,
      idleTimeout: options.idleTimeoutMs ?? 30_000,
      // No inherited loader or inspector flags: the boot file registers tsx itself.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, Math.ceil(maxHeapMb / 8)) },
    });
    // A thread that dies (out of memory) is replaced by piscina; its task is rejected, not thrown here.
    this.piscina.on('error', () => {});
  }

  /** Runs task `name` on a planner thread within `options.timeMs`. */
  async run<K extends keyof PlannerTasks>(name: K, args: Parameters<PlannerTasks[K]>[0], options: RunOptions): Promise<WorkResult<ReturnType<PlannerTasks[K]>>> {
    const timeout = new AbortController();
    const timer = this.clock.setTimeout(() => timeout.abort(), options.timeMs);
    const signal = AbortSignal.any([timeout.signal, this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    // How long the task took, in real time (reported, never decided on).
    const t0 = performance.now();
    try {
      const value = (await this.piscina.run(args, { name, signal })) as ReturnType<PlannerTasks[K]>;
      return { ok: true, value, ms: performance.now() - t0 };
    } catch (error) {
      const e = error as Error & { code?: string };
      if (timeout.signal.aborted) return { ok: false, reason: 'timeout', message: `took longer than its ${(options.timeMs / 1000).toFixed(0)} s budget` };
      if (signal.aborted) return { ok: false, reason: 'cancelled', message: this.closing.signal.aborted ? 'the controller is stopping' : 'cancelled' };
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') return { ok: false, reason: 'memory', message: `needed more than its ${this.maxHeapMb} MB of memory` };
      if (/queue is at limit/i.test(e.message)) return { ok: false, reason: 'busy', message: 'the planner is busy with other work; try again shortly' };
      return { ok: false, reason: 'failed', message: e.message };
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** Stops every running task (they end with `cancelled`) and the threads. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.piscina.destroy();
  }
}
