/**
 * Copies of a set or map without one entry. A component's reactive state (`state: true`) renders
 * again when it is assigned a new value, not when it is changed in place: the components replace
 * their sets and maps with these instead of mutating them.
 */
export function without<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const copy = new Set(set);
  copy.delete(item);
  return copy;
}

/** A copy of `map` without `key` (see {@link without}). */
export function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}
