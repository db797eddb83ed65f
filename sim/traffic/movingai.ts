/**
 * MovingAI's grid maps and MAPF scenarios (Sturtevant, "Benchmarks for grid-based
 * pathfinding", IEEE TCIAIG 2012; Stern et al., "Multi-agent pathfinding: definitions,
 * variants, and benchmarks", SoCS 2019; movingai.com/benchmarks/formats.html), read as a site
 * whose every free cell is a place and every move between free cells a single-width way.
 *
 * A map: `type octile`, `height H`, `width W`, `map`, then H rows of W characters, where `.`,
 * `G` and `S` are passable and everything else (`@`, `O`, `T`, `W`) is not. A scenario:
 * `version 1`, then one errand a line: bucket, map, width, height, start x, start y, goal x,
 * goal y, optimal length (tab-separated; x is the column, y the row). Octile moves: the eight
 * neighbours, a diagonal (√2) only when both cells at its corner are free, as MovingAI's
 * optimal lengths assume.
 */
import { z } from 'zod';
import type { TrafficGraph, TrafficMove } from '../../controller/traffic/graph.js';
import type { Errand } from '../../controller/traffic/plan.js';

export interface GridMap extends TrafficGraph {
  width: number;
  height: number;
  /** Cell number of (x, y), or -1 where blocked or outside. */
  cellAt(x: number, y: number): number;
  /** (x, y) of a cell. */
  xy(cell: number): [number, number];
}

/** A problem with a file, naming the line (1-based) and the reason. */
export class GridFileError extends Error {}

const PASSABLE = new Set(['.', 'G', 'S']);
const dimension = z.coerce.number().int().min(1).max(4096);

export function parseMap(text: string, name = 'map'): GridMap {
  const lines = text.split(/\r?\n/);
  const header = (i: number, key: string) => {
    const m = /^(\S+)\s+(\S+)$/.exec(lines[i]?.trim() ?? '');
    if (!m || m[1] !== key) throw new GridFileError(`${name}:${i + 1}: expected "${key} …", got "${lines[i] ?? ''}"`);
    return m[2]!;
  };
  if (header(0, 'type') !== 'octile') throw new GridFileError(`${name}:1: only octile maps are read`);
  const height = dimension.safeParse(header(1, 'height'));
  const width = dimension.safeParse(header(2, 'width'));
  if (!height.success) throw new GridFileError(`${name}:2: height must be a whole number 1–4096`);
  if (!width.success) throw new GridFileError(`${name}:3: width must be a whole number 1–4096`);
  if (lines[3]?.trim() !== 'map') throw new GridFileError(`${name}:4: expected "map"`);
  const H = height.data;
  const W = width.data;
  const index = new Int32Array(W * H).fill(-1);
  const coords: [number, number][] = [];
  for (let y = 0; y < H; y++) {
    const row = lines[4 + y];
    if (row === undefined || row.length < W) throw new GridFileError(`${name}:${5 + y}: a row of ${W} cells expected, got ${row?.length ?? 'none'}`);
    for (let x = 0; x < W; x++) {
      if (!PASSABLE.has(row[x]!)) continue;
      index[y * W + x] = coords.length;
      coords.push([x, y]);
    }
  }
  const cellAt = (x: number, y: number) => (x >= 0 && y >= 0 && x < W && y < H ? index[y * W + x]! : -1);
  const moves: TrafficMove[][] = coords.map(([x, y]) => {
    const out: TrafficMove[] = [];
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      const to = cellAt(x + dx, y + dy);
      if (to >= 0) out.push({ to, s: 1 });
    }
    for (const [dx, dy] of [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ] as const) {
      const to = cellAt(x + dx, y + dy);
      const a = cellAt(x + dx, y);
      const b = cellAt(x, y + dy);
      if (to >= 0 && a >= 0 && b >= 0) out.push({ to, s: Math.SQRT2, swept: [a, b] });
    }
    return out;
  });
  return { width: W, height: H, size: coords.length, moves: (cell) => moves[cell]!, cellAt, xy: (cell) => coords[cell]! };
}

const scenLine = z.tuple([
  z.coerce.number().int().min(0),
  z.string().min(1),
  dimension,
  dimension,
  z.coerce.number().int().min(0),
  z.coerce.number().int().min(0),
  z.coerce.number().int().min(0),
  z.coerce.number().int().min(0),
  z.coerce.number().min(0),
]);

/**
 * The first `count` errands of a scenario on its map; a blocked or shared cell is refused with its
 * line. With `mapFile` (the map's file name), a line written for another map is refused too: the
 * MovingAI sets give every map of a size the same dimensions, so a scenario of `room-32-32-4`
 * read on `empty-32-32` would otherwise plan errands nobody asked for.
 */
export function parseScenario(text: string, map: GridMap, count: number, name = 'scen', mapFile?: string): Errand[] {
  const lines = text.split(/\r?\n/);
  if (!/^version\s+1(\.0)?$/.test(lines[0]?.trim() ?? '')) throw new GridFileError(`${name}:1: expected "version 1"`);
  const errands: Errand[] = [];
  const used = new Map<number, number>();
  for (let i = 1; i < lines.length && errands.length < count; i++) {
    if (!lines[i]!.trim()) continue;
    const parsed = scenLine.safeParse(lines[i]!.split('\t'));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new GridFileError(`${name}:${i + 1}: column ${Number(issue.path[0] ?? 0) + 1}: ${issue.message}`);
    }
    const [, forMap, w, h, sx, sy, gx, gy] = parsed.data;
    if (mapFile !== undefined && forMap !== mapFile) throw new GridFileError(`${name}:${i + 1}: written for ${forMap}, not ${mapFile}: give the scenario's own map`);
    if (w !== map.width || h !== map.height) throw new GridFileError(`${name}:${i + 1}: for a ${w} × ${h} map, this one is ${map.width} × ${map.height}`);
    const start = map.cellAt(sx, sy);
    const goal = map.cellAt(gx, gy);
    const where = (x: number, y: number) => (x < map.width && y < map.height ? 'is not a free cell' : `is outside the ${map.width} × ${map.height} map`);
    if (start < 0) throw new GridFileError(`${name}:${i + 1}: start (${sx}, ${sy}) ${where(sx, sy)}`);
    if (goal < 0) throw new GridFileError(`${name}:${i + 1}: goal (${gx}, ${gy}) ${where(gx, gy)}`);
    for (const [what, cell] of [
      ['start', start],
      ['goal', goal],
    ] as const) {
      const key = what === 'start' ? cell : -1 - cell;
      const other = used.get(key);
      if (other !== undefined) throw new GridFileError(`${name}:${i + 1}: ${what} (${map.xy(cell).join(', ')}) is also line ${other}'s ${what}`);
      used.set(key, i + 1);
    }
    errands.push({ start, goal });
  }
  if (errands.length < count) throw new GridFileError(`${name}: ${count} robots asked, the scenario has ${errands.length} errands`);
  return errands;
}
