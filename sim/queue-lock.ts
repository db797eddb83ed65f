/** First come, first served lock for one shared resource (a lift car, the medic at the station). */
export class QueueLock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  /** Resolves with a release function once it is our turn; rejects if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.held = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.held = false;
          this.waiters.shift()?.();
        });
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.held) this.waiters.push(grant);
      else grant();
    });
  }

  /** Robots waiting, not counting the one served. */
  get waiting(): number {
    return this.waiters.length;
  }
}
