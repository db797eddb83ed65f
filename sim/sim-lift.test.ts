import { describe, expect, it } from 'vitest';
import { generateHotel } from '../controller/site/hotel-generator.js';
import type { DriveTarget } from '../firmware-bridge/index.js';
import { siteSchema } from '../protocol/index.js';
import { ScaledClock } from './scaled-clock.js';
import { SimRobotDriver } from './sim-robot-driver.js';
import { SimWorld } from './world.js';

const site = siteSchema.parse(generateHotel({ name: 'small', floors: 4, roomsPerFloor: 4, lifts: 1, chargers: 1 }));

/** The lift edge from one landing of car A to another, as an order gives it. */
function liftEdge(world: SimWorld, from: string, to: string): DriveTarget {
  const node = (id: string) => world.node(id);
  return {
    fromNodeId: from,
    nodeId: to,
    edgeId: `${from}--${to}`,
    position: { x: node(to).x, y: node(to).y, mapId: node(to).level },
    fromPosition: { x: node(from).x, y: node(from).y, mapId: node(from).level },
    lengthM: 0,
    edge: { edgeId: `${from}--${to}`, sequenceId: 1, released: true, startNodeId: from, endNodeId: to, actions: [] },
  };
}

describe('simulated lifts', () => {
  it('takes clock time for the car to come, the doors, boarding, the floors and leaving; the robot ends on the far landing', async () => {
    const clock = new ScaledClock(2000);
    const world = new SimWorld({ site, clock, seed: 1 });
    const robot = new SimRobotDriver(world, 'G-liftA', { name: 'r1' });
    const start = clock.now();
    await robot.driveTo(liftEdge(world, 'G-liftA', 'F2-liftA'), new AbortController().signal);
    // Car already at G: 2 doors + enter + leave + 2 floors = 42 s.
    expect((clock.now() - start) / 1000).toBeGreaterThanOrEqual(42);
    expect(robot.status().position.mapId).toBe('F2');
    expect(world.lifts.occupant('A')).toBeUndefined();
    // The car stayed at F2: called back to G it travels 2 floors first (6 s) before the 39 s ride to F1.
    const again = clock.now();
    await new SimRobotDriver(world, 'G-liftA', { name: 'r2' }).driveTo(liftEdge(world, 'G-liftA', 'F1-liftA'), new AbortController().signal);
    expect((clock.now() - again) / 1000).toBeGreaterThanOrEqual(6 + 39);
  });

  it('refuses a call while the car serves another robot (the controller decides who rides), and serves it once released', async () => {
    const clock = new ScaledClock(2000);
    const world = new SimWorld({ site, clock, seed: 1 });
    const first = new SimRobotDriver(world, 'G-liftA', { name: 'r1' }).driveTo(liftEdge(world, 'G-liftA', 'F2-liftA'), new AbortController().signal);
    expect(world.lifts.occupant('A')).toBe('r1');
    const second = new SimRobotDriver(world, 'G-liftA', { name: 'r2' });
    await expect(second.driveTo(liftEdge(world, 'G-liftA', 'F1-liftA'), new AbortController().signal)).rejects.toThrow(/in use by r1/);
    await first;
    await second.driveTo(liftEdge(world, 'G-liftA', 'F1-liftA'), new AbortController().signal);
    expect(second.status().position.mapId).toBe('F1');
  });

  it('frees the car when a ride is cancelled', async () => {
    const clock = new ScaledClock(2000);
    const world = new SimWorld({ site, clock, seed: 1 });
    const abort = new AbortController();
    const ride = new SimRobotDriver(world, 'G-liftA', { name: 'r1' }).driveTo(liftEdge(world, 'G-liftA', 'F3-liftA'), abort.signal);
    await new Promise((r) => setTimeout(r, 5));
    abort.abort(new Error('cancelled'));
    await expect(ride).rejects.toThrow('cancelled');
    expect(world.lifts.occupant('A')).toBeUndefined();
  });
});
