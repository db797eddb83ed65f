/**
 * Wraps an async job so at most one run is in flight. A call during a run returns that run
 * and asks for exactly one more after it, so the last change is always seen without
 * stacking a run per event (robots come back and go idle in bursts).
 */
export function oneAtATime(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const call = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void call();
      }
    });
    return running;
  };
  return call;
}
