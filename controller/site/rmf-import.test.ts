import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SiteGraph } from './site-graph.js';
import { importRmfBuilding, rmfZonesSchema } from './rmf-import.js';

const MAPS = path.resolve(import.meta.dirname, '../../test-data/rmf-maps');
const drawing = (name: string) => readFileSync(path.join(MAPS, `${name}.building.yaml`), 'utf8');
const clinicZones = rmfZonesSchema.parse(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../sites/rmf/clinic.zones.json'), 'utf8')));

describe('import-rmf: Open-RMF traffic-editor drawings', () => {
  it('imports the hotel: three levels to scale, its named places as rooms, both lifts on every floor', () => {
    const result = importRmfBuilding(drawing('hotel'), { loading: 'lobby' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { site } = result;
    expect(site.levels.map((l) => l.name)).toEqual(['L1', 'L2', 'L3']);
    expect(site.nodes.filter((n) => n.kind === 'room').map((n) => n.room)).toEqual([
      'shop',
      'restaurant',
      'L2-room1',
      'L2-master-suite',
      'L2-room15',
      'L3-room1',
      'L3-master-suite',
      'L3-room15',
    ]);
    expect(site.lifts.map((l) => [l.id, l.levels])).toEqual([
      ['Lift1', ['L1', 'L2', 'L3']],
      ['Lift2', ['L1', 'L2', 'L3']],
    ]);
    // Metres from the drawn measurement (3.4 m between two vertices): lobby to restaurant in a straight line.
    const at = (name: string) => site.nodes.find((n) => n.id === `L1-${name}`)!;
    expect(Math.hypot(at('lobby').x - at('restaurant').x, at('lobby').y - at('restaurant').y)).toBeCloseTo(13.74, 1);
    // The image's y axis points down; the site's up: the restaurant, drawn above the lobby, is north of it.
    expect(at('restaurant').y).toBeGreaterThan(at('lobby').y);
    // Every room is reachable from the loading station, lifts included.
    const graph = new SiteGraph(site);
    for (const room of site.nodes.filter((n) => n.kind === 'room')) expect(graph.route('L1-lobby', room.id)?.timeS, room.id).toBeGreaterThan(0);
  });

  it('imports the clinic with its zones file: room numbers, red negative-pressure rooms, the lifts the robots reach, and says what it left out', () => {
    const result = importRmfBuilding(drawing('clinic'), { loading: 'L1_left_nurse_center', zones: clinicZones });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { site, notes } = result;
    const places = site.nodes.filter((n) => n.kind === 'room');
    expect(places).toHaveLength(22);
    expect(places.find((n) => n.id === 'L1-L1_left_negative_air_pressure')).toMatchObject({ room: 'L1-LNP', zone: 'red' });
    expect(places.filter((n) => n.zone === 'red').map((n) => n.room)).toEqual(['L1-LNP', 'L1-RNP']);
    expect(site.nodes.filter((n) => n.kind === 'charger').map((n) => n.id)).toContain('L1-deliveryRobot_1_charger');
    expect(site.lifts.map((l) => [l.id, l.levels])).toEqual([
      ['lift_1', ['L1', 'L2']],
      ['lift_25', ['L1', 'L2']],
    ]);
    expect(notes).toContain('lift lift_2: reachable on 0 level(s), not imported');
    // Doors on the robots' way: those whose frame a lane crosses, and the lane names the door.
    expect(notes).toContain('level L1: 9 of 76 doors drawn are on lanes of graph 0; the others are left out');
    expect(site.doors.find((d) => d.id === 'L1-L1_left_negative_air_pressure')).toMatchObject({ level: 'L1', type: 'sliding' });
    const intoNegative = site.lanes.filter((l) => l.door === 'L1-L1_left_negative_air_pressure');
    expect(intoNegative.map((l) => l.to)).toEqual(['L1-L1_left_negative_air_pressure']);
    expect(site.doors).toHaveLength(13);
    for (const door of site.doors) expect(site.lanes.some((l) => l.door === door.id)).toBe(true);
  });

  it('takes a door only where a lane crosses its frame, and refuses a door to a missing vertex with its line', () => {
    const hotel = drawing('hotel');
    const result = importRmfBuilding(hotel, { loading: 'lobby' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.site.doors.map((d) => d.id)).toEqual(['L1-L1_door1', 'L1-L1_door2', 'L2-L2_door2', 'L3-L3_door2']);
    // The crossing lane joins the vertices on either side of the frame.
    const through = result.site.lanes.find((l) => l.door === 'L1-L1_door1')!;
    const [from, to] = [through.from, through.to].map((id) => result.site.nodes.find((n) => n.id === id)!);
    expect(from!.level).toBe('L1');
    expect(to!.level).toBe('L1');
    const lines = hotel.split('\n');
    const doorLine = lines.findIndex((line) => line.includes('L1_door1'));
    lines[doorLine] = lines[doorLine]!.replace(/\[\s*\d+,\s*\d+,/, '[9998, 9999,');
    const broken = importRmfBuilding(lines.join('\n'), { loading: 'lobby' });
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.problems).toContainEqual({ line: doorLine + 1, message: 'level L1: a door to a vertex that does not exist (9998, 9999)' });
  });

  it('takes a lane in a mutex group (traffic editor 1.8.2) as a single-width way named for the group; the demo drawings have none', () => {
    const plain = importRmfBuilding(drawing('hotel'), { loading: 'lobby' });
    if (!plain.ok) throw new Error(JSON.stringify(plain.problems));
    expect(plain.site.lanes.filter((l) => l.way !== undefined)).toEqual([]);
    const lines = drawing('hotel').split('\n');
    // The second lane of the drawing (the first goes through a door), put in a mutex group as the editor writes it.
    const laneLines = lines.flatMap((line, i) => (/^\s+- \[\d+, \d+, \{bidirectional/.test(line) ? [i] : []));
    const laneLine = laneLines[1]!;
    lines[laneLine] = lines[laneLine]!.replace('{bidirectional', '{mutex: [1, "east passage"], bidirectional');
    const marked = importRmfBuilding(lines.join('\n'), { loading: 'lobby' });
    if (!marked.ok) throw new Error(JSON.stringify(marked.problems));
    expect(marked.site.lanes.filter((l) => l.way !== undefined).map((l) => l.way)).toEqual(['east-passage']);
    // A lane through a door may be in a group too (a room's door spur): it keeps its door.
    lines[laneLines[0]!] = lines[laneLines[0]!]!.replace('{bidirectional', '{mutex: [1, "gate"], bidirectional');
    const both = importRmfBuilding(lines.join('\n'), { loading: 'lobby' });
    if (!both.ok) throw new Error(JSON.stringify(both.problems));
    expect(both.site.lanes.filter((l) => l.way === 'gate').map((l) => l.door)).toEqual(['L1-L1_door1']);
  });

  it("takes each disinfection station's method and duration from the zones file, and refuses one that is no station", () => {
    const result = importRmfBuilding(drawing('clinic'), { loading: 'L1_left_nurse_center', zones: clinicZones });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.site.nodes.find((n) => n.id === 'L1-v397')).toMatchObject({ kind: 'disinfection', zone: 'buffer', disinfection: { method: 'spray', durationS: 30 } });
    const wrong = rmfZonesSchema.parse({ ...clinicZones, stations: { ...clinicZones.stations, 'L1-v393': { method: 'uv', durationS: 20 } } });
    expect(importRmfBuilding(drawing('clinic'), { loading: 'L1_left_nurse_center', zones: wrong })).toEqual({
      ok: false,
      problems: [{ message: 'zones file: stations.L1-v393: not a disinfection station (list it under "disinfection")' }],
    });
    expect(rmfZonesSchema.safeParse({ stations: { x: { method: 'bleach', durationS: 20 } } }).error?.issues[0]?.path).toEqual(['stations', 'x', 'method']);
  });

  it('takes zones drawn as areas per level, names first, and refuses an area that is no simple polygon or on no level', () => {
    const text = drawing('clinic');
    const vertices = (parse(text) as { levels: Record<string, { vertices: [number, number, number, string][] }> }).levels.L1!.vertices;
    const [x, y] = vertices.find((v) => v[3] === 'L1_left_negative_air_pressure')!;
    const square = (r: number): [number, number][] => [
      [x - r, y - r],
      [x + r, y - r],
      [x + r, y + r],
      [x - r, y + r],
    ];
    const { L1_left_negative_air_pressure: _, ...named } = clinicZones.zones;
    const byArea = rmfZonesSchema.parse({ ...clinicZones, zones: named, areas: [{ level: 'L1', zone: 'red', polygon: square(5) }] });
    const result = importRmfBuilding(text, { loading: 'L1_left_nurse_center', zones: byArea });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.site.nodes.find((n) => n.id === 'L1-L1_left_negative_air_pressure')?.zone).toBe('red');
    // The same area on the other level leaves it green.
    const elsewhere = importRmfBuilding(text, { loading: 'L1_left_nurse_center', zones: { ...byArea, areas: [{ ...byArea.areas[0]!, level: 'L2' }] } });
    if (!elsewhere.ok) throw new Error(JSON.stringify(elsewhere.problems));
    expect(elsewhere.site.nodes.find((n) => n.id === 'L1-L1_left_negative_air_pressure')?.zone).toBe('green');
    // A name in `zones` wins over an area around it.
    const named2 = importRmfBuilding(text, { loading: 'L1_left_nurse_center', zones: { ...clinicZones, areas: [{ level: 'L1', zone: 'buffer', polygon: square(5) }] } });
    if (!named2.ok) throw new Error(JSON.stringify(named2.problems));
    expect(named2.site.nodes.find((n) => n.id === 'L1-L1_left_negative_air_pressure')?.zone).toBe('red');
    const [a, b, c, d] = square(5);
    const broken = rmfZonesSchema.parse({
      areas: [
        { level: 'L1', zone: 'red', polygon: [a, c, b, d] },
        { level: 'L9', zone: 'red', polygon: square(5) },
      ],
    });
    expect(importRmfBuilding(text, { loading: 'L1_left_nurse_center', zones: broken })).toEqual({
      ok: false,
      problems: [{ message: `zones file: areas.0.polygon: self-crossing ring at (${x}, ${y})` }, { message: 'zones file: areas.1: no level L9 in the drawing (levels: L1, L2)' }],
    });
    expect(rmfZonesSchema.safeParse({ areas: [{ level: 'L1', zone: 'red', polygon: [a, b] }] }).error?.issues[0]?.path).toEqual(['areas', 0, 'polygon']);
  });

  it('refuses a place whose name is no room number, naming its line, unless the zones file numbers it', () => {
    const result = importRmfBuilding(drawing('clinic'), { loading: 'L1_left_nurse_center' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.message.startsWith('place L1_left_treatment_1:'))!;
    expect(problem.message).toContain('give it one under "rooms" in the zones file');
    expect(drawing('clinic').split('\n')[problem.line! - 1]).toContain('L1_left_treatment_1');
  });

  it('refuses broken drawings whole, each problem with its line', () => {
    const hotel = drawing('hotel');
    const lines = hotel.split('\n');
    // A lane to a vertex the level does not have.
    const lane = lines.findIndex((l) => l.startsWith('      - [56, 57, {bidirectional'));
    const broken = [...lines];
    broken[lane] = broken[lane]!.replace('[56, 57,', '[56, 999,');
    const missing = importRmfBuilding(broken.join('\n'), { loading: 'lobby' });
    expect(missing).toEqual({ ok: false, problems: [{ line: lane + 1, message: expect.stringMatching(/^level L1: a lane to vertex 999, which does not exist/) }] });
    // No measurement on a level: no scale.
    const unmeasured = hotel.replace('      - [53, 54, {distance: [3, 3.4]}]\n', '');
    const noScale = importRmfBuilding(unmeasured.replace(/(\n {4}measurements:)\n(?= {4}models:)/, '$1 []\n'), { loading: 'lobby' });
    expect(noScale.ok).toBe(false);
    if (!noScale.ok) expect(noScale.problems).toEqual([{ line: 18, message: expect.stringMatching(/^level L1: no measurement, so no scale/) }]);
    // Not the format at all.
    const wrong = importRmfBuilding('levels:\n  L1:\n    vertices: [[1, 2]]\n', { loading: 'lobby' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems).toContainEqual({ line: 3, message: 'levels.L1.vertices.0.2: Invalid input: expected number, received undefined' });
    expect(importRmfBuilding('levels: [', { loading: 'lobby' })).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/^not YAML/) }] });
    // A loading station the drawing does not have.
    const noLoading = importRmfBuilding(hotel, { loading: 'reception' });
    expect(noLoading).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/^--loading reception: no place of that name .* \(places: .*lobby/) }] });
  });
});
