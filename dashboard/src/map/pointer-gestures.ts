/**
 * Turns pointers on a map into taps, one-finger (or mouse) drags and two-finger pinches. It knows
 * nothing of the DOM: the element feeds it pointer ids and positions in its own pixels.
 */

export interface Point {
  x: number;
  y: number;
}

/** What a gesture asks of the map. */
export interface GestureHandlers {
  /**
   * Move the map so that what was under `from` ends up under `to`, scaled by `factor` about it
   * (1 for a drag). Called per pointer move; the map should only repaint on its next frame.
   */
  transform(from: Point, to: Point, factor: number): void;
  /** A single pointer went down and up without moving further than the slop. */
  tap(at: Point): void;
}

/**
 * Pointer bookkeeping for one map. A pointer that moves less than `slopPx` from where it went down
 * is still a tap (a gloved finger rolls a few pixels); once it moves further the drag starts,
 * from where it went down, so the map follows the finger exactly. A second pointer makes it a
 * pinch of the first two, and the gesture is then never a tap.
 */
export class PointerGestures {
  private readonly pointers = new Map<number, Point>();
  private tapCandidate?: { id: number; at: Point };

  constructor(
    private readonly handlers: GestureHandlers,
    private readonly slopPx = 10,
  ) {}

  /** True while any pointer is down. */
  get active(): boolean {
    return this.pointers.size > 0;
  }

  down(id: number, at: Point): void {
    this.pointers.set(id, at);
    this.tapCandidate = this.pointers.size === 1 ? { id, at } : undefined;
  }

  move(id: number, at: Point): void {
    if (!this.pointers.has(id)) return;
    const tap = this.tapCandidate;
    if (tap?.id === id) {
      if (Math.hypot(at.x - tap.at.x, at.y - tap.at.y) < this.slopPx) return;
      this.tapCandidate = undefined;
    }
    const before = this.shape();
    this.pointers.set(id, at);
    const after = this.shape();
    if (before && after) this.handlers.transform(before.centre, after.centre, before.spread > 0 ? after.spread / before.spread : 1);
  }

  up(id: number, _at: Point): void {
    if (!this.pointers.delete(id)) return;
    if (this.tapCandidate?.id === id) this.handlers.tap(this.tapCandidate.at);
    this.tapCandidate = undefined;
  }

  /** The pointer was taken away (by the browser or the OS): no tap, no further motion. */
  cancel(id: number): void {
    this.pointers.delete(id);
    this.tapCandidate = undefined;
  }

  /** Centre and spread of the gesture: the first two pointers' midpoint and distance, or the one pointer. */
  private shape(): { centre: Point; spread: number } | undefined {
    const [a, b] = this.pointers.values();
    if (!a) return undefined;
    if (!b) return { centre: a, spread: 0 };
    return { centre: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, spread: Math.hypot(a.x - b.x, a.y - b.y) };
  }
}
