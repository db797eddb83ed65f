/**
 * Open-RMF traffic-editor drawings (`.building.yaml`) into an isofleet site. Pure: text in, a
 * validated site (or the problems, each with its line) out.
 *
 * What is read, per the traffic editor's format (rmf_traffic_editor, `building.yaml`): each
 * level's `vertices` ([x, y, z, name, params]), `lanes` ([from, to, params]; `bidirectional`,
 * `graph_idx`, `mutex`: the lane's mutex group, taken as its single-width way), `measurements` ([a, b, {distance}]: metres between two vertices, which give the
 * level's scale for a `reference_image` drawing, whose y axis points down) and `elevation`; the
 * `lifts` (`level_doors`: the levels a car serves) and the vertices inside a car (`lift_cabin`);
 * `is_charger` vertices; the `doors` of each level ([v1, v2, {name, type}], a door's frame between
 * two vertices), taken as doors on the robots' way where a lane of the graph crosses the frame
 * (the lane then names the door). Named vertices are the places a medic sends trays to; their room number
 * is the vertex's `room_number` parameter, else its name ('_' as '-'), else one from the zones
 * file. What a drawing cannot say (the loading station, the isolation zone of each place, the
 * disinfection stations) comes from the options and the zones file.
 */
import { booleanPointInPolygon, lineIntersect, lineString, point, polygon } from '@turf/turf';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SiteGraph } from './site-graph.js';
import { ogcProblem } from '../spray/zones/ogc-validity.js';
import {
  disinfectionStationSchema,
  isolationZoneSchema,
  roomSchema,
  siteSchema,
  type IsolationZone,
  type Site,
  type SiteDoor,
  type SiteNode,
  type SiteNodeKind,
} from '../../protocol/index.js';

/** Seconds a door drawn in the traffic editor takes to open: the drawing does not say. */
const DOOR_OPEN_S = 4;

/** The zones file: what the drawing does not say, by the names drawn. */
export const rmfZonesSchema = z.object({
  /** Room numbers for places whose names are not room numbers (`L1_left_treatment_1` → `L1-LT1`). */
  rooms: z.record(z.string(), roomSchema).default({}),
  /**
   * Isolation zone per place name, or per imported id for a way point drawn without a name
   * (`L1-v397`); others are `green`, disinfection stations `buffer`.
   */
  zones: z.record(z.string(), z.enum(['green', 'buffer', 'red'])).default({}),
  /** Names (or imported ids) of the places where robots are disinfected. */
  disinfection: z.array(z.string()).default([]),
  /**
   * How each of those stations disinfects, by the same name: `{method: uv|spray|wait, durationS}`;
   * a station not given here is a person wiping the robot down for a minute (`DEFAULT_DISINFECTION`).
   */
  stations: z.record(z.string(), disinfectionStationSchema).default({}),
  /** Names of chargers the drawing does not flag `is_charger`. */
  chargers: z.array(z.string()).default([]),
  /**
   * Zones drawn as areas: on `level`, every place and way point inside `polygon` (at least 3
   * corners `[x, y]` in the drawing's own coordinates, as its vertices) is in `zone`. A name in
   * `zones` wins over an area; where areas overlap the later one wins. Each must be a simple
   * polygon (OGC valid) on a level of the drawing.
   */
  areas: z.array(z.object({ level: z.string(), zone: isolationZoneSchema, polygon: z.array(z.tuple([z.number(), z.number()])).min(3) })).default([]),
});
export type RmfZones = z.infer<typeof rmfZonesSchema>;

export interface RmfImportOptions {
  /** The drawn name of the loading station (the medics' station). */
  loading: string;
  /** Which of the drawing's lane graphs the robots use (`graph_idx`; default 0). */
  graph?: number;
  zones?: RmfZones;
  /** The site's name; default the drawing's `name`. */
  name?: string;
}

/** A problem with the drawing or the options; `line` is the drawing's line (1-based) where there is one. */
export interface ImportProblem {
  line?: number;
  message: string;
}

export type RmfImportResult = { ok: true; site: Site; notes: string[] } | { ok: false; problems: ImportProblem[] };

/** A traffic-editor parameter: `[type, value]`. */
const param = z.tuple([z.number(), z.unknown()]);
const params = z.record(z.string(), param).optional();
const vertexSchema = z.tuple([z.number(), z.number(), z.number(), z.string()]).rest(z.unknown());
const edgeSchema = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).rest(z.unknown());
const buildingSchema = z.object({
  name: z.string().default('site'),
  coordinate_system: z.enum(['reference_image', 'cartesian_meters', 'web_mercator']).default('reference_image'),
  levels: z.record(
    z.string(),
    z.object({
      elevation: z.number().default(0),
      vertices: z.array(vertexSchema).default([]),
      lanes: z.array(edgeSchema).default([]),
      measurements: z.array(edgeSchema).default([]),
      doors: z.array(edgeSchema).default([]),
    }),
  ),
  lifts: z.record(z.string(), z.object({ level_doors: z.record(z.string(), z.unknown()).default({}) })).default({}),
});

const paramsOf = (item: readonly unknown[], at: number): Record<string, unknown> => {
  const parsed = params.safeParse(item[at]);
  return parsed.success && parsed.data ? Object.fromEntries(Object.entries(parsed.data).map(([k, [, v]]) => [k, v])) : {};
};

/** Reads a `.building.yaml` text into a site. */
export function importRmfBuilding(text: string, options: RmfImportOptions): RmfImportResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => ({ line: e.linePos?.[0].line, message: `not YAML: ${e.message.split('\n')[0]}` })) };
  /** The line of the YAML node at `path` (of its key, in a map), when it exists. */
  const lineOf = (path: (string | number)[]): number | undefined => {
    const parent = doc.getIn(path.slice(0, -1), true);
    const last = path.at(-1);
    const key = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key : undefined;
    const node = (key ?? doc.getIn(path, true)) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const parsed = buildingSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
        let line: number | undefined;
        for (let n = path.length; n > 0 && line === undefined; n--) line = lineOf(path.slice(0, n));
        return { line, message: `${path.join('.')}: ${issue.message}` };
      }),
    };
  }
  const building = parsed.data;
  const zones = options.zones ?? rmfZonesSchema.parse({});
  const graph = options.graph ?? 0;
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const nodes: SiteNode[] = [];
  const lanes: Site['lanes'] = [];
  const names = new Map<string, string>();
  const rooms = new Set<string>();
  /** Every node id imported: the zones file may name an unnamed way point by its id (`L1-v397`). */
  const ids = new Set<string>();
  const cabins = new Map<string, Map<string, string>>();
  zones.areas.forEach((area, i) => {
    if (!(area.level in building.levels)) problems.push({ message: `zones file: areas.${i}: no level ${area.level} in the drawing (levels: ${Object.keys(building.levels).join(', ')})` });
    const invalid = ogcProblem([[...area.polygon, area.polygon[0]!]]);
    if (invalid) problems.push({ message: `zones file: areas.${i}.polygon: ${invalid.message} at (${invalid.at.join(', ')})` });
  });
  if (problems.length > 0) return { ok: false, problems };
  const areas = zones.areas.map((area) => ({ ...area, shape: polygon([[...area.polygon, area.polygon[0]!]]) }));
  /** The zone of the last area on `level` around drawing point (x, y), if any. */
  const areaZone = (level: string, x: number, y: number): IsolationZone | undefined => areas.findLast((a) => a.level === level && booleanPointInPolygon(point([x, y]), a.shape))?.zone;
  const doors: SiteDoor[] = [];

  const levels = Object.entries(building.levels).sort(([, a], [, b]) => a.elevation - b.elevation);
  for (const [level, drawn] of levels) {
    const at = (kind: string, i: number) => lineOf(['levels', level, kind, i]);
    const scale = metresPerUnit(building.coordinate_system, drawn, (i, message) => problems.push({ line: at('measurements', i), message: `level ${level}: ${message}` }));
    if (scale === undefined) {
      if (building.coordinate_system === 'reference_image' && drawn.measurements.length === 0) {
        problems.push({ line: lineOf(['levels', level]), message: `level ${level}: no measurement, so no scale; draw one (a measurement between two vertices) in the traffic editor` });
      }
      continue;
    }
    const flip = building.coordinate_system === 'reference_image' ? -1 : 1;
    const inGraph = drawn.lanes.filter((lane) => Number(paramsOf(lane, 2).graph_idx ?? 0) === graph);
    const used = new Map<number, string>();
    const idOf = (index: number, laneAt: number): string | undefined => {
      const known = used.get(index);
      if (known) return known;
      const vertex = drawn.vertices[index];
      if (!vertex) {
        problems.push({
          line: at('lanes', drawn.lanes.indexOf(inGraph[laneAt]!)),
          message: `level ${level}: a lane to vertex ${index}, which does not exist (the level has ${drawn.vertices.length})`,
        });
        return undefined;
      }
      const [x, y, , drawnName] = vertex;
      const vertexParams = paramsOf(vertex, 4);
      const name = drawnName.trim();
      const id = `${level}-${name ? name.replace(/[^A-Za-z0-9_.-]/g, '_') : `v${index}`}`;
      used.set(index, id);
      const cabin = typeof vertexParams.lift_cabin === 'string' ? vertexParams.lift_cabin : undefined;
      const node: SiteNode = { id, kind: 'corridor', level, x: round(x * scale), y: round(flip * y * scale), zone: 'green' };
      if (cabin) {
        node.kind = 'liftLanding';
        node.lift = cabin;
        const byLevel = cabins.get(cabin) ?? new Map<string, string>();
        byLevel.set(level, id);
        cabins.set(cabin, byLevel);
      } else if (!name && zones.disinfection.includes(id)) {
        node.kind = 'disinfection';
      } else if (name) {
        node.kind = placeKind(name, vertexParams, options.loading, zones);
        if (names.has(name)) {
          notes.push(`level ${level}: a second place named ${name} (line ${at('vertices', index) ?? '?'}) is taken as a way point; the first is the place`);
          node.kind = 'corridor';
        } else names.set(name, id);
        if (node.kind === 'room') {
          const room = roomNumber(name, vertexParams, zones);
          if (!room)
            problems.push({
              line: at('vertices', index),
              message: `place ${name}: its name is not a room number (letters, digits, dashes, at most 16); give it one under "rooms" in the zones file`,
            });
          else if (rooms.has(room)) problems.push({ line: at('vertices', index), message: `place ${name}: room number ${room} is taken by another place` });
          else {
            rooms.add(room);
            node.room = room;
          }
        }
      }
      const station = zones.stations[name] ?? zones.stations[id];
      if (node.kind === 'disinfection' && station) node.disinfection = station;
      // A disinfection station stands between the zones: buffer unless the zones file says otherwise.
      node.zone = (zones.zones[name] ?? zones.zones[id] ?? areaZone(level, x, y) ?? (node.kind === 'disinfection' ? 'buffer' : 'green')) as IsolationZone;
      ids.add(id);
      nodes.push(node);
      return id;
    };
    const seen = new Set<string>();
    /** The lanes of this level with the drawn vertices they join, to find the doors they cross. */
    const drawnLanes: { lane: Site['lanes'][number]; ends: [number, number] }[] = [];
    inGraph.forEach((lane, i) => {
      const from = idOf(lane[0], i);
      const to = idOf(lane[1], i);
      if (!from || !to || from === to) return;
      const bidirectional = paramsOf(lane, 2).bidirectional !== false;
      const key = bidirectional ? [from, to].sort().join('|') : `${from}>${to}`;
      if (seen.has(key)) return;
      seen.add(key);
      // A lane in a mutex group (the traffic editor's `mutex`, 1.8.2 on: robots lock the group
      // before they enter) is single-width: the group is its way. Drawings without it have none.
      const mutex = paramsOf(lane, 2).mutex;
      const way = typeof mutex === 'string' && mutex.trim() !== '' ? mutex.trim().replace(/[^A-Za-z0-9_.-]/g, '-') : undefined;
      const imported = { from, to, bidirectional, ...(way ? { way } : {}) };
      lanes.push(imported);
      drawnLanes.push({ lane: imported, ends: [lane[0], lane[1]] });
    });
    let offLanes = 0;
    drawn.doors.forEach((door, i) => {
      const a = drawn.vertices[door[0]];
      const b = drawn.vertices[door[1]];
      if (!a || !b) return problems.push({ line: at('doors', i), message: `level ${level}: a door to a vertex that does not exist (${door[0]}, ${door[1]})` });
      const frame = lineString([
        [a[0], a[1]],
        [b[0], b[1]],
      ]);
      const crossing = drawnLanes.filter(({ ends: [p, q] }) => {
        const [pv, qv] = [drawn.vertices[p]!, drawn.vertices[q]!];
        return (
          lineIntersect(
            frame,
            lineString([
              [pv[0], pv[1]],
              [qv[0], qv[1]],
            ]),
          ).features.length > 0
        );
      });
      if (crossing.length === 0) return void offLanes++;
      const doorParams = paramsOf(door, 2);
      const name = typeof doorParams.name === 'string' && doorParams.name.trim() ? doorParams.name.trim().replace(/[^A-Za-z0-9_.-]/g, '_') : `door${i}`;
      const id = `${level}-${name}`;
      if (doors.some((d) => d.id === id)) return problems.push({ line: at('doors', i), message: `level ${level}: a second door named ${name}` });
      doors.push({ id, level, type: typeof doorParams.type === 'string' ? doorParams.type : 'hinged', openS: DOOR_OPEN_S });
      for (const { lane } of crossing) lane.door = id;
    });
    if (drawn.doors.length > 0) notes.push(`level ${level}: ${drawn.doors.length - offLanes} of ${drawn.doors.length} doors drawn are on lanes of graph ${graph}; the others are left out`);
  }

  // A level refused leaves its places out: what follows would only repeat that.
  if (problems.length > 0) return { ok: false, problems };
  const lifts: Site['lifts'] = [];
  for (const [lift, drawn] of Object.entries(building.lifts)) {
    const byLevel = cabins.get(lift) ?? new Map<string, string>();
    const served = levels.map(([level]) => level).filter((level) => byLevel.has(level));
    const unreached = Object.keys(drawn.level_doors).filter((level) => !byLevel.has(level));
    if (unreached.length > 0) notes.push(`lift ${lift}: no lane of graph ${graph} reaches its car on ${unreached.join(', ')}; those floors are left out`);
    if (served.length >= 2) lifts.push({ id: lift, levels: served, doorS: 8, perFloorS: 3, enterS: 10 });
    else {
      notes.push(`lift ${lift}: reachable on ${served.length} level(s), not imported`);
      for (const id of byLevel.values()) {
        const node = nodes.find((n) => n.id === id)!;
        node.kind = 'corridor';
        delete node.lift;
      }
    }
  }
  for (const cabin of cabins.keys()) if (!building.lifts[cabin]) problems.push({ message: `a vertex is in the car of lift ${cabin}, which the drawing does not have` });
  if (!names.has(options.loading))
    problems.push({ message: `--loading ${options.loading}: no place of that name on a lane of graph ${graph} (places: ${[...names.keys()].sort().join(', ') || 'none'})` });
  for (const name of [...Object.keys(zones.rooms), ...Object.keys(zones.zones), ...zones.disinfection, ...zones.chargers]) {
    if (!names.has(name) && !ids.has(name)) problems.push({ message: `zones file: no place named ${name} (nor a way point of that id) on a lane of graph ${graph}` });
  }
  for (const name of Object.keys(zones.stations)) {
    if (!zones.disinfection.includes(name)) problems.push({ message: `zones file: stations.${name}: not a disinfection station (list it under "disinfection")` });
  }
  if (problems.length > 0) return { ok: false, problems };

  const site = siteSchema.safeParse({ name: options.name ?? building.name, levels: levels.map(([name, l]) => ({ name, elevationM: l.elevation })), nodes, lanes, lifts, doors });
  if (!site.success) return { ok: false, problems: site.error.issues.map((issue) => ({ message: `imported site: ${issue.path.join('.')}: ${issue.message}` })) };
  const unsafe = new SiteGraph(site.data).isolationProblems();
  if (unsafe.length > 0) return { ok: false, problems: unsafe.map((message) => ({ message })) };
  return { ok: true, site: site.data, notes };
}

/** Metres per drawing unit of a level: the mean over its measurements (reference_image), 1 for metres. */
function metresPerUnit(
  system: z.infer<typeof buildingSchema>['coordinate_system'],
  level: z.infer<typeof buildingSchema>['levels'][string],
  problem: (measurement: number, message: string) => void,
): number | undefined {
  if (system !== 'reference_image') return 1;
  const scales: number[] = [];
  level.measurements.forEach((m, i) => {
    const a = level.vertices[m[0]];
    const b = level.vertices[m[1]];
    const distance = Number(paramsOf(m, 2).distance);
    if (!a || !b) return problem(i, `a measurement to a vertex that does not exist (${m[0]}, ${m[1]})`);
    const units = Math.hypot(a[0] - b[0], a[1] - b[1]);
    if (!(distance > 0) || units === 0) return problem(i, 'a measurement without a distance, or between two vertices at one point');
    scales.push(distance / units);
  });
  return scales.length > 0 ? scales.reduce((s, v) => s + v, 0) / scales.length : undefined;
}

function placeKind(name: string, vertexParams: Record<string, unknown>, loading: string, zones: RmfZones): SiteNodeKind {
  if (name === loading) return 'loading';
  if (zones.disinfection.includes(name)) return 'disinfection';
  if (vertexParams.is_charger === true || zones.chargers.includes(name)) return 'charger';
  return 'room';
}

function roomNumber(name: string, vertexParams: Record<string, unknown>, zones: RmfZones): string | undefined {
  const candidates = [zones.rooms[name], vertexParams.room_number, name.replace(/_/g, '-')];
  return candidates.find((c): c is string => typeof c === 'string' && roomSchema.safeParse(c).success);
}

const round = (v: number) => Math.round(v * 1000) / 1000;
