import { refusal, type Refusal } from '../refusal.js';
import { endChargePct, type BatteryProfile, type TripDemand } from './battery-model.js';

/** A robot that could run a trip: its charge now (VDA `batteryCharge`, %), its profile, and what the trip asks of it from where it stands. */
export interface TripCandidate {
  id: string;
  chargePct: number;
  profile: BatteryProfile;
  demand: TripDemand;
}

/** The charge a candidate would end the trip with, and whether that keeps its reserve. */
export function keepsReserve(candidate: TripCandidate): { ok: boolean; endPct: number } {
  const endPct = endChargePct(candidate.chargePct, candidate.profile, candidate.demand);
  return { ok: endPct >= candidate.profile.reservePct, endPct };
}

const pct = (value: number): string => `${Math.round(value)} %`;

/**
 * Whether `robot` may be sent the trip: undefined when it would end it at or above its reserve,
 * else a `conflict` refusal (HTTP 409) saying how low it would end, and which of `others`
 * (robots free to go now) can go instead: the one that would end the trip with the most charge.
 */
export function reserveRefusal(robot: TripCandidate, others: readonly TripCandidate[]): Refusal | undefined {
  const own = keepsReserve(robot);
  if (own.ok) return undefined;
  let best: { id: string; endPct: number } | undefined;
  for (const other of others) {
    const verdict = keepsReserve(other);
    if (verdict.ok && (!best || verdict.endPct > best.endPct)) best = { id: other.id, endPct: verdict.endPct };
  }
  const why =
    `robot ${robot.id} would end this trip at ${pct(Math.max(0, own.endPct))} of battery (${pct(robot.chargePct)} now, the trip takes about ` +
    `${pct(robot.chargePct - own.endPct)}), below its reserve of ${pct(robot.profile.reservePct)}`;
  const instead = best ? `robot ${best.id} can go instead (it would end at about ${pct(best.endPct)})` : 'no other robot free now can go';
  return refusal('conflict', `${why}; ${instead}`);
}
