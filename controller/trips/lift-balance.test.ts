import { describe, expect, it } from 'vitest';
import { siteSchema } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { buildTripOrder } from './order-builder.js';
import { balancedRoute, plannedRoutes, ridesPerLift } from './lift-balance.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'two lifts', floors: 3, roomsPerFloor: 6, lifts: 2, chargers: 1 })));
const liftsOf = (route: ReturnType<typeof balancedRoute>) => [...new Set(route!.hops.filter((h) => h.lift).map((h) => h.lift))];
const station = graph.loadingStation.id;
const door = graph.roomNodes.get('301')!.id;

describe('lift balance', () => {
  it('rides only the lift asked for, and the shortest route when none is', () => {
    const [a, b] = graph.site.lifts.map((l) => l.id);
    const shortest = graph.route(station, door)!;
    expect(liftsOf(graph.route(station, door, { lift: a! }))).toEqual([a]);
    expect(liftsOf(graph.route(station, door, { lift: b! }))).toEqual([b]);
    expect(Math.min(graph.route(station, door, { lift: a! })!.timeS, graph.route(station, door, { lift: b! })!.timeS)).toBe(shortest.timeS);
  });

  it('sends a robot through the other car once rides are routed through the nearer one', () => {
    const shortest = graph.route(station, door)!;
    const [near] = liftsOf(shortest);
    const other = graph.site.lifts.find((l) => l.id !== near)!.id;
    expect(liftsOf(balancedRoute(graph, station, door, new Map()))).toEqual([near]);
    expect(liftsOf(balancedRoute(graph, station, door, new Map([[near!, 2]])))).toEqual([other]);
    // Equal queues: the shorter route again.
    expect(
      liftsOf(
        balancedRoute(
          graph,
          station,
          door,
          new Map([
            [near!, 2],
            [other, 2],
          ]),
        ),
      ),
    ).toEqual([near]);
  });

  it('rides the lift a planner picked for a leg, once, and the shortest route elsewhere', () => {
    const [near] = liftsOf(graph.route(station, door));
    const other = graph.site.lifts.find((l) => l.id !== near)!.id;
    const back = graph.roomNodes.get('302')!.id;
    const route = plannedRoutes(graph, [{ from: station, to: door, lift: other }]);
    expect(liftsOf(route(station, door, false))).toEqual([other]);
    expect(liftsOf(route(back, station, false))).toEqual(liftsOf(graph.route(back, station)));
    // The same leg again (a room twice in one trip) rides the shortest route: the pick was used.
    expect(liftsOf(route(station, door, false))).toEqual([near]);
  });

  it('counts the lift rides in the orders robots run', () => {
    const order = buildTripOrder({
      graph,
      orderId: 'o',
      manufacturer: 'm',
      serialNumber: 'r',
      headerId: 0,
      timestamp: new Date(0).toISOString(),
      startNodeId: station,
      stops: [{ tray: 1, room: '301' }],
      pickupTimeoutS: 60,
    });
    const [near] = liftsOf(graph.route(station, door));
    // Up to the third floor and back down: two rides.
    expect(ridesPerLift(graph, [order, order])).toEqual(new Map([[near, 4]]));
  });
});
