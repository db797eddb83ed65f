/**
 * The time source every part of isofleet takes as an argument, so the simulator can run
 * the same code faster than real time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Calls `fn` after `ms` of this clock's time. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Opaque handle of a timer set on a {@link Clock}. */
export type ClockTimer = { readonly id: unknown };

/** Real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => ({ id: setTimeout(fn, ms) }),
  clearTimeout: (timer) => clearTimeout(timer.id as NodeJS.Timeout),
};

/**
 * Resolves after `ms` of the clock's time; rejects with the signal's reason when aborted.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
