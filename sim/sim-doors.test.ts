import { describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import type { DriveTarget } from '../firmware-bridge/index.js';
import { siteSchema } from '../protocol/index.js';
import { ScaledClock } from './scaled-clock.js';
import { SimRobotDriver } from './sim-robot-driver.js';
import { SimWorld } from './world.js';

const hotel = generateHotel({ name: 'small', floors: 1, roomsPerFloor: 4, lifts: 1, chargers: 1 });
// A ward door on the lane into room 101.
const doorLane = hotel.lanes.findIndex((l) => l.from === 'R101' || l.to === 'R101');
const site = siteSchema.parse({
  ...hotel,
  lanes: hotel.lanes.map((l, i) => (i === doorLane ? { ...l, door: 'ward-1' } : l)),
  doors: [{ id: 'ward-1', level: 'F1', openS: 6 }],
});
const lane = site.lanes[doorLane]!;
const [corridor, room] = lane.from === 'R101' ? [lane.to, lane.from] : [lane.from, lane.to];

function edge(world: SimWorld, from: string, to: string): DriveTarget {
  const node = (id: string) => world.node(id);
  return {
    fromNodeId: from,
    nodeId: to,
    edgeId: `${from}--${to}`,
    position: { x: node(to).x, y: node(to).y, mapId: node(to).level },
    edge: { edgeId: `${from}--${to}`, sequenceId: 1, released: true, startNodeId: from, endNodeId: to, actions: [] },
  };
}

describe('simulated doors on the robots’ way', () => {
  it('a lane through a door takes the door’s opening time on top of the drive; a lane without one does not', async () => {
    const clock = new ScaledClock(2000);
    const world = new SimWorld({ site, clock, seed: 1 });
    const robot = new SimRobotDriver(world, corridor, { name: 'r1' });
    const driveS = Math.hypot(world.node(room).x - world.node(corridor).x, world.node(room).y - world.node(corridor).y) / robot.description.speedMaxMps;
    const start = clock.now();
    await robot.driveTo(edge(world, corridor, room), new AbortController().signal);
    const tookS = (clock.now() - start) / 1000;
    expect(tookS).toBeGreaterThanOrEqual(driveS + 6 - 0.5);
    expect(world.doors.opened).toBe(1);
    expect(world.doors.between(corridor, room)).toEqual(['ward-1']);
    expect(world.doors.between(room, corridor)).toEqual(['ward-1']);
  });

  it('a jammed door fails the drive after the timeout, saying which door', async () => {
    const clock = new ScaledClock(2000);
    const world = new SimWorld({ site, clock, seed: 1 });
    const robot = new SimRobotDriver(world, corridor, { name: 'r1' });
    world.doors.jam('ward-1');
    const start = clock.now();
    await expect(robot.driveTo(edge(world, corridor, room), new AbortController().signal)).rejects.toThrow('door ward-1 did not open within 30 s');
    expect(clock.now() - start).toBeGreaterThanOrEqual(29_000);
    expect(world.doors.opened).toBe(0);
  });
});
