/**
 * Moving things between reports: each glides in metres from where it was drawn to its newest
 * report, over the interval between reports, so motion looks continuous at any push rate.
 */

/** One report of one thing: metres in the map's plane, and the level it is on if there are several. */
export interface GlideSample {
  id: string;
  x: number;
  y: number;
  level?: string;
}

/** One thing's glide: from (fx, fy) at `t0` to (tx, ty) at `t0 + durationMs` (performance.now() ms). */
export interface Glide {
  fx: number;
  fy: number;
  tx: number;
  ty: number;
  t0: number;
  durationMs: number;
  level: string | undefined;
}

/** The glides of a fleet, keyed by id. */
export class Glides {
  private readonly glides = new Map<string, Glide>();
  private lastUpdate = 0;

  /** Takes a new snapshot received at `now` (performance.now()); a thing that changed level jumps. */
  update(samples: Iterable<GlideSample>, now: number): void {
    // Clamped so a stalled push neither freezes motion for long nor makes it jerk at 50 Hz.
    const interval = this.lastUpdate ? Math.min(1000, Math.max(80, now - this.lastUpdate)) : 200;
    this.lastUpdate = now;
    for (const s of samples) {
      const old = this.glides.get(s.id);
      if (old && old.level === s.level) {
        const [x, y] = this.at(old, now);
        old.fx = x;
        old.fy = y;
        old.tx = s.x;
        old.ty = s.y;
        old.t0 = now;
        old.durationMs = interval;
      } else {
        this.glides.set(s.id, { fx: s.x, fy: s.y, tx: s.x, ty: s.y, t0: now, durationMs: interval, level: s.level });
      }
    }
  }

  /** Forgets every glide (the plane's origin moved). */
  clear(): void {
    this.glides.clear();
  }

  /** True while any thing is still between two reports. */
  moving(now: number): boolean {
    for (const g of this.glides.values()) if (now - g.t0 < g.durationMs && (g.fx !== g.tx || g.fy !== g.ty)) return true;
    return false;
  }

  /** Where `g` is at `now`, in metres. */
  at(g: Glide, now: number): [number, number] {
    const f = Math.min(1, Math.max(0, (now - g.t0) / g.durationMs));
    return [g.fx + (g.tx - g.fx) * f, g.fy + (g.ty - g.fy) * f];
  }

  get(id: string): Glide | undefined {
    return this.glides.get(id);
  }
}
