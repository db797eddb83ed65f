/** Turn model strategy: how fast a drone can pass a waypoint where its heading changes. */
export interface TurnModel {
  /**
   * Speed at the corner, m/s, for a heading change of `turnRad` (0 = straight on, π = U-turn)
   * between legs flown at `inMps` and `outMps`.
   */
  cornerSpeedMps(turnRad: number, inMps: number, outMps: number): number;
}

/**
 * Cosine turn model: corner speed = min(in, out) × max(0, cos(turn)). A right angle or sharper
 * turn is flown stop-and-go (as a T20 in route mode does at its waypoints); the 11° steps of an
 * arc cost 2 % of speed.
 */
export function cosineTurnModel(): TurnModel {
  return { cornerSpeedMps: (turnRad, inMps, outMps) => Math.min(inMps, outMps) * Math.max(0, Math.cos(turnRad)) };
}
