import type { Vec2 } from '../geometry/types.js';

/** A sortie in the local frame, before pad queueing assigns its clock times. */
export interface LocalSortie {
  fromPad: number;
  toPad: number;
  /** Polyline from pad to pad. */
  pts: Vec2[];
  /** Per segment of `pts`: pump on. */
  spray: boolean[];
  /** Per segment of `pts`: cruise speed, m/s. */
  speedMps: number[];
  /** Per segment of `pts`: effective swath, m (the profile's swath except on partial-width legs). */
  swathM: number[];
  /** Flight time including take-off and landing, s. */
  flightS: number;
  /** Part of `flightS` that is not spraying work: take-off, landing, ferry out and back, s. */
  overheadS: number;
  sprayL: number;
  batteryUsedFrac: number;
  sprayLengthM: number;
  totalLengthM: number;
  /** Route positions covered by this sortie (segment index + fraction). */
  fromU: number;
  toU: number;
}

/** A sortie with its place on the clock. */
export interface TimedSortie extends LocalSortie {
  takeoffS: number;
  landingS: number;
}
