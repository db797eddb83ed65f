import { describe, expect, it } from 'vitest';
import { orderSchema, siteSchema, type Order, type Site } from '../../protocol/index.js';
import { ADJACENT_ZONES_SITE } from '../../sim/adjacent-zones.test-support.js';
import { generateHotel, loadSite, SiteGraph } from '../site/index.js';
import { buildContactlessOrders } from './contactless-order.js';
import { buildTripOrder } from './order-builder.js';
import { DOOR_HOLD, disinfectionHoldReached, grantWay, holdsOf, NARROW_HOLD, releaseHold } from './order-holds.js';

const ward = new SiteGraph(siteSchema.parse(ADJACENT_ZONES_SITE));

/** A trip on the ward from the loading station to red room 201 and back, for a robot that does (not) run `disinfect`. */
const wardTrip = (disinfect: boolean, startContaminated = false) =>
  buildTripOrder({
    graph: ward,
    orderId: 'o1',
    manufacturer: 'm',
    serialNumber: 'agv',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'load',
    stops: [{ tray: 1, room: '201' }],
    pickupTimeoutS: 120,
    disinfect,
    lifts: 'horizon',
    startContaminated,
  });
const released = (order: Order) => order.nodes.filter((n) => n.released).map((n) => n.nodeId);
/** The site with no single-width way marked. */
const withoutWays = (site: Site): Site => ({ ...site, lanes: site.lanes.map(({ way: _, ...lane }) => lane) });
const header = { headerId: 9, timestamp: new Date(1000).toISOString() };

describe('disinfection holds', () => {
  it('a robot that runs disinfect gets the action at the station and every edge released', () => {
    const order = wardTrip(true);
    const station = order.nodes.find((n) => n.nodeId === 'dis')!;
    expect(station.actions.map((a) => a.actionType)).toEqual(['disinfect']);
    expect(station.nodeDescription).toBeUndefined();
    expect([...order.nodes, ...order.edges].every((x) => x.released)).toBe(true);
    expect(holdsOf(ward, order)).toEqual([]);
  });

  it('a robot without disinfect: the base ends at the station, marked, with no action it cannot run; the release sends the rest from the station', () => {
    const order = wardTrip(false);
    orderSchema.parse(order);
    expect(order.nodes.flatMap((n) => n.actions).some((a) => a.actionType === 'disinfect')).toBe(false);
    // Out by the red hall, back through the buffer hall and the station, not straight into green.
    expect(order.nodes.map((n) => n.nodeId)).toEqual(['load', 'gc', 'rh', 'r1', 'rh', 'bh', 'dis', 'load']);
    expect(released(order)).toEqual(['load', 'gc', 'rh', 'r1', 'rh', 'bh', 'dis']);
    expect(order.edges.map((e) => e.released)).toEqual([true, true, true, true, true, true, false]);
    const [hold] = holdsOf(ward, order);
    expect(hold).toMatchObject({ kind: 'disinfect', nodeId: 'dis', method: 'spray', durationS: 15, edgeIndex: 6, sequenceId: 12 });
    expect(order.nodes[6]!.nodeDescription).toBe('disinfection hold: spray 15 s');

    const { order: whole, update } = releaseHold(ward, order, hold!.edgeIndex, header);
    orderSchema.parse(update);
    expect(update).toMatchObject({ orderId: 'o1', orderUpdateId: 1, headerId: 9 });
    expect(update.nodes.map((n) => [n.nodeId, n.released])).toEqual([
      ['dis', true],
      ['load', true],
    ]);
    expect(update.edges.map((e) => [e.startNodeId, e.released])).toEqual([['dis', true]]);
    expect([...whole.nodes, ...whole.edges].every((x) => x.released)).toBe(true);
  });

  it('a clean robot passing a station on its way to red is not held', () => {
    // From the loading station to the buffer room 301: by the station, but clean.
    const order = buildTripOrder({ ...tripInput(), stops: [{ tray: 1, room: '301' }], disinfect: false });
    expect(order.nodes.some((n) => n.nodeId === 'dis')).toBe(true);
    expect(order.nodes.find((n) => n.nodeId === 'dis' && n.nodeDescription)).toBeUndefined();
  });

  it('a robot held at the station counts as reached only standing on it on that order, and only while the hold is not released', () => {
    const order = wardTrip(false);
    const on = (index: number, orderId = 'o1') => ({ orderId, lastNodeId: order.nodes[index]!.nodeId, lastNodeSequenceId: order.nodes[index]!.sequenceId });
    expect(disinfectionHoldReached(ward, order, on(5))).toBeUndefined();
    expect(disinfectionHoldReached(ward, order, on(6))).toMatchObject({ nodeId: 'dis', durationS: 15 });
    expect(disinfectionHoldReached(ward, order, on(6, 'other'))).toBeUndefined();
    const { order: whole } = releaseHold(ward, order, 6, header);
    expect(disinfectionHoldReached(ward, whole, on(6))).toBeUndefined();
  });

  it('with lift rides held too (hotel, stock AGV): each release goes to the next hold of either kind, the ride down releasing up to the station', async () => {
    const hotel = new SiteGraph(await loadSite('hotel'));
    const { delivery } = buildContactlessOrders(
      {
        graph: hotel,
        orderId: 'trip-h',
        manufacturer: 'm',
        serialNumber: 'agv',
        headerId: 0,
        timestamp: new Date(0).toISOString(),
        startNodeId: 'G-loading',
        stops: [{ tray: 1, room: '103' }],
        pickupTimeoutS: 120,
        disinfect: false,
        lifts: 'horizon',
      },
      { kind: 'contactless', loadsPerLeg: 1, initPositionAfterLift: false },
    );
    const holds = holdsOf(hotel, delivery);
    expect(holds.map((h) => h.kind)).toEqual(['lift', 'lift', 'disinfect']);
    expect(holds[2]).toMatchObject({ nodeId: 'G-disinfect' });
    let order = delivery;
    expect(released(order).at(-1)).toBe(order.nodes[holds[0]!.edgeIndex]!.nodeId);
    for (const [i, hold] of holds.entries()) {
      const next = holds[i + 1];
      ({ order } = releaseHold(hotel, order, hold.edgeIndex, header));
      expect(released(order).length - 1).toBe(next?.edgeIndex ?? order.edges.length);
    }
  });
  it('doors the controller opens: the edge through the door is marked and held, before any station; a robot whose bridge opens doors gets none', () => {
    const gated = new SiteGraph(
      siteSchema.parse({
        ...ADJACENT_ZONES_SITE,
        lanes: ADJACENT_ZONES_SITE.lanes.map((l) => (l.from === 'gc' && l.to === 'rh' ? { ...l, door: 'gate' } : l)),
        doors: [{ id: 'gate', level: 'L1' }],
      }),
    );
    const build = (doors?: 'controller') => buildTripOrder({ ...tripInput(), graph: gated, stops: [{ tray: 1, room: '201' }], disinfect: false, ...(doors ? { doors } : {}) });
    const order = build('controller');
    expect(holdsOf(gated, order).map((h) => [h.kind, order.edges[h.edgeIndex]!.edgeId])).toEqual([
      ['door', 'gc--rh'],
      ['disinfect', 'dis--load'],
    ]);
    expect(order.edges.find((e) => e.edgeId === 'gc--rh')!.edgeDescription).toBe('door opened by the controller: gate');
    expect(released(order)).toEqual(['load', 'gc']);
    const { order: through } = releaseHold(gated, order, 1, header);
    expect(released(through).at(-1)).toBe('dis');
    expect(holdsOf(gated, build()).map((h) => h.kind)).toEqual(['disinfect']);
  });
});

function tripInput() {
  return {
    graph: ward,
    orderId: 'o2',
    manufacturer: 'm',
    serialNumber: 'agv',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'load',
    pickupTimeoutS: 120,
    lifts: 'horizon' as const,
  };
}

const hotelSite = await loadSite('hotel');

describe('single-width way holds', () => {
  const hotel = new SiteGraph(hotelSite);
  const tripInput = {
    graph: hotel,
    orderId: 'o2',
    manufacturer: 'm',
    serialNumber: 'agv',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'G-loading',
    stops: [{ tray: 1, room: '101' }],
    pickupTimeoutS: 120,
    disinfect: true,
    lifts: 'action' as const,
  };
  const trip = buildTripOrder({ ...tripInput, narrowWays: 'controller' });

  it('holds the robot at the end of each way it enters, with where it leaves the way', () => {
    const narrow = holdsOf(hotel, trip).filter((h) => h.kind === 'narrow');
    const at = (i: number) => trip.nodes[i]!.nodeId;
    // Out through the tunnel, in and out of the room's spur, back through the tunnel.
    expect(narrow.map((h) => h.kind === 'narrow' && [h.way, at(h.edgeIndex), h.exit])).toEqual([
      ['G-tunnel', 'G-loading', 'G-c6'],
      ['spur-R101', 'F1-c0', 'F1-c0'],
      ['G-tunnel', 'G-c6', 'G-loading'],
    ]);
    // The base ends at the loading station: nothing beyond it until the tunnel is granted.
    expect(released(trip)).toEqual(['G-loading']);
  });

  it('each release sends the way and what follows up to the next hold, same orderId, orderUpdateId + 1', () => {
    const [first, second] = holdsOf(hotel, trip);
    const { order, update } = releaseHold(hotel, trip, first!.edgeIndex, header);
    expect(update.orderId).toBe('o2');
    expect(update.orderUpdateId).toBe(1);
    expect(update.nodes[0]!.nodeId).toBe('G-loading');
    expect(update.nodes.filter((n) => n.released).at(-1)!.nodeId).toBe(trip.nodes[second!.edgeIndex]!.nodeId);
    expect(order.edges[second!.edgeIndex]!.released).toBe(false);
  });

  it('each edge entering a way says so on the wire; a site without marks, or an order not asking, holds nothing for ways', () => {
    expect(trip.edges.filter((e) => e.edgeDescription?.startsWith(NARROW_HOLD)).map((e) => e.edgeDescription)).toEqual([
      `${NARROW_HOLD}G-tunnel`,
      `${NARROW_HOLD}spur-R101`,
      `${NARROW_HOLD}G-tunnel`,
    ]);
    const build = (graph: SiteGraph, narrowWays?: 'controller') => buildTripOrder({ ...tripInput, graph, ...(narrowWays ? { narrowWays } : {}) });
    expect(holdsOf(hotel, build(new SiteGraph(withoutWays(hotelSite)), 'controller'))).toEqual([]);
    expect(holdsOf(hotel, build(hotel))).toEqual([]);
  });
});

describe('a single-width way through a door (a room door on its spur)', () => {
  const small = generateHotel({ name: 'small', floors: 1, roomsPerFloor: 4, lifts: 1, chargers: 1 });
  const site = siteSchema.parse({
    ...small,
    lanes: small.lanes.map((l) => (l.from === 'R101' || l.to === 'R101' ? { ...l, door: 'door-101' } : l)),
    doors: [{ id: 'door-101', level: 'F1' }],
  });
  const graph = new SiteGraph(site);
  const order = buildTripOrder({
    graph,
    orderId: 'o3',
    manufacturer: 'm',
    serialNumber: 'agv',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'F1-c0',
    stops: [{ tray: 1, room: '101' }],
    pickupTimeoutS: 120,
    doors: 'controller',
    narrowWays: 'controller',
  });

  it('holds the way first, then the door, on the same edge; granting the way releases nothing yet, the door then releases the edge', () => {
    const i = order.edges.findIndex((e) => e.endNodeId === 'R101');
    expect(order.edges[i]!.edgeDescription).toBe(`${NARROW_HOLD}spur-R101; ${DOOR_HOLD}door-101`);
    expect(
      holdsOf(graph, order)
        .filter((h) => h.edgeIndex === i)
        .map((h) => h.kind),
    ).toEqual(['narrow', 'door']);
    // Released up to the spur: the holds before it let go.
    let held = order;
    for (const h of holdsOf(graph, order).filter((h) => h.edgeIndex < i)) held = (h.kind === 'narrow' ? grantWay : releaseHold)(graph, held, h.edgeIndex, header).order;
    expect(released(held).at(-1)).toBe(order.nodes[i]!.nodeId);
    const granted = grantWay(graph, held, i, header);
    expect(granted.order.orderUpdateId).toBe(held.orderUpdateId + 1);
    expect(released(granted.order)).toEqual(released(held));
    expect(granted.update.edges[0]!.edgeDescription).toBe(`${DOOR_HOLD}door-101`);
    expect(
      holdsOf(graph, granted.order)
        .filter((h) => h.edgeIndex === i)
        .map((h) => h.kind),
    ).toEqual(['door']);
    const opened = releaseHold(graph, granted.order, i, header);
    expect(opened.order.edges[i]!.released).toBe(true);
  });
});
