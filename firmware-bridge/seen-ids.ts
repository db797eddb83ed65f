/**
 * The last `capacity` message ids a device took. A broker redelivers a QoS 1 message it is not
 * sure arrived (after a reconnect with a persistent session), so a command may come twice; its id
 * tells the repeat, which must not run again (a second `start` would fly a sortie twice, a
 * second `cancelOrder` would cancel the order sent after it).
 */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 256) {}

  /** True the first time `id` comes; false for a repeat. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // Sets iterate in insertion order: the first is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
