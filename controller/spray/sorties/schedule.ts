import type { LocalPad } from '../zones/validate.js';
import { cutSorties, type CutContext } from './cut.js';
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
      if (s && n.takeoffS + s.flightS < landing) {
        landing = n.takeoffS + s.flightS;
        d = i;
      }
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
      crews.forEach((t, j) => {
        if (t < crews[c]!) c = j;
      });
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
  /** Rebalancing rounds after the first split (default 6). */
  rounds?: number;
}

/** A position in the global sortie sequence: sortie `k`, fraction `f` of its spraying done. */
type Pos = { k: number; f: number };

/**
 * Splits the work among N drones and balances their finish times. The whole route is cut into
 * sorties once, as if one drone flew it; each drone then takes a contiguous run of those sorties
 * (so drones work in separate areas), where the run may start or end part-way through a sortie
 * (that sortie is re-cut into two shorter ones). Boundaries come from a predicted time per sortie
 * (overhead + share of its spraying time, plus pad service), found by bisection on the busiest
 * drone's time; then pad queues are simulated and each drone's budget is reduced by the waiting
 * it met, a few rounds, keeping the best split (smallest busiest/least-busy spread).
 */
export function balancedSchedule(ctx: CutContext, opts: BalanceOptions): DroneSchedule[] {
  const { segs, profile: p, pads } = ctx;
  const n = Math.max(1, Math.floor(opts.drones));
  let startPad = 0;
  const first = segs.find((s) => s.spray) ?? segs[0];
  if (first)
    pads.forEach((pd, i) => {
      const d = (q: { p: [number, number] }) => Math.hypot(q.p[0] - first.a[0], q.p[1] - first.a[1]);
      if (d(pd) < d(pads[startPad]!)) startPad = i;
    });
  const global = cutSorties(ctx, 0, segs.length, startPad);
  const K = global.length;
  if (K === 0) return Array.from({ length: n }, () => ({ sorties: [], finishS: 0 }));
  const cumLen = [0];
  for (const s of segs) cumLen.push(cumLen[cumLen.length - 1]! + s.lenM);
  const lenAt = (u: number) => {
    const i = Math.min(segs.length - 1, Math.floor(u));
    return cumLen[i]! + (u - i) * segs[i]!.lenM;
  };
  const uAtLen = (L: number) => {
    let lo = 0;
    let hi = segs.length;
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (cumLen[m]! <= L) lo = m;
      else hi = m;
    }
    const sl = segs[lo]!.lenM;
    return lo + (sl > 0 ? Math.min(1, (L - cumLen[lo]!) / sl) : 0);
  };
  const work = global.map((s) => Math.max(0, s.flightS - s.overheadS));
  const costOf = (k: number, from: number, to: number) => (from <= 0 && to >= 1 ? global[k]!.flightS : global[k]!.overheadS + (to - from) * work[k]!);
  /** Greedy: from `start`, the furthest position whose predicted time fits `budget`. */
  const extend = (start: Pos, budget: number): { end: Pos; t: number } => {
    let { k, f } = start;
    let t = 0;
    let count = 0;
    while (k < K) {
      const svc = count > 0 ? p.padServiceS : 0;
      const whole = costOf(k, f, 1) + svc;
      if (t + whole <= budget) {
        t += whole;
        count++;
        k++;
        f = 0;
        continue;
      }
      const q = (budget - t - svc - global[k]!.overheadS) / Math.max(1e-9, work[k]!);
      if (q > 0.02) return { end: { k, f: f + Math.min(q, 1 - f) }, t: budget };
      return { end: { k, f }, t };
    }
    return { end: { k: K, f: 0 }, t };
  };
  const partition = (slack: number[]): Pos[] => {
    let lo = 0;
    let hi = global.reduce((s, x) => s + x.flightS + p.padServiceS, 0);
    let best: Pos[] = [];
    for (let it = 0; it < 40; it++) {
      const B = (lo + hi) / 2;
      const cuts: Pos[] = [{ k: 0, f: 0 }];
      for (let d = 0; d < n - 1; d++) cuts.push(extend(cuts[d]!, Math.max(0, B - slack[d]!)).end);
      const lastT = extend(cuts[n - 1]!, Infinity).t;
      if (lastT <= B - slack[n - 1]!) {
        hi = B;
        best = cuts;
      } else lo = B;
    }
    return best.length ? best : [{ k: 0, f: 0 }, ...Array.from({ length: n - 1 }, () => ({ k: K, f: 0 }))];
  };
  const uOf = (pos: Pos) => {
    if (pos.k >= K) return segs.length;
    const s = global[pos.k]!;
    if (pos.f <= 0) return s.fromU;
    const a = lenAt(s.fromU);
    return uAtLen(a + pos.f * (lenAt(s.toU) - a));
  };
  const build = (cuts: Pos[]): LocalSortie[][] =>
    cuts.map((c, d) => {
      const end = d + 1 < n ? cuts[d + 1]! : { k: K, f: 0 };
      const out: LocalSortie[] = [];
      for (let k = c.k; k < K && (k < end.k || (k === end.k && end.f > 0)); k++) {
        const from = k === c.k ? c.f : 0;
        const to = k === end.k ? end.f : 1;
        const s = global[k]!;
        if (from <= 0 && to >= 1) out.push(s);
        else if (to > from) out.push(...cutSorties(ctx, uOf({ k, f: from }), uOf({ k, f: to }), s.fromPad));
      }
      return out;
    });
  const spread = (s: DroneSchedule[]) => {
    const f = s.map((d) => d.finishS);
    return Math.max(...f) / Math.max(1e-9, Math.min(...f)) - 1;
  };
  let slack = new Array<number>(n).fill(0);
  let best: DroneSchedule[] | null = null;
  for (let r = 0; r <= (opts.rounds ?? 6); r++) {
    const sched = simulatePads(build(partition(slack)), pads, p.padServiceS);
    if (!best || spread(sched) < spread(best)) best = sched;
    if (n === 1 || spread(best) < 0.005) break;
    // Waiting for a crew is time the drone cannot fly: give the drones that waited less work.
    const busy = sched.map((d) => d.sorties.reduce((s, x) => s + x.flightS, 0) + Math.max(0, d.sorties.length - 1) * p.padServiceS);
    slack = sched.map((d, i) => Math.max(0, d.finishS - busy[i]!));
  }
  return best!;
}

/** Landing time of the last drone, s. */
export function makespan(s: DroneSchedule[]): number {
  return Math.max(0, ...s.map((d) => d.finishS));
}
