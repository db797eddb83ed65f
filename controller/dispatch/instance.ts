/**
 * Benchmark instances as read from files (CVRPLIB `.vrp`, Solomon `.txt`) and their conversion
 * to a {@link VrpProblem} with the benchmark's cost convention. Parsing is pure (text in).
 */
import { makeProblem, type Vehicle, type VrpProblem } from './types.js';

/** Leg cost convention of a benchmark. */
export type CostConvention =
  /** CVRPLIB: Euclidean distance rounded to the nearest integer. */
  | 'round'
  /** Solomon: Euclidean distance truncated to one decimal. */
  | 'truncate1';

/** A parsed benchmark instance. Index 0 is always the depot. */
export interface VrpInstance {
  readonly name: string;
  readonly format: 'cvrplib' | 'solomon';
  /** Node id as numbered in the file, per internal index. */
  readonly fileIds: readonly number[];
  /** Coordinates per internal index (absent for EXPLICIT CVRPLIB matrices). */
  readonly coords?: readonly (readonly [number, number])[];
  /** Explicit symmetric leg costs, row-major (EXPLICIT CVRPLIB files only). */
  readonly explicitMatrix?: Float64Array;
  readonly demand: readonly number[];
  readonly capacity: number;
  /**
   * Maximum number of routes, a hard limit: Solomon's VEHICLE NUMBER; CVRPLIB's `VEHICLES`, else
   * the trucks of its COMMENT (`No of trucks: 5`), else the `-k5` of its name. Absent: the fleet
   * is free (one vehicle per customer at most).
   */
  readonly vehicleLimit?: number;
  /** Time windows and service times (Solomon and VRPLIB VRPTW files). */
  readonly readyS?: readonly number[];
  readonly dueS?: readonly number[];
  readonly serviceS?: readonly number[];
  readonly convention: CostConvention;
}

/** A parse failure, naming the 1-based line. */
export interface ParseError {
  readonly line: number;
  readonly message: string;
}

/** Result of parsing: the instance, or the first error found. */
export type ParseResult = { ok: true; instance: VrpInstance } | { ok: false; error: ParseError };

const fail = (line: number, message: string): ParseResult => ({ ok: false, error: { line, message } });

/**
 * Parses a CVRPLIB/VRPLIB `.vrp` file: EUC_2D, or EXPLICIT with LOWER_ROW/FULL_MATRIX; with
 * TIME_WINDOW_SECTION and SERVICE_TIME(_SECTION) for VRPTW (e.g. Gehring & Homberger).
 */
export function parseCvrplib(text: string): ParseResult {
  const lines = text.split(/\r?\n/);
  const head = new Map<string, string>();
  const coord = new Map<number, [number, number]>();
  const dem = new Map<number, number>();
  const weights: number[] = [];
  const windows = new Map<number, [number, number]>();
  const service = new Map<number, number>();
  let depots: number[] = [];
  let section = '';
  let weightLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const ln = i + 1;
    if (raw === '') continue;
    if (raw === 'EOF') break;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(raw);
    if (kv) {
      head.set(kv[1]!, kv[2]!.trim());
      section = '';
      continue;
    }
    if (/^[A-Z_]+_SECTION$/.test(raw)) {
      section = raw;
      if (section === 'EDGE_WEIGHT_SECTION') weightLine = ln;
      continue;
    }
    const nums = raw.split(/\s+/).map(Number);
    if (nums.some((x) => !Number.isFinite(x))) return fail(ln, `expected numbers, got "${raw}"`);
    switch (section) {
      case 'NODE_COORD_SECTION':
        if (nums.length !== 3) return fail(ln, 'NODE_COORD_SECTION line needs "id x y"');
        coord.set(nums[0]!, [nums[1]!, nums[2]!]);
        break;
      case 'DEMAND_SECTION':
        if (nums.length !== 2) return fail(ln, 'DEMAND_SECTION line needs "id demand"');
        if (nums[1]! < 0) return fail(ln, 'negative demand');
        dem.set(nums[0]!, nums[1]!);
        break;
      case 'DEPOT_SECTION':
        for (const x of nums) if (x !== -1) depots.push(x);
        break;
      case 'EDGE_WEIGHT_SECTION':
        weights.push(...nums);
        break;
      case 'TIME_WINDOW_SECTION':
        if (nums.length !== 3) return fail(ln, 'TIME_WINDOW_SECTION line needs "id ready due"');
        if (nums[1]! > nums[2]!) return fail(ln, 'ready time after due time');
        windows.set(nums[0]!, [nums[1]!, nums[2]!]);
        break;
      case 'SERVICE_TIME_SECTION':
        if (nums.length !== 2 || nums[1]! < 0) return fail(ln, 'SERVICE_TIME_SECTION line needs "id duration" (duration ≥ 0)');
        service.set(nums[0]!, nums[1]!);
        break;
      default:
        return fail(ln, `unexpected line "${raw}" outside a section`);
    }
  }
  const dim = Number(head.get('DIMENSION'));
  if (!Number.isInteger(dim) || dim < 2) return fail(lineOf(lines, 'DIMENSION'), 'missing or bad DIMENSION');
  const capacity = Number(head.get('CAPACITY'));
  if (!(capacity > 0)) return fail(lineOf(lines, 'CAPACITY'), 'missing or bad CAPACITY');
  const ewt = head.get('EDGE_WEIGHT_TYPE');
  if (ewt !== 'EUC_2D' && ewt !== 'EXPLICIT') {
    return fail(lineOf(lines, 'EDGE_WEIGHT_TYPE'), `unsupported EDGE_WEIGHT_TYPE "${ewt ?? ''}"`);
  }
  if (depots.length === 0) depots = [1];
  if (depots.length !== 1) return fail(lineOf(lines, 'DEPOT_SECTION'), 'exactly one depot supported');
  const depot = depots[0]!;
  if (depot < 1 || depot > dim) return fail(lineOf(lines, 'DEPOT_SECTION'), `depot ${depot} out of range`);
  const fileIds = [depot];
  for (let id = 1; id <= dim; id++) if (id !== depot) fileIds.push(id);
  const demand: number[] = [];
  for (const id of fileIds) {
    const d = dem.get(id);
    if (d === undefined) return fail(lineOf(lines, 'DEMAND_SECTION'), `no demand for node ${id}`);
    if (d > capacity) return fail(lineOf(lines, 'DEMAND_SECTION'), `demand of node ${id} exceeds capacity`);
    demand.push(id === depot ? 0 : d);
  }
  const name = head.get('NAME') ?? 'unnamed';
  const trucks = fleetOf(head, name);
  if (trucks !== undefined && !(Number.isInteger(trucks) && trucks > 0)) return fail(lineOf(lines, 'VEHICLES'), 'VEHICLES must be a positive integer');
  const tw = timeWindowsOf(lines, head, fileIds, windows, service);
  if (tw && 'error' in tw) return { ok: false, error: tw.error };
  const base = {
    name,
    format: 'cvrplib' as const,
    fileIds,
    demand,
    capacity,
    ...(trucks !== undefined ? { vehicleLimit: trucks } : {}),
    ...tw,
    // VRPTW files follow the DIMACS convention (legs truncated to one decimal), CVRP files CVRPLIB's.
    convention: tw ? ('truncate1' as const) : ('round' as const),
  };
  if (ewt === 'EUC_2D') {
    const coords: [number, number][] = [];
    for (const id of fileIds) {
      const c = coord.get(id);
      if (!c) return fail(lineOf(lines, 'NODE_COORD_SECTION'), `no coordinates for node ${id}`);
      coords.push(c);
    }
    return { ok: true, instance: { ...base, coords } };
  }
  const fmt = head.get('EDGE_WEIGHT_FORMAT');
  const full = new Float64Array(dim * dim);
  if (fmt === 'LOWER_ROW' || fmt === 'LOWER_DIAG_ROW') {
    const diag = fmt === 'LOWER_DIAG_ROW' ? 1 : 0;
    const need = (dim * (dim - 1)) / 2 + diag * dim;
    if (weights.length !== need) return fail(weightLine, `EDGE_WEIGHT_SECTION has ${weights.length} numbers, expected ${need}`);
    let k = 0;
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < i + diag; j++) {
        const w = weights[k++]!;
        full[i * dim + j] = w;
        full[j * dim + i] = w;
      }
  } else if (fmt === 'FULL_MATRIX') {
    if (weights.length !== dim * dim) return fail(weightLine, `EDGE_WEIGHT_SECTION has ${weights.length} numbers, expected ${dim * dim}`);
    full.set(weights);
  } else {
    return fail(lineOf(lines, 'EDGE_WEIGHT_FORMAT'), `unsupported EDGE_WEIGHT_FORMAT "${fmt ?? ''}"`);
  }
  // Reorder file ids (1-based) into internal order (depot first).
  const m = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++) {
      m[a * dim + b] = full[(fileIds[a]! - 1) * dim + (fileIds[b]! - 1)]!;
    }
  return { ok: true, instance: { ...base, explicitMatrix: m } };
}

/**
 * Time windows and service times of a VRPLIB VRPTW file (TYPE VRPTW or a TIME_WINDOW_SECTION), in
 * internal order: service from SERVICE_TIME_SECTION, else the scalar SERVICE_TIME for every
 * customer (the depot's is 0, as Gehring & Homberger's files mean it). Undefined for a plain CVRP.
 */
function timeWindowsOf(
  lines: string[],
  head: ReadonlyMap<string, string>,
  fileIds: readonly number[],
  windows: ReadonlyMap<number, [number, number]>,
  service: ReadonlyMap<number, number>,
): { readyS: number[]; dueS: number[]; serviceS: number[] } | { error: ParseError } | undefined {
  if (head.get('TYPE') !== 'VRPTW' && windows.size === 0) return undefined;
  const at = (key: string, message: string) => ({ error: { line: lineOf(lines, key), message } });
  const scalar = head.has('SERVICE_TIME') ? Number(head.get('SERVICE_TIME')) : 0;
  if (!(scalar >= 0)) return at('SERVICE_TIME', 'SERVICE_TIME must be a number ≥ 0');
  const readyS: number[] = [];
  const dueS: number[] = [];
  const serviceS: number[] = [];
  for (const [i, id] of fileIds.entries()) {
    const w = windows.get(id);
    if (!w) return at('TIME_WINDOW_SECTION', `no time window for node ${id}`);
    readyS.push(w[0]);
    dueS.push(w[1]);
    serviceS.push(service.get(id) ?? (i === 0 ? 0 : scalar));
  }
  return { readyS, dueS, serviceS };
}

/**
 * The fleet a CVRPLIB file states: `VEHICLES`, else the trucks of its COMMENT (Augerat: "No of
 * trucks: 5"; Christofides and Eilon: "Min no of trucks: 4"), else the `-k5` of the name
 * (the set's naming rule: the best-known solutions use exactly that many routes).
 */
function fleetOf(head: ReadonlyMap<string, string>, name: string): number | undefined {
  const v = head.get('VEHICLES');
  if (v !== undefined) return Number(v);
  const c = /no\s+of\s+trucks\s*:\s*(\d+)/i.exec(head.get('COMMENT') ?? '');
  if (c) return Number(c[1]);
  const k = /-k(\d+)$/.exec(name);
  return k ? Number(k[1]) : undefined;
}

function lineOf(lines: string[], key: string): number {
  const i = lines.findIndex((l) => l.trim().startsWith(key));
  return i < 0 ? lines.length : i + 1;
}

/** Parses a Solomon VRPTW `.txt` file (name, VEHICLE NUMBER/CAPACITY, CUSTOMER table, depot 0). */
export function parseSolomon(text: string): ParseResult {
  const lines = text.split(/\r?\n/);
  let name = '';
  let vehicleLimit = 0;
  let capacity = 0;
  let state: 'name' | 'seekVehicle' | 'vehicle' | 'seekCustomer' | 'customers' = 'name';
  const rows: { ln: number; v: number[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const ln = i + 1;
    if (raw === '') continue;
    if (state === 'name') {
      name = raw;
      state = 'seekVehicle';
      continue;
    }
    if (state === 'seekVehicle') {
      if (raw.toUpperCase() === 'VEHICLE') continue;
      if (/^NUMBER\s+CAPACITY$/i.test(raw)) {
        state = 'vehicle';
        continue;
      }
      return fail(ln, `expected "VEHICLE" / "NUMBER CAPACITY", got "${raw}"`);
    }
    if (state === 'vehicle') {
      const v = raw.split(/\s+/).map(Number);
      if (v.length !== 2 || !v.every((x) => Number.isInteger(x) && x > 0)) return fail(ln, 'expected "<vehicles> <capacity>"');
      vehicleLimit = v[0]!;
      capacity = v[1]!;
      state = 'seekCustomer';
      continue;
    }
    if (state === 'seekCustomer') {
      if (raw.toUpperCase() === 'CUSTOMER') continue;
      if (/^CUST\s*NO/i.test(raw)) {
        state = 'customers';
        continue;
      }
      return fail(ln, `expected the CUSTOMER header, got "${raw}"`);
    }
    const v = raw.split(/\s+/).map(Number);
    if (v.length !== 7 || v.some((x) => !Number.isFinite(x))) return fail(ln, 'customer line needs 7 numbers: id x y demand ready due service');
    if (v[0] !== rows.length) return fail(ln, `expected customer number ${rows.length}, got ${v[0]}`);
    if (v[4]! > v[5]!) return fail(ln, 'ready time after due date');
    if (v[3]! > capacity) return fail(ln, 'demand exceeds vehicle capacity');
    rows.push({ ln, v });
  }
  if (state !== 'customers' || rows.length < 2) return fail(lines.length, 'missing customer table');
  const col = (k: number) => rows.map((r) => r.v[k]!);
  return {
    ok: true,
    instance: {
      name,
      format: 'solomon',
      fileIds: col(0),
      coords: rows.map((r) => [r.v[1]!, r.v[2]!] as const),
      demand: col(3),
      capacity,
      vehicleLimit,
      readyS: col(4),
      dueS: col(5),
      serviceS: col(6),
      convention: 'truncate1',
    },
  };
}

/** Parses either format, choosing by content (a `NAME :` / `_SECTION` header means CVRPLIB). */
export function parseInstance(text: string): ParseResult {
  return /^\s*(NAME|TYPE|DIMENSION)\s*:/m.test(text) ? parseCvrplib(text) : parseSolomon(text);
}

/** Leg cost between two points under a convention. */
export function legCost(a: readonly [number, number], b: readonly [number, number], c: CostConvention): number {
  const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
  // Truncation on d*10 can lose an ulp (e.g. 2.3 -> 22.999...); the epsilon guards that.
  return c === 'round' ? Math.round(d) : Math.floor(d * 10 + 1e-9) / 10;
}

/** The leg cost matrix of an instance under its convention. */
export function instanceMatrix(inst: VrpInstance): Float64Array {
  if (inst.explicitMatrix) return inst.explicitMatrix;
  const n = inst.fileIds.length;
  const m = new Float64Array(n * n);
  const xy = inst.coords!;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = legCost(xy[i]!, xy[j]!, inst.convention);
  return m;
}

/** Converts an instance to a solver problem (time = cost matrix, as the Solomon convention does). */
export function instanceToProblem(inst: VrpInstance): VrpProblem {
  const n = inst.fileIds.length;
  const dueDepot = inst.dueS?.[0] ?? Infinity;
  const vehicle: Vehicle = { startNode: 0, endNode: 0, startTimeS: inst.readyS?.[0] ?? 0, endDueS: dueDepot, capacity: inst.capacity };
  const customers: number[] = [];
  for (let i = 1; i < n; i++) customers.push(i);
  const dueS = inst.dueS ? inst.dueS.slice() : undefined;
  return makeProblem({
    name: inst.name,
    nodeCount: n,
    costMatrix: instanceMatrix(inst),
    customers,
    demand: inst.demand,
    serviceS: inst.serviceS,
    readyS: inst.readyS,
    dueS,
    vehicles: Array.from({ length: Math.min(inst.vehicleLimit ?? n - 1, n - 1) }, () => vehicle),
  });
}

/** Parses a `.sol` file: routes as file customer numbers and the stated cost. */
export function parseSolutionFile(text: string): { routes: number[][]; cost: number } {
  const routes: number[][] = [];
  let cost = NaN;
  for (const line of text.split(/\r?\n/)) {
    const r = /^Route\s*#\d+\s*:(.*)$/i.exec(line.trim());
    if (r) routes.push(r[1]!.trim().split(/\s+/).filter(Boolean).map(Number));
    const c = /^Cost\s+([\d.]+)/i.exec(line.trim());
    if (c) cost = Number(c[1]);
  }
  return { routes, cost };
}
