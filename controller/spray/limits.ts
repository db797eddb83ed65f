/**
 * What one plan may ask of the planner, checked before planning so that work it cannot serve is
 * refused at once with what is too big and the limit, instead of running for minutes. Measured
 * (2 cores, one thread): a 9 km² zone (900 sorties) plans in ~2 s and ~130 MB; planning time and
 * the plan's size (waypoints sent to drones, the plan returned over HTTP) grow with the sorties.
 */
import { areaM2 } from './geometry/polygon.js';
import type { SprayDroneProfile } from './profile.js';
import type { PlanError } from './types.js';
import type { ValidZones } from './zones/validate.js';

/** Limits of one plan. */
export interface PlanLimits {
  /** Sprayable area (spray ∩ geofence − keepouts), m². */
  maxSprayableM2: number;
  /** Sorties the work needs at least (litres to spray / tank). */
  maxSorties: number;
}

/** 10 km² (1,000 ha) and 1,000 sorties: ~20 h of a T20 fleet of 8, the planner's ~4 s. */
export const PLAN_LIMITS: Readonly<PlanLimits> = Object.freeze({ maxSprayableM2: 10_000_000, maxSorties: 1_000 });

/** The work a plan of these zones needs, estimated without planning. */
export interface PlanSize {
  sprayableM2: number;
  /** Spray line length, m: sprayable area / swath. */
  sprayLineM: number;
  /** Sorties at least: litres (area × dose) / tank. */
  sorties: number;
}

/** {@link PlanSize} of validated zones for a drone profile. */
export function planSize(zones: ValidZones, profile: SprayDroneProfile): PlanSize {
  const sprayableM2 = areaM2(zones.sprayable);
  return { sprayableM2, sprayLineM: sprayableM2 / profile.swathM, sorties: Math.ceil(((sprayableM2 / 10_000) * profile.doseLPerHa) / profile.tankL) };
}

/** What is too big for the planner, each with its limit (empty when the work fits). */
export function planLimitErrors(size: PlanSize, limits: PlanLimits = PLAN_LIMITS): PlanError[] {
  const errors: PlanError[] = [];
  const ha = (m2: number) => `${(m2 / 10_000).toLocaleString('en', { maximumFractionDigits: 1 })} ha`;
  if (size.sprayableM2 > limits.maxSprayableM2)
    errors.push({ path: 'features', message: `sprayable area ${ha(size.sprayableM2)} is more than one plan can take (${ha(limits.maxSprayableM2)}): split the zone into several missions` });
  else if (size.sorties > limits.maxSorties)
    errors.push({
      path: 'features',
      message: `the zone needs at least ${size.sorties} sorties at this dose and tank, more than one plan can take (${limits.maxSorties}): split the zone into several missions`,
    });
  return errors;
}
