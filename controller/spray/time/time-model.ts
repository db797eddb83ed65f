import type { Vec2 } from '../geometry/types.js';
import type { TurnModel } from './turn-model.js';

/** Heading change at `b` on the way a → b → c, radians in [0, π]. */
export function turnAngle(a: Vec2, b: Vec2, c: Vec2): number {
  const h1 = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const h2 = Math.atan2(c[1] - b[1], c[0] - b[0]);
  let d = Math.abs(h2 - h1) % (2 * Math.PI);
  if (d > Math.PI) d = 2 * Math.PI - d;
  return d;
}

/** Time to fly `lenM` from speed `v0` to `v1` with cruise `vMax` and acceleration `acc`, s. */
export function segmentTimeS(lenM: number, v0: number, v1: number, vMax: number, acc: number): number {
  if (lenM <= 0) return 0;
  const peak = Math.sqrt((2 * acc * lenM + v0 * v0 + v1 * v1) / 2);
  if (peak <= vMax) return Math.max(0, (2 * peak - v0 - v1) / acc);
  const dAcc = (vMax * vMax - v0 * v0) / (2 * acc);
  const dDec = (vMax * vMax - v1 * v1) / (2 * acc);
  return (vMax - v0) / acc + (vMax - v1) / acc + (lenM - dAcc - dDec) / vMax;
}

/**
 * Acceleration-limited time along a polyline that starts and ends at rest: corner speeds from the
 * turn model, then a forward and a backward pass so no speed change needs more than `acc`.
 * Returns the time of each segment, s (`cruiseMps[i]` is the cruise speed of segment i).
 */
export function polylineTimes(pts: Vec2[], cruiseMps: number[], acc: number, turns: TurnModel): number[] {
  const n = pts.length;
  if (n < 2) return [];
  const len = pts.slice(1).map((p, i) => Math.hypot(p[0] - pts[i]![0], p[1] - pts[i]![1]));
  const v = new Array<number>(n).fill(0);
  for (let i = 1; i < n - 1; i++) {
    const vin = cruiseMps[i - 1]!;
    const vout = cruiseMps[i]!;
    v[i] = len[i - 1]! < 1e-9 || len[i]! < 1e-9 ? Math.min(vin, vout) : turns.cornerSpeedMps(turnAngle(pts[i - 1]!, pts[i]!, pts[i + 1]!), vin, vout);
  }
  for (let i = 1; i < n; i++) v[i] = Math.min(v[i]!, Math.sqrt(v[i - 1]! ** 2 + 2 * acc * len[i - 1]!));
  for (let i = n - 2; i >= 0; i--) v[i] = Math.min(v[i]!, Math.sqrt(v[i + 1]! ** 2 + 2 * acc * len[i]!));
  return len.map((l, i) => segmentTimeS(l, v[i]!, v[i + 1]!, cruiseMps[i]!, acc));
}

/** Extra time a corner costs compared to flying through at cruise `v`, s (decelerate + accelerate). */
export function cornerPenaltyS(vCorner: number, v: number, acc: number): number {
  return v > 0 ? (v - vCorner) ** 2 / (acc * v) : 0;
}
