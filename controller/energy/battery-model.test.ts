import { describe, expect, it } from 'vitest';
import { siteSchema, type State } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/index.js';
import { buildTripOrder } from '../trips/order-builder.js';
import { batteryProfileOf, chargeTimeS, chargeUsedPct, DEFAULT_BATTERY_PROFILE, endChargePct, orderDemand, routeDemand } from './battery-model.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 2 })));
const loading = graph.loadingStation.id;

function tripOrder(rooms: string[], pickupTimeoutS = 120) {
  return buildTripOrder({
    graph,
    orderId: 'trip-t',
    manufacturer: 'isofleet',
    serialNumber: 'robot-1',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: loading,
    stops: rooms.map((room, i) => ({ tray: i + 1, room })),
    pickupTimeoutS,
  });
}

const battery = (batteryCharge: number, reach?: number): Pick<State, 'batteryState'> => ({ batteryState: { batteryCharge, charging: false, ...(reach !== undefined ? { reach } : {}) } });

describe('orderDemand', () => {
  it('counts the metres and lift rides of the route the order drives, as the site graph routes it', () => {
    const order = tripOrder(['201']);
    const demand = orderDemand(graph, [order]);
    // Independently: the shortest routes there and back.
    const room = graph.roomNodes.get('201')!.id;
    const legs = [graph.route(loading, room)!, graph.route(room, loading, { contaminated: true })!];
    const hops = legs.flatMap((r) => r.hops);
    expect(demand.lengthM).toBeCloseTo(
      hops.reduce((s, h) => s + h.lengthM, 0),
      6,
    );
    expect(demand.liftRides).toBe(hops.filter((h) => h.lift).length);
    expect(demand.liftRides).toBe(2);
    // At least the pickup's whole timeout, the loading and the driving.
    expect(demand.durationS).toBeGreaterThan(120 + 10 + demand.lengthM / graph.site.robotSpeedMps);
  });

  it('grows with the rooms on board and the pickup timeout', () => {
    const one = orderDemand(graph, [tripOrder(['201'])]);
    const four = orderDemand(graph, [tripOrder(['201', '202', '203', '204'])]);
    expect(four.durationS).toBeGreaterThan(one.durationS + 3 * 120);
    expect(orderDemand(graph, [tripOrder(['201'], 600)]).durationS).toBeCloseTo(one.durationS + 480, 6);
  });

  it('a slower robot (its factsheet speedMax) takes longer for the same metres', () => {
    const order = tripOrder(['101']);
    expect(orderDemand(graph, [order], 0.4).durationS).toBeGreaterThan(orderDemand(graph, [order]).durationS);
  });
});

describe('charge used', () => {
  it('adds driving, lift rides and the hours the electronics run', () => {
    const profile = { ...DEFAULT_BATTERY_PROFILE, drainPctPerM: 0.005, liftRidePct: 0.1, idlePctPerH: 4 };
    expect(chargeUsedPct(profile, { lengthM: 1000, liftRides: 2, durationS: 3600 })).toBeCloseTo(5 + 0.2 + 4, 9);
    expect(endChargePct(30, profile, { lengthM: 1000, liftRides: 2, durationS: 3600 })).toBeCloseTo(20.8, 9);
  });

  it('a way to the station is what its route drives', () => {
    const way = routeDemand(graph, 'G-charger1', loading)!;
    expect(way.liftRides).toBe(0);
    expect(way.lengthM).toBeGreaterThan(0);
    expect(routeDemand(graph, 'G-charger1', 'no-such-node')).toBeUndefined();
  });

  it('charging time at the profile rate', () => {
    expect(chargeTimeS(DEFAULT_BATTERY_PROFILE, 30, 50)).toBeCloseTo(3600, 6);
    expect(chargeTimeS(DEFAULT_BATTERY_PROFILE, 60, 50)).toBe(0);
  });
});

describe('batteryProfileOf', () => {
  it('takes the driving drain from the robot reach (VDA batteryState.reach) when it reports one', () => {
    expect(batteryProfileOf(battery(50, 2000)).drainPctPerM).toBeCloseTo(0.025, 9);
    expect(batteryProfileOf(battery(50)).drainPctPerM).toBe(DEFAULT_BATTERY_PROFILE.drainPctPerM);
    // 0 is how some robots say "unknown".
    expect(batteryProfileOf(battery(50, 0)).drainPctPerM).toBe(DEFAULT_BATTERY_PROFILE.drainPctPerM);
  });

  it('what the site says of its robots wins over the defaults and the reach', () => {
    const profile = batteryProfileOf(battery(50, 2000), { drainPctPerM: 0.01, reservePct: 25 });
    expect(profile.drainPctPerM).toBe(0.01);
    expect(profile.reservePct).toBe(25);
    expect(profile.chargePctPerH).toBe(DEFAULT_BATTERY_PROFILE.chargePctPerH);
  });
});
