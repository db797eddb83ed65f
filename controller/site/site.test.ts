import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProblems, parseWith, siteSchema } from '../../protocol/index.js';
import { generateHotel, HOTEL_OPTIONS } from './hotel-generator.js';
import { loadSite, SITES_DIR } from './load-site.js';
import { SiteGraph } from './site-graph.js';

const small = siteSchema.parse(generateHotel({ name: 'small', floors: 3, roomsPerFloor: 4, lifts: 1, chargers: 1 }));

describe('site graph', () => {
  it('finds the shortest time along lanes at robot speed', () => {
    const graph = new SiteGraph(small);
    const a = graph.node('F1-w');
    const b = graph.node('F1-e');
    // A straight corridor: time is its length over 0.8 m/s.
    expect(graph.timeS('F1-w', 'F1-e')).toBeCloseTo(Math.abs(b.x - a.x) / 0.8, 6);
  });

  it('rides a lift with doors, entering and leaving, and 3 s per floor', () => {
    const graph = new SiteGraph(small);
    const ride = (to: string) => graph.route('G-liftA', to)!;
    expect(ride('F1-liftA').timeS).toBe(2 * 8 + 2 * 10 + 3);
    expect(ride('F3-liftA').timeS).toBe(2 * 8 + 2 * 10 + 9);
    // One ride, not three stacked rides.
    expect(ride('F3-liftA').hops).toHaveLength(1);
    expect(ride('F3-liftA').hops[0]!.lift).toBe('A');
  });

  it('lists the lift rides of a route with the time to reach each landing', () => {
    const graph = new SiteGraph(small);
    const route = graph.route('G-loading', 'R302')!;
    const rides = graph.liftRides('G-loading', 'R302');
    expect(rides).toHaveLength(1);
    const i = route.hops.findIndex((h) => h.lift);
    expect(rides[0]).toEqual({
      car: 0,
      fromLevel: 0,
      toLevel: 3,
      rideS: 2 * 8 + 2 * 10 + 9,
      atS: route.hops.slice(0, i).reduce((t, h) => t + h.timeS, 0),
    });
    expect(graph.liftRides('R301', 'R302')).toEqual([]);
    // Kept: the same answer object comes back.
    expect(graph.liftRides('G-loading', 'R302')).toBe(rides);
  });

  it('routes from the loading station to a room on another floor through a lift', () => {
    const graph = new SiteGraph(small);
    const route = graph.route('G-loading', 'R302')!;
    expect(route.nodes[0]).toBe('G-loading');
    expect(route.nodes.at(-1)).toBe('R302');
    expect(route.hops.filter((h) => h.lift)).toHaveLength(1);
    expect(route.timeS).toBeCloseTo(
      route.hops.reduce((t, h) => t + h.timeS, 0),
      9,
    );
    // Consecutive hops join up.
    route.hops.slice(1).forEach((hop, i) => expect(hop.from).toBe(route.hops[i]!.to));
  });

  it('takes the nearer of two lifts', () => {
    const site = siteSchema.parse(generateHotel({ name: 'two', floors: 2, roomsPerFloor: 24, lifts: 2, chargers: 1 }));
    const graph = new SiteGraph(site);
    const east = graph.route('F2-e', 'F1-e')!;
    expect(east.hops.find((h) => h.lift)?.lift).toBe('B');
    const west = graph.route('F2-w', 'F1-w')!;
    expect(west.hops.find((h) => h.lift)?.lift).toBe('A');
  });

  it('reports unreachable nodes', () => {
    // Without its lift the guest floor cannot be reached.
    const hotel = generateHotel({ name: 'cut', floors: 1, roomsPerFloor: 2, lifts: 1, chargers: 1 });
    const site = siteSchema.parse({
      ...hotel,
      lifts: [],
      nodes: hotel.nodes.filter((n) => n.kind !== 'liftLanding'),
      lanes: hotel.lanes.filter((l) => !l.from.includes('lift') && !l.to.includes('lift')),
    });
    const graph = new SiteGraph(site);
    expect(graph.route('G-loading', 'R101')).toBeUndefined();
    expect(graph.timeS('G-loading', 'R101')).toBe(Infinity);
  });
});

describe('hotel site', () => {
  it('is 8 guest floors of 24 rooms with 2 lifts, loading and chargers on the ground floor', async () => {
    const site = await loadSite('hotel');
    const rooms = site.nodes.filter((n) => n.kind === 'room');
    expect(rooms).toHaveLength(8 * 24);
    expect(new Set(rooms.map((r) => r.level)).size).toBe(8);
    expect(site.lifts).toHaveLength(2);
    expect(site.nodes.find((n) => n.kind === 'loading')?.level).toBe('G');
    expect(site.nodes.filter((n) => n.kind === 'charger').every((n) => n.level === 'G')).toBe(true);
    expect(rooms.every((r) => r.zone === 'red')).toBe(true);
    // Every room can be reached from the loading station and back.
    const graph = new SiteGraph(site);
    for (const room of rooms) {
      expect(graph.timeS('G-loading', room.id)).toBeLessThan(Infinity);
      expect(graph.timeS(room.id, 'G-loading')).toBeLessThan(Infinity);
    }
  });

  it('the committed file is what the generator makes', async () => {
    const file = JSON.parse(await readFile(path.join(SITES_DIR, 'hotel.json'), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(generateHotel(HOTEL_OPTIONS))));
  });
});

describe('site validation', () => {
  it('names the field of each problem', () => {
    const input = generateHotel({ name: 'bad', floors: 1, roomsPerFloor: 2, lifts: 1, chargers: 1 });
    input.lanes.push({ from: 'G-loading', to: 'nowhere', bidirectional: true });
    input.nodes.push({ ...input.nodes.find((n) => n.kind === 'room')!, id: 'R101-copy' });
    const parsed = parseWith(siteSchema, input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = describeProblems(parsed.problems);
    expect(text).toMatch(/lanes\.\d+\.to: unknown node nowhere/);
    expect(text).toMatch(/nodes\.\d+\.room: duplicate room 101/);
  });

  it('refuses a single-width way with a lift landing inside or a disinfection station at an end, naming the lane', () => {
    const input = generateHotel({ name: 'ways', floors: 1, roomsPerFloor: 2, lifts: 1, chargers: 1 });
    expect(parseWith(siteSchema, input).ok).toBe(true);
    // The lift landing's only lane put in a way: the landing would be inside it.
    const landing = input.lanes.findIndex((l) => l.from === 'G-liftA');
    // Only the tunnel's corridor half in a way: the station would be its end.
    const half = input.lanes.findIndex((l) => l.from === 'G-disinfect' && l.to !== 'G-loading');
    input.lanes = input.lanes.map((l, i) => (i === landing ? { ...l, way: 'lift-spur' } : i === half ? { ...l, way: 'half' } : { ...l, way: l.way === 'G-tunnel' ? undefined : l.way }));
    const parsed = parseWith(siteSchema, input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = describeProblems(parsed.problems);
    expect(text).toContain(`lanes.${landing}.way: lift landing G-liftA would be inside single-width way lift-spur`);
    expect(text).toContain(`lanes.${half}.way: disinfection station G-disinfect would be an end of single-width way half`);
  });
});
