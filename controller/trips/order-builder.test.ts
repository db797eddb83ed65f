import { describe, expect, it } from 'vitest';
import { siteSchema } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { buildTripOrder } from './order-builder.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 1, roomsPerFloor: 4, lifts: 1, chargers: 1 })));
const [roomA, roomB] = [...graph.roomNodes.keys()] as [string, string];

const orderFor = (stops: { tray: number; room: string }[]) =>
  buildTripOrder({
    graph,
    orderId: 'trip-t1',
    manufacturer: 'm',
    serialNumber: 'r1',
    headerId: 0,
    timestamp: '2026-11-30T12:00:00.000Z',
    startNodeId: graph.loadingStation.id,
    stops,
    pickupTimeoutS: 120,
    lifts: 'action',
  });

const doorStops = (stops: { tray: number; room: string }[]) =>
  orderFor(stops)
    .nodes.filter((n) => n.actions.some((a) => a.actionType === 'announce'))
    .map((n) => [n.nodeId, n.actions.map((a) => `${a.actionType} ${a.actionParameters?.find((p) => p.key === 'tray')?.value}`)]);

describe('trip order stops', () => {
  it('stops once at a door for the trays that go there in a row, announcing and waiting for each tray in turn', () => {
    const roomNode = (room: string) => graph.roomNodes.get(room)!.id;
    expect(
      doorStops([
        { tray: 1, room: roomA },
        { tray: 2, room: roomA },
        { tray: 3, room: roomB },
      ]),
    ).toEqual([
      [roomNode(roomA), ['announce 1', 'waitForPickup 1', 'announce 2', 'waitForPickup 2']],
      [roomNode(roomB), ['announce 3', 'waitForPickup 3']],
    ]);
    // The medic's order is kept: a room again after another is a second stop.
    expect(
      doorStops([
        { tray: 1, room: roomA },
        { tray: 2, room: roomB },
        { tray: 3, room: roomA },
      ]).map(([node]) => node),
    ).toEqual([roomNode(roomA), roomNode(roomB), roomNode(roomA)]);
  });
});
