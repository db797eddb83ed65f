import type { Histogram } from 'prom-client';
import type { Store } from '../storage/index.js';

/** The store's writes: each is timed (reads are not; the API pages them and HTTP latency shows them). */
const WRITES = new Set<keyof Store>(['saveTrip', 'saveRound', 'createMission', 'saveMissionProgress', 'saveCoverage', 'audit']);

/**
 * `store` with every write timed into `histogram` (label `write`: the method's name), whether it
 * answers at once (SQLite) or with a promise (PostgreSQL); a failed write is timed too.
 */
export function timedStore(store: Store, histogram: Histogram<'write'>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!WRITES.has(property as keyof Store)) return value.bind(target);
      return (...args: unknown[]) => {
        const end = histogram.startTimer({ write: String(property) });
        try {
          const result = value.apply(target, args) as unknown;
          if (result instanceof Promise) return result.finally(() => end());
          end();
          return result;
        } catch (error) {
          end();
          throw error;
        }
      };
    },
  });
}
