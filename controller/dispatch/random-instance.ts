/**
 * Seeded random benchmark-style instances for property tests and benchmarks.
 */
import type { VrpInstance } from './instance.js';
import { seededRandom } from '../../protocol/index.js';

/** Shape of a random instance. */
export interface RandomInstanceOptions {
  /** Number of customers (default 20). */
  readonly customers?: number;
  /** Add Solomon-style time windows and service times (default false). */
  readonly timeWindows?: boolean;
  /** Vehicle capacity (default 50); demands are 1..20. */
  readonly capacity?: number;
}

/**
 * A random instance on a 100 × 100 grid with integer coordinates. With time windows, every
 * customer can be served by a vehicle of its own (so a fleet of one vehicle per customer is
 * always feasible): its window opens no earlier than reachable and closes early enough to return.
 */
export function randomInstance(seed: number, o: RandomInstanceOptions = {}): VrpInstance {
  const rand = seededRandom(seed);
  const n = (o.customers ?? 20) + 1;
  const capacity = o.capacity ?? 50;
  const coords: [number, number][] = [];
  for (let i = 0; i < n; i++) coords.push([Math.floor(rand() * 101), Math.floor(rand() * 101)]);
  const demand = coords.map((_, i) => (i === 0 ? 0 : 1 + Math.floor(rand() * 20)));
  const base = { name: `rand-${seed}`, fileIds: coords.map((_, i) => i), coords, demand, capacity };
  if (!o.timeWindows) return { ...base, format: 'cvrplib', vehicleLimit: n - 1, convention: 'round' };
  const horizon = 1000;
  const readyS = [0];
  const dueS = [horizon];
  const serviceS = [0];
  for (let i = 1; i < n; i++) {
    const d = Math.hypot(coords[i]![0] - coords[0]![0], coords[i]![1] - coords[0]![1]);
    const svc = 10;
    const earliest = Math.ceil(d);
    const latest = Math.floor(horizon - svc - d - 1);
    const width = 20 + Math.floor(rand() * 200);
    const ready = earliest + Math.floor(rand() * Math.max(1, latest - earliest - width));
    readyS.push(ready);
    dueS.push(Math.min(latest, ready + width));
    serviceS.push(svc);
  }
  return { ...base, format: 'solomon', vehicleLimit: n - 1, readyS, dueS, serviceS, convention: 'truncate1' };
}
