import type { RouteSeg } from '../path/connect.js';
import { litresPerMetre, spraySpeedMps } from '../profile.js';
import type { LocalPad } from '../zones/validate.js';
import { cutSorties, pointAt, type CutContext } from './cut.js';
import type { LocalSortie, TimedSortie } from './types.js';

/** A drone's sorties on the clock. */
export interface DroneSchedule {
  sorties: TimedSortie[];
  finishS: number;
}

/**
 * Pad queue simulation: all drones take off at t = 0 (loaded and charged); after each sortie but
 * the last a drone waits for a free crew at the pad it landed on (first come, first served, one
 * drone per crew at a time), is serviced for `serviceS`, and takes off again.
 */
export function simulatePads(plans: LocalSortie[][], pads: LocalPad[], serviceS: number): DroneSchedule[] {
  const crewFree = pads.map((p) => new Array<number>(p.crews).fill(0));
  const out: DroneSchedule[] = plans.map(() => ({ sorties: [], finishS: 0 }));
  const next: Array<{ k: number; takeoffS: number }> = plans.map(() => ({ k: 0, takeoffS: 0 }));
  for (;;) {
    let d = -1;
    let landing = Infinity;
    plans.forEach((ss, i) => {
      const n = next[i]!;
      const s = ss[n.k];
      if (s && n.takeoffS + s.flightS < landing) ((landing = n.takeoffS + s.flightS), (d = i));
    });
    if (d < 0) break;
    const n = next[d]!;
    const s = plans[d]![n.k]!;
    out[d]!.sorties.push({ ...s, takeoffS: n.takeoffS, landingS: landing });
    out[d]!.finishS = landing;
    n.k++;
    if (n.k < plans[d]!.length) {
      const crews = crewFree[s.toPad]!;
      let c = 0;
      crews.forEach((t, j) => t < crews[c]! && (c = j));
      const start = Math.max(landing, crews[c]!);
      crews[c] = start + serviceS;
      n.takeoffS = start + serviceS;
    }
  }
  return out;
}

/** Options of {@link balancedSchedule}. */
export interface BalanceOptions {
  drones: number;
  /** Rebalancing rounds (default 12). */
  rounds?: number;
  /** Stop when busiest / least busy − 1 is below this (default 0.01). */
  tolerance?: number;
}

/**
 * Splits the route among N drones as contiguous parts and balances their finish times. The first
 * split is by predicted work time (spraying plus a per-litre share of sortie overhead); then the
 * pad queues are simulated and each drone's share is scaled by mean / own finish time, a few
 * rounds, keeping the best (smallest busiest/least-busy spread, then smallest makespan).
 */
export function balancedSchedule(ctx: CutContext, opts: BalanceOptions): DroneSchedule[] {
  const { segs, profile: p, pads } = ctx;
  const n = Math.max(1, Math.floor(opts.drones));
  const sprayV = spraySpeedMps(p);
  const lpm = litresPerMetre(p);
  let meanPadM = 0;
  let sprayCount = 0;
  segs.forEach((s) => {
    if (!s.spray) return;
    let d = Infinity;
    for (const pd of pads) d = Math.min(d, Math.hypot(pd.p[0] - s.a[0], pd.p[1] - s.a[1]));
    meanPadM += d;
    sprayCount++;
  });
  meanPadM /= Math.max(1, sprayCount);
  const perLitreS = (p.padServiceS + p.takeoffLandingS + (2 * meanPadM) / p.ferrySpeedMps) / p.tankL;
  const weight = (s: RouteSeg) => (s.spray ? s.lenM / sprayV + s.lenM * lpm * perLitreS : s.lenM / p.ferrySpeedMps);
  const cum = [0];
  for (const s of segs) cum.push(cum[cum.length - 1]! + weight(s));
  const total = cum[cum.length - 1]!;
  const uAtWeight = (w: number): number => {
    if (w <= 0) return 0;
    if (w >= total) return segs.length;
    let lo = 0;
    let hi = segs.length;
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (cum[m]! <= w) lo = m;
      else hi = m;
    }
    const sw = cum[lo + 1]! - cum[lo]!;
    return lo + (sw > 0 ? (w - cum[lo]!) / sw : 0);
  };
  const nearestPad = (u: number) => {
    const q = pointAt(segs, Math.min(u, segs.length - 1e-9));
    let best = 0;
    pads.forEach((pd, i) => {
      if (Math.hypot(pd.p[0] - q[0], pd.p[1] - q[1]) < Math.hypot(pads[best]!.p[0] - q[0], pads[best]!.p[1] - q[1])) best = i;
    });
    return best;
  };
  const run = (shares: number[]) => {
    const plans: LocalSortie[][] = [];
    let acc = 0;
    for (let d = 0; d < n; d++) {
      const u0 = uAtWeight(acc * total);
      acc += shares[d]!;
      const u1 = d === n - 1 ? segs.length : uAtWeight(acc * total);
      plans.push(u1 > u0 ? cutSorties(ctx, u0, u1, nearestPad(u0)) : []);
    }
    return simulatePads(plans, pads, p.padServiceS);
  };
  const spread = (s: DroneSchedule[]) => {
    const f = s.map((d) => d.finishS);
    return Math.max(...f) / Math.max(1e-9, Math.min(...f)) - 1;
  };
  let shares = new Array<number>(n).fill(1 / n);
  let best = run(shares);
  let cur = best;
  const rounds = opts.rounds ?? 12;
  for (let r = 0; r < rounds && n > 1 && spread(best) > (opts.tolerance ?? 0.01); r++) {
    const f = cur.map((d) => Math.max(1, d.finishS));
    const mean = f.reduce((a, b) => a + b, 0) / n;
    shares = shares.map((s, i) => s * Math.pow(mean / f[i]!, 0.9));
    const sum = shares.reduce((a, b) => a + b, 0);
    shares = shares.map((s) => s / sum);
    cur = run(shares);
    const better = spread(cur) < spread(best) - 1e-6 || (Math.abs(spread(cur) - spread(best)) <= 1e-6 && makespan(cur) < makespan(best));
    if (better) best = cur;
  }
  return best;
}

/** Landing time of the last drone, s. */
export function makespan(s: DroneSchedule[]): number {
  return Math.max(0, ...s.map((d) => d.finishS));
}
