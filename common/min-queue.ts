import TinyQueue from 'tinyqueue';

/** A min-priority queue of items by a numeric key (tinyqueue's binary heap underneath); ties in no set order. */
export class MinQueue<T> {
  private readonly queue = new TinyQueue<[T, number]>([], (a, b) => a[1] - b[1]);

  push(item: T, key: number): void {
    this.queue.push([item, key]);
  }

  /** The item with the least key and its key, removed; undefined when empty. */
  pop(): [T, number] | undefined {
    return this.queue.pop();
  }
}
