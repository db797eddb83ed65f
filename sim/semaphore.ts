/** First come, first served semaphore: `permits` holders at once (pad crews; the medic is one). */
export class Semaphore {
  private readonly waiters: (() => void)[] = [];
  private free: number;

  constructor(readonly permits: number) {
    this.free = permits;
  }

  /** Resolves with a release function once a permit is ours; rejects if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.free--;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.free++;
          this.waiters.shift()?.();
        });
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.free > 0) grant();
      else this.waiters.push(grant);
    });
  }

  /** Holders waiting, not counting those served. */
  get waiting(): number {
    return this.waiters.length;
  }
}
