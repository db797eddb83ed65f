import { isRobotActionType, robotActionParameters, type Factsheet, type Order, type State } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';

/**
 * How a robot's battery is used and filled, in percent of a full charge (VDA 5050
 * `batteryState.batteryCharge` is a percentage):
 * - `drainPctPerM`: driving, per metre;
 * - `liftRidePct`: each lift ride (manoeuvring into and out of the car), on top of the time it takes;
 * - `idlePctPerH`: the electronics (computer, scanners, screen), every hour the robot is not
 *   charging, driving or not;
 * - `chargePctPerH`: at a charger;
 * - `reservePct`: no trip may end below it.
 */
export interface BatteryProfile {
  drainPctPerM: number;
  liftRidePct: number;
  idlePctPerH: number;
  chargePctPerH: number;
  reservePct: number;
}

/**
 * A delivery robot of the BellaBot class (the project's benchmark profile), for what neither
 * its factsheet nor its state says. VDA 5050 2.1's factsheet has no battery fields at all
 * (typeSpecification, physicalParameters, protocolLimits, protocolFeatures, agvGeometry,
 * loadSpecification, vehicleConfig), so these are defaults:
 * - driving 0.0045 %/m: about 8 h of driving on a charge at 0.8 m/s (23 km), the figure the
 *   simulator used before it had a battery model;
 * - idle 4 %/h: Pudu states 12–24 h of work on a charge for BellaBot; the 24 h end is a robot
 *   mostly standing, so standing costs about 100 % / 24 h;
 * - a lift ride 0.1 %: entering and leaving a car is about 10 m of slow manoeuvring with starts
 *   and stops, counted as twice its distance;
 * - charging 20 %/h: Pudu states 4.5 h for a full charge (22 %/h), rounded down because a
 *   lithium cell charges slower near full;
 * - reserve 20 %: VDA 5050 2.1 (state, `batteryCharge`) reads 20 % as a "bad" battery, and the
 *   project's drones keep 20 % in reserve too.
 */
export const DEFAULT_BATTERY_PROFILE: BatteryProfile = {
  drainPctPerM: 0.0045,
  liftRidePct: 0.1,
  idlePctPerH: 4,
  chargePctPerH: 20,
  reservePct: 20,
};

/**
 * A robot's profile: `overrides` (what a site integrator knows of the model) over the defaults,
 * and the driving drain from the robot's own estimate when its state gives one: VDA 5050
 * `batteryState.reach` (m it can still drive) with `batteryCharge` gives percent per metre.
 * A reach under 1 m (a robot that reports 0 for "unknown") is not used.
 */
export function batteryProfileOf(state: Pick<State, 'batteryState'> | undefined, overrides: Partial<BatteryProfile> = {}): BatteryProfile {
  const profile = { ...DEFAULT_BATTERY_PROFILE, ...overrides };
  const battery = state?.batteryState;
  if (battery?.reach !== undefined && battery.reach >= 1 && battery.batteryCharge > 0 && overrides.drainPctPerM === undefined) {
    profile.drainPctPerM = battery.batteryCharge / battery.reach;
  }
  return profile;
}

/** Whether a robot lists a VDA action in its factsheet; a robot without a factsheet yet is taken to (as the trips take our own robots). */
export function factsheetLists(factsheet: Factsheet | undefined, actionType: string): boolean {
  return !factsheet || factsheet.protocolFeatures.agvActions.some((a) => a.actionType === actionType);
}

/** What a trip asks of a battery: metres driven, lift rides, and seconds it takes in all (driving, rides, actions). */
export interface TripDemand {
  lengthM: number;
  liftRides: number;
  durationS: number;
}

/**
 * Seconds an action takes at most, for the charge it costs while the robot stands: a pickup
 * its full timeout (the resident may not come), a disinfection its duration, loading 10 s a
 * tray and an announcement 5 s (the project's BellaBot profile); others nothing.
 */
function actionSeconds(actionType: string, action: Parameters<typeof robotActionParameters>[1]): number {
  if (!isRobotActionType(actionType)) return 0;
  switch (actionType) {
    case 'waitForPickup':
      return robotActionParameters('waitForPickup', action).data?.timeoutS ?? 0;
    case 'disinfect':
      return robotActionParameters('disinfect', action).data?.durationS ?? 0;
    case 'loadTrays':
      return 10 * (robotActionParameters('loadTrays', action).data?.trays.length ?? 0);
    case 'announce':
      return 5;
    default:
      return 0;
  }
}

/**
 * What the orders of a trip ask of a battery, read from the orders themselves (the route as it
 * will be driven): each edge's `length` at its `maxSpeed` (else the site's speed; `speedMaxMps`,
 * the factsheet's `speedMax`, caps both), each lift ride (an edge between two landings of one
 * car) with the car's doors twice, entering and leaving and the floors, and each action's
 * longest time. Queues for lift cars are not in it: they are not known before.
 */
export function orderDemand(graph: SiteGraph, orders: readonly Pick<Order, 'nodes' | 'edges'>[], speedMaxMps = Infinity): TripDemand {
  const demand: TripDemand = { lengthM: 0, liftRides: 0, durationS: 0 };
  for (const order of orders) {
    for (const edge of order.edges) {
      const from = graph.nodes.get(edge.startNodeId);
      const to = graph.nodes.get(edge.endNodeId);
      const lift =
        from?.kind === 'liftLanding' && to?.kind === 'liftLanding' && from.lift === to.lift && from.level !== to.level ? graph.site.lifts.find((l) => l.id === from.lift) : undefined;
      if (lift && from && to) {
        demand.liftRides++;
        const floors = Math.abs(lift.levels.indexOf(to.level) - lift.levels.indexOf(from.level));
        demand.durationS += 2 * lift.doorS + 2 * lift.enterS + floors * lift.perFloorS;
      } else {
        const lengthM = edge.length ?? (from && to ? Math.hypot(to.x - from.x, to.y - from.y) : 0);
        demand.lengthM += lengthM;
        demand.durationS += lengthM / Math.min(edge.maxSpeed ?? graph.site.robotSpeedMps, speedMaxMps);
      }
      for (const action of edge.actions) if (action.actionType !== 'liftRide') demand.durationS += actionSeconds(action.actionType, action);
    }
    for (const node of order.nodes) for (const action of node.actions) demand.durationS += actionSeconds(action.actionType, action);
  }
  return demand;
}

/** Percent of a full charge a trip uses: driving, lift rides, and the electronics all along. */
export function chargeUsedPct(profile: BatteryProfile, demand: TripDemand): number {
  return demand.lengthM * profile.drainPctPerM + demand.liftRides * profile.liftRidePct + (demand.durationS / 3600) * profile.idlePctPerH;
}

/** The charge (%) a robot at `chargePct` is predicted to end the trip with (may be negative: it would not make it). */
export function endChargePct(chargePct: number, profile: BatteryProfile, demand: TripDemand): number {
  return chargePct - chargeUsedPct(profile, demand);
}

/** Seconds at a charger from `fromPct` to `toPct` (0 when already there). */
export function chargeTimeS(profile: BatteryProfile, fromPct: number, toPct: number): number {
  return (Math.max(0, toPct - fromPct) / profile.chargePctPerH) * 3600;
}

/** What the shortest way from one site node to another asks of a battery (a robot's way to where a trip starts); undefined when there is none. */
export function routeDemand(graph: SiteGraph, from: string, to: string, contaminated = false): TripDemand | undefined {
  const route = graph.route(from, to, { contaminated });
  if (!route) return undefined;
  return {
    lengthM: route.hops.reduce((sum, hop) => sum + hop.lengthM, 0),
    liftRides: route.hops.filter((hop) => hop.lift !== undefined).length,
    durationS: route.timeS,
  };
}

/** The sum of demands. */
export function addDemands(...demands: TripDemand[]): TripDemand {
  return demands.reduce((sum, d) => ({ lengthM: sum.lengthM + d.lengthM, liftRides: sum.liftRides + d.liftRides, durationS: sum.durationS + d.durationS }), {
    lengthM: 0,
    liftRides: 0,
    durationS: 0,
  });
}
