import type { Awaitable } from './store.js';

/**
 * Runs a store write nobody waits for (an audit line, a tray's state from a robot message):
 * a failure is logged, never thrown into the caller, which is often a message handler that must
 * keep going. Writes still reach the store in the order they were made.
 */
export function writeInBackground(write: () => Awaitable<void>, log: { warn: (details: object, message: string) => void }, what: string): void {
  const failed = (error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, `could not save ${what}`);
  try {
    const pending = write();
    if (pending instanceof Promise) pending.catch(failed);
  } catch (error) {
    failed(error);
  }
}
