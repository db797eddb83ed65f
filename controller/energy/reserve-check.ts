import { refusal, type Refusal } from '../refusal.js';
import { endChargePct, type BatteryProfile, type TripDemand } from './battery-model.js';

/**
 * A robot that could run a trip: its charge now (VDA `batteryCharge`, %; null when its bridge
 * says it does not know it yet, see `batteryChargeOf`), its profile, and what the trip asks of it
 * from where it stands.
 */
export interface TripCandidate {
  id: string;
  chargePct: number | null;
  profile: BatteryProfile;
  demand: TripDemand;
}

/**
 * The charge a candidate would end the trip with, and whether that keeps its reserve; for a
 * charge not known, ok with no end charge (see {@link reserveRefusal}).
 */
export function keepsReserve(candidate: TripCandidate): { ok: boolean; endPct: number } | { ok: true; endPct: null } {
  if (candidate.chargePct === null) return { ok: true, endPct: null };
  const endPct = endChargePct(candidate.chargePct, candidate.profile, candidate.demand);
  return { ok: endPct >= candidate.profile.reservePct, endPct };
}

/** What the controller says (in its log) when it sends a trip to a robot whose charge it does not know. */
export function unknownChargeNote(robot: string): string {
  return `battery: robot ${robot} has not reported its charge yet; its trip was sent without checking its reserve`;
}

const pct = (value: number): string => `${Math.round(value)} %`;

/**
 * Whether `robot` may be sent the trip: undefined when it would end it at or above its reserve,
 * or when its charge is not known (a robot just started, before its first battery reading, may
 * well be full: it is not refused on a guess, the caller says the check was not made, see
 * {@link unknownChargeNote}), else a `conflict` refusal (HTTP 409) saying how low it would end, and which of `others`
 * (robots free to go now) can go instead: the one that would end the trip with the most charge.
 */
export function reserveRefusal(robot: TripCandidate, others: readonly TripCandidate[]): Refusal | undefined {
  const own = keepsReserve(robot);
  if (own.ok || robot.chargePct === null) return undefined;
  let best: { id: string; endPct: number } | undefined;
  for (const other of others) {
    const verdict = keepsReserve(other);
    // One whose charge is not known is not named: nobody can say it would keep its reserve.
    if (verdict.endPct !== null && verdict.ok && (!best || verdict.endPct > best.endPct)) best = { id: other.id, endPct: verdict.endPct };
  }
  const why =
    `robot ${robot.id} would end this trip at ${pct(Math.max(0, own.endPct))} of battery (${pct(robot.chargePct)} now, the trip takes about ` +
    `${pct(robot.chargePct - own.endPct)}), below its reserve of ${pct(robot.profile.reservePct)}`;
  const instead = best ? `robot ${best.id} can go instead (it would end at about ${pct(best.endPct)})` : 'no other robot free now can go';
  return refusal('conflict', `${why}; ${instead}`);
}
