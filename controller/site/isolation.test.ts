import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteSchema, type IsolationZone, type SiteInput } from '../../protocol/index.js';
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
