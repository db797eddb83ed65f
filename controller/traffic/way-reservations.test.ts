import { describe, expect, it } from 'vitest';
import type { Lane } from '../../protocol/index.js';
import { seededRandom } from '../../protocol/random.js';
import { NarrowWays } from './narrow-ways.js';
import { WayReservations } from './way-reservations.js';

// west — a — m — b — east: the passage a—m—b is one single-width way; r is a room at the end of a spur from m2.
const lanes: Lane[] = [
  { from: 'west', to: 'a', bidirectional: true },
  { from: 'a', to: 'm', bidirectional: true, way: 'passage' },
  { from: 'm', to: 'b', bidirectional: true, way: 'passage' },
  { from: 'b', to: 'east', bidirectional: true },
  { from: 'east', to: 'm2', bidirectional: true },
  { from: 'm2', to: 'r', bidirectional: true, way: 'spur' },
];
const ways = new NarrowWays({ lanes });
const eastbound = (robot: string) => ({ robot, way: 'passage', entry: 'a', exit: 'b' });
const westbound = (robot: string) => ({ robot, way: 'passage', entry: 'b', exit: 'a' });

describe('narrow ways', () => {
  it('finds the ends (a lane outside the way) and the inside of each way', () => {
    expect([...ways.byId.get('passage')!.ends].sort()).toEqual(['a', 'b']);
    expect([...ways.byId.get('passage')!.inside]).toEqual(['m']);
    expect([...ways.byId.get('spur')!.ends]).toEqual(['m2']);
    expect([...ways.byId.get('spur')!.inside]).toEqual(['r']);
    expect(ways.wayOf('m', 'a')?.id).toBe('passage');
    expect(ways.wayOf('west', 'a')).toBeUndefined();
  });
});

describe('way reservations', () => {
  it('grants a free way, queues the opposite direction, and grants it once the first robot is past', () => {
    const r = new WayReservations(ways);
    expect(r.request(eastbound('r1'))).toEqual([eastbound('r1')]);
    expect(r.request(westbound('r2'))).toEqual([]);
    expect(r.of('passage')).toEqual({ holders: ['r1'], waiting: ['r2'] });
    // Still at the entry, then inside: held.
    expect(r.observe('r1', 'a')).toEqual({ granted: [], released: [] });
    expect(r.observe('r1', 'm')).toEqual({ granted: [], released: [] });
    expect(r.holds('r1', 'passage')).toBe(true);
    // Past the far end: released, and the robot waiting there gets it.
    expect(r.observe('r1', 'b')).toEqual({ granted: [westbound('r2')], released: ['passage'] });
    expect(r.of('passage')).toEqual({ holders: ['r2'], waiting: [] });
  });

  it('never grants opposite ends at once, whatever the order of requests and states', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      const r = new WayReservations(ways);
      const robots = ['r1', 'r2', 'r3', 'r4'];
      const route = new Map(robots.map((robot, i) => [robot, i % 2 === 0 ? ['a', 'm', 'b', 'east'] : ['b', 'm', 'a', 'west']]));
      const step = new Map(robots.map((robot) => [robot, 0]));
      for (let t = 0; t < 200; t++) {
        const robot = robots[Math.floor(random() * robots.length)]!;
        const path = route.get(robot)!;
        const i = step.get(robot)!;
        // Asking again while queued or holding changes nothing.
        if (i === 0) r.request(path[0] === 'a' ? eastbound(robot) : westbound(robot));
        // A robot moves on only once it holds the way (or is past it).
        if (i < path.length - 1 && (i > 0 || r.holds(robot, 'passage'))) {
          step.set(robot, i + 1);
          r.observe(robot, path[i + 1]!);
        }
        const entries = new Set(robots.filter((h) => r.holds(h, 'passage')).map((h) => route.get(h)![0]));
        expect(entries.size).toBeLessThanOrEqual(1);
      }
      // Nobody is left stuck: every robot got through.
      expect(robots.every((robot) => step.get(robot) === 3)).toBe(true);
    }
  });

  it('lets robots going the same way follow one another, but not overtake a robot waiting the other way', () => {
    const r = new WayReservations(ways);
    r.request(eastbound('r1'));
    expect(r.request(eastbound('r2'))).toEqual([eastbound('r2')]);
    expect(r.request(westbound('r3'))).toEqual([]);
    // r4 goes east too, but r3 asked first: it waits behind r3.
    expect(r.request(eastbound('r4'))).toEqual([]);
    r.observe('r1', 'm');
    expect(r.observe('r1', 'b').granted).toEqual([]);
    expect(r.observe('r2', 'b').granted).toEqual([westbound('r3')]);
    expect(r.of('passage')).toEqual({ holders: ['r3'], waiting: ['r4'] });
  });

  it('takes a dead-end spur one robot at a time: in and back out', () => {
    const r = new WayReservations(ways);
    const claim = (robot: string) => ({ robot, way: 'spur', entry: 'm2', exit: 'm2' });
    r.request(claim('r1'));
    expect(r.request(claim('r2'))).toEqual([]);
    expect(r.observe('r1', 'r').released).toEqual([]);
    // Back at the entry it came from: past the spur.
    expect(r.observe('r1', 'm2')).toEqual({ granted: [claim('r2')], released: ['spur'] });
  });

  it('withdraws a robot that no longer comes, and a grant it has not used goes to the next', () => {
    const r = new WayReservations(ways);
    r.request(eastbound('r1'));
    r.request(westbound('r2'));
    r.request(westbound('r3'));
    r.withdraw('r2');
    expect(r.of('passage').waiting).toEqual(['r3']);
    expect(r.withdraw('r1')).toEqual([westbound('r3')]);
    // A robot on the way keeps it when its trip ends: it is physically there.
    r.observe('r3', 'm');
    expect(r.withdraw('r3')).toEqual([]);
    expect(r.holds('r3', 'passage')).toBe(true);
  });

  it('a robot found inside a way holds it alone until it is out', () => {
    const r = new WayReservations(ways);
    r.observe('r1', 'm');
    expect(r.request(eastbound('r2'))).toEqual([]);
    expect(r.observe('r1', 'a')).toEqual({ granted: [eastbound('r2')], released: ['passage'] });
  });

  it('frees a way whose holder died inside once people take it out: the robot waiting goes, and the dead one is not found inside again', () => {
    const r = new WayReservations(ways);
    r.request(eastbound('r1'));
    r.observe('r1', 'm');
    expect(r.request(westbound('r2'))).toEqual([]);
    // r1 stops for good at m: its trip ending does not free a way it is on.
    expect(r.withdraw('r1')).toEqual([]);
    expect(r.removed('r2', 'passage', 'b')).toBeUndefined();
    expect(r.removed('r1', 'passage', 'm')).toEqual([westbound('r2')]);
    expect(r.held()).toEqual([{ way: 'passage', holders: ['r2'], waiting: [] }]);
    // Carried out, it still reports m: it does not take the way back.
    expect(r.observe('r1', 'm')).toEqual({ granted: [], released: [] });
    expect(r.holds('r1', 'passage')).toBe(false);
    // Once it reports somewhere else, a later state inside counts again.
    r.observe('r2', 'a');
    r.observe('r1', 'east');
    r.observe('r1', 'm');
    expect(r.holds('r1', 'passage')).toBe(true);
  });

  it('grants nobody behind a robot stopped inside a way, and the robots held back go once it goes on', () => {
    const r = new WayReservations(ways);
    r.request(eastbound('r1'));
    r.observe('r1', 'm');
    r.stopped('r1', true);
    // r2 would follow it in the same way, and stand behind it inside the passage.
    expect(r.request(eastbound('r2'))).toEqual([]);
    expect(r.of('passage')).toEqual({ holders: ['r1'], waiting: ['r2'] });
    expect(r.stopped('r1', false)).toEqual([eastbound('r2')]);
  });

  it('keeps a way for a robot whose state shows it driving off its entry, even if its trip ends before it reaches the next node', () => {
    const r = new WayReservations(ways);
    r.request(eastbound('r1'));
    r.request(westbound('r2'));
    expect(r.observe('r1', 'a', true)).toEqual({ granted: [], released: [] });
    expect(r.withdraw('r1')).toEqual([]);
    expect(r.holds('r1', 'passage')).toBe(true);
    // Granted but never off the entry: the grant goes to the next.
    const s = new WayReservations(ways);
    s.request(eastbound('r1'));
    s.request(westbound('r2'));
    s.observe('r1', 'a');
    expect(s.withdraw('r1')).toEqual([westbound('r2')]);
  });
});
