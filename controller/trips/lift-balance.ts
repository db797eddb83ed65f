import type { Order } from '../../protocol/index.js';
import type { Route, SiteGraph } from '../site/index.js';

/**
 * Expected wait for a lift car per ride already routed through it, s. One robot rides a car at a
 * time; in the simulated 150-room round a ride waited 22–32 s on average.
 */
const WAIT_PER_ROUTED_RIDE_S = 25;

/** Lift rides per lift id in the orders robots are running now. */
export function ridesPerLift(graph: SiteGraph, orders: Iterable<Order>): Map<string, number> {
  const rides = new Map<string, number>();
  for (const order of orders) {
    for (const edge of order.edges) {
      const a = graph.node(edge.startNodeId);
      const b = graph.node(edge.endNodeId);
      if (a.kind !== 'liftLanding' || b.kind !== 'liftLanding' || a.lift !== b.lift || !a.lift) continue;
      rides.set(a.lift, (rides.get(a.lift) ?? 0) + 1);
    }
  }
  return rides;
}

/**
 * The route to send a robot on: the shortest, unless a route through another lift car is quicker
 * once the rides already routed through each car are counted as queueing. Without this every
 * robot takes the car nearest the station (4 m nearer in the hotel) and queues for it while the
 * other car stands idle. `contaminated` as in `RouteOptions`.
 */
export function balancedRoute(graph: SiteGraph, from: string, to: string, ridesRouted: ReadonlyMap<string, number>, contaminated = false): Route | undefined {
  const shortest = graph.route(from, to, { contaminated });
  if (!shortest?.hops.some((h) => h.lift)) return shortest;
  const cost = (route: Route) => route.timeS + WAIT_PER_ROUTED_RIDE_S * route.hops.reduce((n, h) => n + (h.lift ? (ridesRouted.get(h.lift) ?? 0) : 0), 0);
  let best = shortest;
  for (const lift of graph.site.lifts) {
    const route = graph.route(from, to, { lift: lift.id, contaminated });
    if (route && cost(route) < cost(best)) best = route;
  }
  return best;
}

/** A leg of a trip (node ids) and the lift a planner picked for it. */
export interface PlannedWay {
  from: string;
  to: string;
  lift: string;
}

/**
 * Routes for a trip whose cars a planner picked (it timed the queues for them): a leg listed in
 * `ways` rides its lift (each entry serves one leg, in order), any other leg the shortest route.
 */
export function plannedRoutes(graph: SiteGraph, ways: readonly PlannedWay[]): (from: string, to: string, contaminated: boolean) => Route | undefined {
  const left = [...ways];
  return (from, to, contaminated) => {
    const i = left.findIndex((w) => w.from === from && w.to === to);
    if (i < 0) return graph.route(from, to, { contaminated });
    const { lift } = left.splice(i, 1)[0]!;
    return graph.route(from, to, { lift, contaminated }) ?? graph.route(from, to, { contaminated });
  };
}
