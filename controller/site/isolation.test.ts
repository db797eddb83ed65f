import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISINFECTION, siteSchema, type IsolationZone, type SiteInput } from '../../protocol/index.js';
import { loadSite } from './load-site.js';
import { SiteGraph } from './site-graph.js';

/**
 * A ward on one floor: the loading station (green) on a green corridor; a red room whose door
 * gives on the corridor at `door`; a disinfection station on a detour. `door` green makes the
 * short way back skip the station.
 */
function ward(door: IsolationZone, withStation = true): SiteInput {
  const node = (id: string, kind: 'corridor' | 'room' | 'loading' | 'disinfection', x: number, y: number, zone: IsolationZone, room?: string) => ({
    id,
    kind,
    level: 'L1',
    x,
    y,
    zone,
    ...(room ? { room } : {}),
  });
  return {
    name: 'ward',
    levels: [{ name: 'L1' }],
    nodes: [
      node('load', 'loading', 0, 0, 'green'),
      node('c1', 'corridor', 10, 0, 'green'),
      node('door', 'corridor', 20, 0, door),
      node('r1', 'room', 20, 5, 'red', '101'),
      ...(withStation ? [node('dis', 'disinfection', 10, -10, 'buffer'), node('back', 'corridor', 20, -10, 'buffer')] : []),
    ],
    lanes: [
      { from: 'load', to: 'c1' },
      { from: 'c1', to: 'door' },
      { from: 'door', to: 'r1' },
      ...(withStation
        ? [
            { from: 'door', to: 'back' },
            { from: 'back', to: 'dis' },
            { from: 'dis', to: 'load' },
          ]
        : []),
    ],
  };
}

describe('the isolation rule in routes', () => {
  it('takes a robot back from red through the disinfection station, even when the way past it is longer', () => {
    const graph = new SiteGraph(siteSchema.parse(ward('buffer')));
    expect(graph.route('r1', 'load')!.nodes).toEqual(['r1', 'door', 'back', 'dis', 'load']);
    // Out to the room nothing is contaminated: the short way.
    expect(graph.route('load', 'r1')!.nodes).toEqual(['load', 'c1', 'door', 'r1']);
    expect(graph.timeS('r1', 'load')).toBeGreaterThan(graph.timeS('load', 'r1'));
    expect(graph.isolationProblems()).toEqual([]);
  });

  it('stops at the station only when contaminated, for its duration, and says where', () => {
    const input = ward('buffer');
    input.nodes = input.nodes.map((n) => (n.id === 'dis' ? { ...n, disinfection: { method: 'spray', durationS: 45 } } : n));
    const graph = new SiteGraph(siteSchema.parse(input));
    const back = graph.route('r1', 'load')!;
    expect(back.disinfections).toEqual([{ at: 3, method: 'spray', durationS: 45 }]);
    expect(back.nodes[3]).toBe('dis');
    expect(back.contaminatedAtEnd).toBe(false);
    // Driving time (5 + 10 + 10 + 14.1 m at 0.8 m/s) plus the 45 s in the station.
    expect(back.timeS).toBeCloseTo((5 + 10 + 10 + Math.hypot(10, 10)) / 0.8 + 45, 6);
    // A clean robot passes the station without stopping.
    const clean = graph.route('back', 'load')!;
    expect(clean.nodes).toEqual(['back', 'dis', 'load']);
    expect(clean.disinfections).toEqual([]);
    // The same buffer node, contaminated (it came from red in an earlier leg or order): disinfected on the way.
    const dirty = graph.route('back', 'load', { contaminated: true })!;
    expect(dirty.disinfections).toEqual([{ at: 1, method: 'spray', durationS: 45 }]);
    expect(dirty.timeS).toBeCloseTo(clean.timeS + 45, 6);
    // Contaminated at the station itself: disinfected where it stands.
    expect(graph.route('dis', 'load', { contaminated: true })!.disinfections).toEqual([{ at: 0, method: 'spray', durationS: 45 }]);
    // Into red the robot arrives contaminated; to a buffer node from red it need not stop.
    expect(graph.route('load', 'r1')!.contaminatedAtEnd).toBe(true);
    const toBuffer = graph.route('r1', 'back')!;
    expect(toBuffer.disinfections).toEqual([]);
    expect(toBuffer.contaminatedAtEnd).toBe(true);
  });

  it('takes a station without parameters as a person wiping the robot down for a minute', () => {
    const graph = new SiteGraph(siteSchema.parse(ward('buffer')));
    expect(graph.route('r1', 'load')!.disinfections).toEqual([{ at: 3, ...DEFAULT_DISINFECTION }]);
    expect(DEFAULT_DISINFECTION).toEqual({ method: 'wait', durationS: 60 });
  });

  it('refuses station parameters on a node that is no station, naming the field', () => {
    const input = ward('buffer');
    input.nodes = input.nodes.map((n) => (n.id === 'c1' ? { ...n, disinfection: { method: 'uv', durationS: 10 } } : n));
    const parsed = siteSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['nodes', 1, 'disinfection'], message: 'only a disinfection node disinfects (this one is corridor)' });
  });

  it('finds a red room whose every way back enters green first, and one with no way back at all', () => {
    // The room's door gives on the green corridor: any way back enters green straight from red.
    expect(new SiteGraph(siteSchema.parse(ward('green'))).isolationProblems()).toEqual([
      'room 101 (red): every way back to the loading station enters the green zone without passing a disinfection station',
    ]);
    const oneWay = ward('buffer');
    oneWay.lanes = oneWay.lanes.map((l) => (l.to === 'r1' ? { ...l, bidirectional: false } : l));
    expect(new SiteGraph(siteSchema.parse(oneWay)).isolationProblems()).toEqual(['room 101: no way back to the loading station']);
  });

  it('refuses such a site at load, naming the file and the room', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-site-')), 'ward.json');
    writeFileSync(file, JSON.stringify(ward('buffer', false)));
    await expect(loadSite(file)).rejects.toThrow(`${file}: room 101 (red): every way back to the loading station enters the green zone without passing a disinfection station`);
    writeFileSync(file, JSON.stringify(ward('buffer')));
    await expect(loadSite(file)).resolves.toMatchObject({ name: 'ward' });
  });

  it('holds on the demo hotel: from every room back through its disinfection station', async () => {
    const graph = new SiteGraph(await loadSite('hotel'));
    expect(graph.isolationProblems()).toEqual([]);
    for (const room of ['101', '824']) expect(graph.route(graph.roomNodes.get(room)!.id, 'G-loading')!.nodes.at(-2)).toBe('G-disinfect');
  });
});
