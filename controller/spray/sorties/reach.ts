import { containsPoint } from '../geometry/polygon.js';
import type { Vec2 } from '../geometry/types.js';
import type { RouteSeg } from '../path/connect.js';
import { enduranceS, type SprayDroneProfile } from '../profile.js';
import type { PlanError } from '../types.js';
import type { ValidZones } from '../zones/validate.js';

/**
 * How far from a pad a sortie can start spraying, m: out and back on a full tank (the shortest
 * endurance), the way back counted as {@link cutSorties} does (15 % detour), keeping the reserve
 * and the cutter's margin. T20 profile: ~1.9 km.
 */
export function reachM(p: SprayDroneProfile, batteryMargin = 0.95): number {
  const budgetS = (1 - p.reserveFrac) * batteryMargin * enduranceS(p, p.tankL);
  return Math.max(0, ((budgetS - p.takeoffLandingS - (2 * p.ferrySpeedMps) / p.accelMps2) * p.ferrySpeedMps) / 2.15);
}

/**
 * Work no sortie can reach: spraying points farther than {@link reachM} (straight) from every pad,
 * one error per spray zone, naming the zone, the nearest pad and both distances.
 */
export function unreachableWork(segs: RouteSeg[], zones: ValidZones, p: SprayDroneProfile): PlanError[] {
  const reach = reachM(p);
  const worst = new Map<number, { point: Vec2; d: number; pad: string }>();
  for (const s of segs) {
    if (!s.spray) continue;
    for (const q of [s.a, s.b]) {
      let d = Infinity;
      let pad = '';
      for (const pd of zones.pads) {
        const dq = Math.hypot(q[0] - pd.p[0], q[1] - pd.p[1]);
        if (dq < d) {
          d = dq;
          pad = pd.name;
        }
      }
      if (d <= reach) continue;
      const zone = zones.sprayZones.findIndex((z) => containsPoint(z.polys, q));
      const k = zone < 0 ? -1 : zone;
      if ((worst.get(k)?.d ?? 0) < d) worst.set(k, { point: q, d, pad });
    }
  }
  return [...worst].map(([k, w]) => outOfReachError(zones, p, k, w.point, w.d, w.pad, reach));
}

/** The error for spraying point `point` of spray zone `k` (-1: none contains it), `d` m from pad `pad`. */
export function outOfReachError(zones: ValidZones, p: SprayDroneProfile, k: number, point: Vec2, d: number, pad: string, reach = reachM(p)): PlanError {
  const z = zones.sprayZones[k];
  const [lon, lat] = zones.projection.toLonLat(point);
  const km = (m: number) => `${(m / 1000).toFixed(1)} km`;
  return {
    path: z ? `features.${z.feature}` : 'features',
    message:
      `${z?.name ? `spray zone "${z.name}"` : 'spray zone'} is out of reach: its point at lat ${lat.toFixed(5)}, lon ${lon.toFixed(5)} is ${km(d)} from the nearest pad (${pad}), ` +
      `and a sortie can reach ${km(reach)} from a pad with a ${p.tankL} L tank: add a pad nearer to it`,
  };
}
