/**
 * Spray drone profile: every physical constant the planner uses, in one place.
 * Defaults are the T20-class benchmark profile of DESIGN.md ("Benchmark profiles").
 */
export interface SprayDroneProfile {
  /** Effective spray swath width, m (T20: 7 m at 1.5–3 m height). */
  swathM: number;
  /** Maximum ground speed while spraying, m/s (T20: 7). */
  maxSpraySpeedMps: number;
  /** Cruise speed with the pump off (ferry), m/s (10). */
  ferrySpeedMps: number;
  /** Acceleration and deceleration limit, m/s² (2). */
  accelMps2: number;
  /** Tank volume, L (20). */
  tankL: number;
  /** Pump flow limit, L/min (6). */
  pumpMaxLPerMin: number;
  /** Application dose, L/ha (20). */
  doseLPerHa: number;
  /** Endurance with a full tank, s (10 min). Endurance is linear in payload. */
  enduranceFullS: number;
  /** Endurance with an empty tank, s (15 min). */
  enduranceEmptyS: number;
  /** Battery fraction kept in reserve at landing (0.2). */
  reserveFrac: number;
  /** Take-off plus landing, s (40), counted as flight time. */
  takeoffLandingS: number;
  /** Battery swap and refill together by one crew at a pad, s (120). */
  padServiceS: number;
  /** Flight height while spraying and ferrying, m (2.5; keepouts are no-fly, so no climb over them). */
  sprayAltM: number;
}

/** T20-class defaults (DESIGN.md benchmark profile). */
export const T20_PROFILE: Readonly<SprayDroneProfile> = Object.freeze({
  swathM: 7,
  maxSpraySpeedMps: 7,
  ferrySpeedMps: 10,
  accelMps2: 2,
  tankL: 20,
  pumpMaxLPerMin: 6,
  doseLPerHa: 20,
  enduranceFullS: 600,
  enduranceEmptyS: 900,
  reserveFrac: 0.2,
  takeoffLandingS: 40,
  padServiceS: 120,
  sprayAltM: 2.5,
});

/**
 * Litres per metre of spraying leg: dose × swath (1 ha = 10 000 m²). `swathM` (default the
 * profile's) is the effective swath of a partial-width leg.
 */
export function litresPerMetre(p: SprayDroneProfile, swathM = p.swathM): number {
  return (p.doseLPerHa * swathM) / 10_000;
}

/**
 * Flow needed at ground speed `speedMps`, L/min: Q = dose × v × w × 0.006 (DESIGN.md), with w the
 * effective swath (default the profile's; narrower on partial-width legs).
 */
export function flowLPerMin(p: SprayDroneProfile, speedMps: number, swathM = p.swathM): number {
  return p.doseLPerHa * speedMps * swathM * 0.006;
}

/**
 * Spray speed, m/s: the highest speed at which the pump can still deliver the dose, capped by
 * `maxSpraySpeedMps` (T20 defaults: 6 / (20 × 7 × 0.006) = 7.14 → 7 m/s).
 */
export function spraySpeedMps(p: SprayDroneProfile): number {
  return Math.min(p.maxSpraySpeedMps, p.pumpMaxLPerMin / (p.doseLPerHa * p.swathM * 0.006));
}

/** Endurance at payload `payloadL`, s: linear between empty and full tank. */
export function enduranceS(p: SprayDroneProfile, payloadL: number): number {
  const f = Math.min(1, Math.max(0, payloadL / p.tankL));
  return p.enduranceEmptyS + (p.enduranceFullS - p.enduranceEmptyS) * f;
}
