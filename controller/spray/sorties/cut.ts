import type { Vec2 } from '../geometry/types.js';
import type { RouteSeg } from '../path/connect.js';
import type { FlightSpace } from '../path/types.js';
import { enduranceS, litresPerMetre, spraySpeedMps, type SprayDroneProfile } from '../profile.js';
import { cornerPenaltyS, polylineTimes, turnAngle } from '../time/time-model.js';
import type { TurnModel } from '../time/turn-model.js';
import type { LocalPad } from '../zones/validate.js';
import type { LocalSortie } from './types.js';

/** What the sortie cutter needs. */
export interface CutContext {
  segs: RouteSeg[];
  profile: SprayDroneProfile;
  space: FlightSpace;
  pads: LocalPad[];
  turns: TurnModel;
  /**
   * Share of the usable battery the cutter plans with (default 0.95): its running time estimate
   * is approximate, the exact acceleration-limited time is computed once the sortie is built.
   */
  batteryMargin?: number;
}

/**
 * A sortie from pad `pad` cannot spray at all: the point where the work goes on is too far to fly
 * there and back. {@link planSpray} checks reach first ({@link unreachableWork}); this is for what
 * that straight-line check misses (a way around keepouts much longer than the straight line).
 */
export class OutOfReachError extends Error {
  constructor(
    readonly point: Vec2,
    readonly pad: number,
  ) {
    super(`sortie from pad ${pad} cannot spray at all: work is out of battery range`);
  }
}

const lerp = (a: Vec2, b: Vec2, f: number): Vec2 => [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
const dist = (a: Vec2, b: Vec2) => Math.hypot(b[0] - a[0], b[1] - a[1]);

/** Point of the route at position `u` (segment index + fraction). */
export function pointAt(segs: RouteSeg[], u: number): Vec2 {
  const i = Math.min(segs.length - 1, Math.floor(u));
  const s = segs[i]!;
  return lerp(s.a, s.b, Math.min(1, u - i));
}

function pathLength(pts: Vec2[]): number {
  let s = 0;
  for (let i = 0; i + 1 < pts.length; i++) s += dist(pts[i]!, pts[i + 1]!);
  return s;
}

/**
 * Cuts the route part [u0, u1) into sorties: each takes off from a pad, ferries to where spraying
 * stopped, sprays until the tank is empty or the battery (keeping the reserve and the way back to
 * the nearest pad) runs out, and lands at the pad with the shortest way back. The next sortie
 * resumes exactly at the cut point. Leading pump-off segments of a sortie are skipped: the ferry
 * from the pad goes straight to the next spraying point.
 */
export function cutSorties(ctx: CutContext, u0: number, u1: number, startPad: number): LocalSortie[] {
  const { segs, profile: p, space, pads, turns } = ctx;
  const sprayV = spraySpeedMps(p);
  const lpm = litresPerMetre(p);
  const budget = (1 - p.reserveFrac) * (ctx.batteryMargin ?? 0.95);
  const returnS = (q: Vec2) => {
    let d = Infinity;
    for (const pad of pads) d = Math.min(d, dist(q, pad.p));
    return (d * 1.15) / p.ferrySpeedMps + p.ferrySpeedMps / p.accelMps2 + p.takeoffLandingS / 2;
  };
  const out: LocalSortie[] = [];
  let u = u0;
  let pad = startPad;
  for (;;) {
    while (u < u1 - 1e-9 && !segs[Math.floor(u)]!.spray) u = Math.floor(u) + 1;
    if (u >= u1 - 1e-9) break;
    const fromU = u;
    const start = pointAt(segs, u);
    const out1 = space.path(pads[pad]!.p, start) ?? [pads[pad]!.p, start];
    const pts: Vec2[] = [...out1];
    const spray: boolean[] = out1.slice(1).map(() => false);
    const speeds: number[] = out1.slice(1).map(() => p.ferrySpeedMps);
    const swaths: number[] = out1.slice(1).map(() => p.swathM);
    let tank = p.tankL;
    let batt = (p.takeoffLandingS / 2 + pathLength(out1) / p.ferrySpeedMps + p.ferrySpeedMps / p.accelMps2) / enduranceS(p, tank);
    let progressed = false;
    while (u < u1 - 1e-9) {
      if (tank <= 1e-6) break; // empty: do not carry on ferrying to the next pass
      const i = Math.floor(u);
      const s = segs[i]!;
      const f0 = u - i;
      const f1 = Math.min(1, u1 - i);
      const a = lerp(s.a, s.b, f0);
      const b = lerp(s.a, s.b, f1);
      const len = dist(a, b);
      const v = s.spray ? sprayV : p.ferrySpeedMps;
      const prev = pts.length >= 2 ? pts[pts.length - 2]! : null;
      const vPrev = speeds[speeds.length - 1] ?? p.ferrySpeedMps;
      const pen = prev && len > 1e-9 ? cornerPenaltyS(turns.cornerSpeedMps(turnAngle(prev, a, b), vPrev, v), v, p.accelMps2) : 0;
      const litres = s.spray ? len * lpm * ((s.swathM ?? p.swathM) / p.swathM) : 0;
      const dB = (len / v + pen) / enduranceS(p, tank - litres / 2);
      const ok = (f: number) => tank - litres * f >= -1e-9 && batt + dB * f + returnS(lerp(a, b, f)) / enduranceS(p, tank - litres * f) <= budget;
      let f = 1;
      if (!ok(1)) {
        let lo = 0;
        let hi = 1;
        for (let k = 0; k < 40; k++) {
          const m = (lo + hi) / 2;
          if (ok(m)) lo = m;
          else hi = m;
        }
        f = lo;
      }
      if (f * len > 1e-6) {
        const end = lerp(a, b, f);
        pts.push(end);
        spray.push(s.spray);
        speeds.push(v);
        swaths.push(s.swathM ?? p.swathM);
        tank -= litres * f;
        batt += dB * f;
        progressed = progressed || s.spray;
      }
      u = f >= 1 ? i + f1 : i + f0 + (f1 - f0) * f;
      if (f < 1) break;
    }
    if (!progressed) throw new OutOfReachError(start, pad);
    const endPt = pts[pts.length - 1]!;
    let back: Vec2[] | null = null;
    let toPad = 0;
    let backLen = Infinity;
    for (const pd of [...pads].sort((x, y) => dist(endPt, x.p) - dist(endPt, y.p))) {
      if (dist(endPt, pd.p) >= backLen) break; // a path is never shorter than the straight line
      const b = space.path(endPt, pd.p);
      if (b && pathLength(b) < backLen) {
        back = b;
        backLen = pathLength(b);
        toPad = pd.index;
      }
    }
    const home = back ?? [endPt, pads[0]!.p];
    for (const q of home.slice(1)) {
      pts.push(q);
      spray.push(false);
      speeds.push(p.ferrySpeedMps);
      swaths.push(p.swathM);
    }
    out.push(finishSortie(p, turns, { pts, spray, speeds, swaths }, pad, toPad, fromU, u));
    pad = toPad;
  }
  return out;
}

/** Exact time, litres and battery of a built sortie polyline (`spray`, `speeds`, `swaths` per segment). */
export function finishSortie(
  p: SprayDroneProfile,
  turns: TurnModel,
  poly: { pts: Vec2[]; spray: boolean[]; speeds: number[]; swaths: number[] },
  fromPad: number,
  toPad: number,
  fromU: number,
  toU: number,
): LocalSortie {
  const { pts, spray, speeds, swaths } = poly;
  const times = polylineTimes(pts, speeds, p.accelMps2, turns);
  let tank = p.tankL;
  let batt = p.takeoffLandingS / 2 / enduranceS(p, tank);
  let sprayLen = 0;
  let total = 0;
  times.forEach((t, i) => {
    const len = dist(pts[i]!, pts[i + 1]!);
    total += len;
    const litres = spray[i] ? len * litresPerMetre(p, swaths[i]!) : 0;
    if (spray[i]) sprayLen += len;
    batt += t / enduranceS(p, tank - litres / 2);
    tank -= litres;
  });
  batt += p.takeoffLandingS / 2 / enduranceS(p, tank);
  const flightS = times.reduce((s, t) => s + t, 0) + p.takeoffLandingS;
  const firstSpray = spray.indexOf(true);
  const lastSpray = spray.lastIndexOf(true);
  let overheadS = p.takeoffLandingS;
  times.forEach((t, i) => {
    if (i < firstSpray || i > lastSpray) overheadS += t;
  });
  return {
    fromPad,
    toPad,
    pts,
    spray,
    speedMps: speeds,
    swathM: swaths,
    flightS,
    overheadS,
    sprayL: p.tankL - tank,
    batteryUsedFrac: batt,
    sprayLengthM: sprayLen,
    totalLengthM: total,
    fromU,
    toU,
  };
}
