/**
 * When robots go to a charger and when they leave it, as a pure step over what the robots
 * report: `(assignments, robots, demand, now) → effects`, the shell (`EnergyManager`) sends
 * what the effects say. One robot per charger.
 */

/** What the charging policy reads of a robot. */
export interface ChargingRobot {
  id: string;
  online: boolean;
  /** Idle and on no trip: free to be sent somewhere. */
  free: boolean;
  /** Clock ms since when it has been free (null when it is not). */
  freeSinceMs: number | null;
  /** Its last site node (where an order to a charger starts). */
  node: string | null;
  /** VDA `batteryCharge`, % (null before its first state, or while the robot says it does not know it: `batteryChargeOf`). */
  chargePct: number | null;
  /** VDA `batteryState.charging`. */
  charging: boolean;
  /** It was refused a trip for its battery since it last charged: it goes to charge below `resumeAtPct` whatever else is going on. */
  refusedForBattery?: boolean;
  /** The status its state reports for an action (VDA `actionStates`), undefined when it lists none of that id. */
  actionStatus: (actionId: string) => string | undefined;
}

/**
 * The thresholds, in % of a full charge:
 * - `goChargeBelowPct`: a free robot below it goes to a charger even while rounds need robots;
 * - `topUpBelowPct`: between services (no round has rooms to send) a robot free for
 *   `topUpAfterMs` below it goes;
 * - `resumeAtPct`: while a round needs robots, a charging robot at or above it is taken off.
 */
export interface ChargingPolicy {
  goChargeBelowPct: number;
  topUpBelowPct: number;
  resumeAtPct: number;
  topUpAfterMs: number;
  /** Clock ms before a robot whose charging failed (not started, order failed) is sent again. */
  retryAfterMs: number;
}

/**
 * Defaults: below 30 % a robot goes to charge whatever else is going on (a lunch trip takes
 * 2–5 % of a BellaBot-class battery, so 30 % leaves several trips above the 20 % reserve
 * before it would be refused work); between services a robot under 95 % charges once it has
 * stood free for 10 minutes (a medic sending trips by hand keeps the robots at the station;
 * one nobody needs goes to a charger); a round takes a charging robot back from 50 %, 1.5 h
 * at the default charge rate from the 30 % it went at.
 */
export const DEFAULT_CHARGING_POLICY: ChargingPolicy = { goChargeBelowPct: 30, topUpBelowPct: 95, topUpAfterMs: 10 * 60_000, resumeAtPct: 50, retryAfterMs: 5 * 60_000 };

/** A robot the policy sent to a charger: `going` until it reports charging, `charging`, `stopping` once told to stop. */
export interface ChargerAssignment {
  charger: string;
  phase: 'going' | 'charging' | 'stopping';
  /** Id of its `startCharging` action (in the order to the charger, or instant). */
  actionId: string;
}

/** What the policy keeps between steps. */
export interface ChargingState {
  assigned: Map<string, ChargerAssignment>;
  /** Robots whose charging failed, with the clock ms before which they are not sent again. */
  backoffUntilMs: Map<string, number>;
}

export function emptyChargingState(): ChargingState {
  return { assigned: new Map(), backoffUntilMs: new Map() };
}

/**
 * What the shell does:
 * - `goCharge`: send the robot to `charger` with a VDA `startCharging` (`actionId`) there (`here`: it stands on it already, an instant action does);
 * - `stopCharging`: a VDA `stopCharging` instant action;
 * - `log`: a line of the log.
 */
export type ChargingEffect =
  | { kind: 'goCharge'; robot: string; charger: string; here: boolean; actionId: string }
  | { kind: 'stopCharging'; robot: string }
  | { kind: 'log'; level: 'info' | 'warn'; robot: string; message: string };

/**
 * Whether a robot in this state may be given a trip by a round: a robot sent to a charger or
 * charging (whoever sent it), or one refused a trip for its battery, only once charged to
 * `resumeAtPct`; any other from `goChargeBelowPct`.
 */
export function availableForWork(state: ChargingState, robot: Pick<ChargingRobot, 'id' | 'chargePct' | 'charging' | 'refusedForBattery'>, policy: ChargingPolicy): boolean {
  if (robot.chargePct === null) return true;
  const low = state.assigned.has(robot.id) || robot.charging || robot.refusedForBattery === true;
  return robot.chargePct >= (low ? policy.resumeAtPct : policy.goChargeBelowPct);
}

/**
 * One step of the policy over every robot (after any state, a round's change, or a charger's
 * answer): assignments follow what the robots report, robots that need a charge and are free
 * get the nearest free charger (`distanceS` from their node, `Infinity` for one they cannot
 * reach), and charging robots a round needs (`demand`) are taken off once charged enough.
 * Mutates `state`; returns the effects in order.
 */
export function chargingStep(
  state: ChargingState,
  robots: readonly ChargingRobot[],
  chargers: readonly string[],
  demand: boolean,
  nowMs: number,
  policy: ChargingPolicy,
  distanceS: (from: string, charger: string) => number,
): ChargingEffect[] {
  const effects: ChargingEffect[] = [];
  const byId = new Map(robots.map((r) => [r.id, r]));
  // A robot charging on a charger the policy did not send it to (after a restart, or plugged by hand): it holds that charger.
  for (const robot of robots) {
    if (robot.online && robot.charging && robot.node && chargers.includes(robot.node) && !state.assigned.has(robot.id)) {
      state.assigned.set(robot.id, { charger: robot.node, phase: 'charging', actionId: '' });
    }
  }
  // Assignments follow the robots.
  for (const [id, assignment] of [...state.assigned]) {
    const robot = byId.get(id);
    if (!robot?.online) {
      state.assigned.delete(id);
      continue;
    }
    const started = robot.actionStatus(assignment.actionId);
    if (assignment.phase === 'going' && robot.charging) assignment.phase = 'charging';
    else if (assignment.phase === 'going' && (started === 'FAILED' || started === 'FINISHED')) {
      // Its startCharging failed (or the order to the charger did), or finished without charging.
      state.assigned.delete(id);
      state.backoffUntilMs.set(id, nowMs + policy.retryAfterMs);
      effects.push({ kind: 'log', level: 'warn', robot: id, message: `did not start charging at ${assignment.charger}` });
    } else if (assignment.phase !== 'going' && !robot.charging) {
      // Stopped (told to, full, unplugged) or taken for a trip.
      state.assigned.delete(id);
    } else if (assignment.phase === 'charging' && demand && robot.chargePct !== null && robot.chargePct >= policy.resumeAtPct) {
      assignment.phase = 'stopping';
      effects.push({ kind: 'stopCharging', robot: id }, { kind: 'log', level: 'info', robot: id, message: `taken off charger ${assignment.charger} at ${robot.chargePct} % for work` });
    }
  }
  const taken = new Set([...state.assigned.values()].map((a) => a.charger));
  // A free robot standing on a charger holds it: no other robot is sent there.
  for (const robot of robots) if (robot.online && robot.node && chargers.includes(robot.node) && !state.assigned.has(robot.id)) taken.add(robot.node);
  const needy = robots
    .filter((r) => r.online && r.free && r.chargePct !== null && !r.charging && !state.assigned.has(r.id) && (state.backoffUntilMs.get(r.id) ?? -Infinity) <= nowMs)
    .filter(
      (r) =>
        r.chargePct! < policy.goChargeBelowPct ||
        (r.refusedForBattery && r.chargePct! < policy.resumeAtPct) ||
        (!demand && r.chargePct! < policy.topUpBelowPct && nowMs - (r.freeSinceMs ?? nowMs) >= policy.topUpAfterMs),
    )
    // The emptiest first.
    .sort((a, b) => a.chargePct! - b.chargePct! || a.id.localeCompare(b.id));
  for (const robot of needy) {
    const here = robot.node !== null && chargers.includes(robot.node) && ![...state.assigned.values()].some((a) => a.charger === robot.node);
    let charger = here ? robot.node! : undefined;
    if (!charger && robot.node) {
      let best = Infinity;
      for (const c of chargers) {
        if (taken.has(c)) continue;
        const s = distanceS(robot.node, c);
        if (s < best) [best, charger] = [s, c];
      }
    }
    if (!charger) continue;
    taken.add(charger);
    const actionId = `charge-${robot.id}-${Math.round(nowMs).toString(36)}`;
    state.assigned.set(robot.id, { charger, phase: 'going', actionId });
    effects.push({ kind: 'goCharge', robot: robot.id, charger, here, actionId }, { kind: 'log', level: 'info', robot: robot.id, message: `to charger ${charger} at ${robot.chargePct} %` });
  }
  return effects;
}
