import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer } from './check.js';
import { parseCvrplib, parseInstance, parseSolomon, parseSolutionFile } from './instance.js';

const dataDir = resolve(import.meta.dirname, '..', '..', 'test-data');
const files = (['cvrplib', 'solomon'] as const).flatMap((d) =>
  readdirSync(join(dataDir, d))
    .filter((f) => /\.(vrp|txt)$/.test(f))
    .map((f) => join(dataDir, d, f)),
);

// One instance per Gehring & Homberger class (1,000 customers; VRPLIB VRPTW, DIMACS truncation).
const gh1000 = ['C1_10_1', 'C2_10_1', 'R1_10_1', 'R2_10_1', 'RC1_10_1', 'RC2_10_1'].map((n) => join(dataDir, 'vrptw-gh1000', `${n}.vrp`));

describe('parsers and checker against the published best known solutions', () => {
  it.each([...files, ...gh1000])('%s: the .sol routes are feasible and cost what the file says', (path) => {
    const parsed = parseInstance(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(`${parsed.error.line}: ${parsed.error.message}`);
    const sol = parseSolutionFile(readFileSync(path.replace(/\.(vrp|txt)$/, '.sol'), 'utf8'));
    // CVRPLIB .sol numbers customers from 1 with the depot left out: file node id = customer + 1.
    const routes = parsed.instance.format === 'cvrplib' ? sol.routes.map((r) => r.map((c) => c + 1)) : sol.routes;
    const report = checkAnswer(parsed.instance, routes);
    expect(report.errors).toEqual([]);
    expect(report.cost).toBeCloseTo(sol.cost, 6);
  });
});

describe('the fleet limit a file states', () => {
  const vrp = (head: string) =>
    `NAME : t-n3-k2\n${head}TYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n` +
    'NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n';
  const limit = (text: string) => {
    const r = parseCvrplib(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.instance.vehicleLimit;
  };
  it("VEHICLES first, then the COMMENT's trucks, then the -k of the name; none: free", () => {
    expect(limit(vrp('VEHICLES : 3\nCOMMENT : (Augerat et al, No of trucks: 4, Optimal value: 1)\n'))).toBe(3);
    expect(limit(vrp('COMMENT : (Christophides and Eilon, Min no of trucks: 4, Best value: 1)\n'))).toBe(4);
    expect(limit(vrp(''))).toBe(2);
    expect(limit(vrp('').replace('t-n3-k2', 'plain'))).toBeUndefined();
  });
  it('a bad VEHICLES names its line', () => {
    const r = parseCvrplib(vrp('VEHICLES : 0\n'));
    expect(r.ok ? 0 : r.error.line).toBe(2);
  });
  it.each(files.filter((f) => f.endsWith('.vrp')))('%s: the limit is the k of the name', (path) => {
    const parsed = parseInstance(readFileSync(path, 'utf8'));
    expect(parsed.ok && parsed.instance.vehicleLimit).toBe(Number(/-k(\d+)\.vrp$/.exec(path)![1]));
  });
});

describe('VRPLIB VRPTW files', () => {
  it.each(gh1000)("%s: 1,000 customers, the file's VEHICLES, windows, service and DIMACS truncation", (path) => {
    const parsed = parseInstance(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(`${parsed.error.line}: ${parsed.error.message}`);
    const inst = parsed.instance;
    expect(inst.fileIds).toHaveLength(1001);
    expect(inst.vehicleLimit).toBe(250);
    expect(inst.convention).toBe('truncate1');
    expect(inst.serviceS![0]).toBe(0);
    expect(new Set(inst.serviceS!.slice(1)).size).toBe(1);
    expect(inst.readyS!.every((r, i) => r <= inst.dueS![i]!)).toBe(true);
  });
  const vrptw = (body: string) =>
    `NAME : t\nTYPE : VRPTW\nDIMENSION : 3\nVEHICLES : 2\nCAPACITY : 10\nSERVICE_TIME : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n` +
    `NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\nDEMAND_SECTION\n1 0\n2 1\n3 1\n${body}DEPOT_SECTION\n1\n-1\nEOF\n`;
  it('reads windows, the scalar service time (0 at the depot) and truncated legs', () => {
    const r = parseCvrplib(vrptw('TIME_WINDOW_SECTION\n1 0 100\n2 10 20\n3 0 50\n'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.instance.readyS).toEqual([0, 10, 0]);
    expect(r.instance.dueS).toEqual([100, 20, 50]);
    expect(r.instance.serviceS).toEqual([0, 5, 5]);
    // 0 → 3 is √2 = 1.414…: truncated to 1.4, not rounded to 1.
    expect(checkAnswer(r.instance, [[3]]).cost).toBeCloseTo(2.8, 9);
    // 2 is 5 away and opens at 10: served 10–15, then 3 at 18.6, back at 25.
    expect(checkAnswer(r.instance, [[2, 3]]).errors).toEqual([]);
    expect(checkAnswer(r.instance, [[2], [3], []]).errors).toEqual([]);
    const early = parseCvrplib(vrptw('TIME_WINDOW_SECTION\n1 0 100\n2 0 4\n3 0 50\n'));
    if (!early.ok) throw new Error(early.error.message);
    expect(checkAnswer(early.instance, [[2, 3]]).errors).toEqual(['route 1: customer 2 served at 5.0 after due 4']);
  });
  it.each([
    ['TIME_WINDOW_SECTION\n1 0 100\n2 30 20\n3 0 50\n', 18, /ready time after due/],
    ['TIME_WINDOW_SECTION\n1 0 100\n2 10 20\n', 16, /no time window for node 3/],
    ['TIME_WINDOW_SECTION\n1 0 100\n2 10\n', 18, /id ready due/],
  ])('bad windows name the line (case %#)', (body, line, msg) => {
    const r = parseCvrplib(vrptw(body));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(line);
      expect(r.error.message).toMatch(msg);
    }
  });
});

describe('bad files name the line', () => {
  const vrp = (body: string) => `NAME : t\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n${body}`;
  const coords = 'NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n';
  it.each([
    [vrp(`${coords}DEMAND_SECTION\n1 0\n2 x\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n`), 12, /numbers/],
    [vrp(`${coords}DEMAND_SECTION\n1 0\n2 11\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n`), 10, /exceeds capacity/],
    [vrp(`NODE_COORD_SECTION\n1 0 0\n2 1\n`), 8, /id x y/],
    [vrp(`${coords}DEPOT_SECTION\n1\n-1\nEOF\n`).replace('EUC_2D', 'GEO'), 4, /EDGE_WEIGHT_TYPE/],
    [vrp(`${coords}DEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n-1\nEOF\n`), 10, /no demand for node 3/],
  ])('CVRPLIB case %#', (text, line, msg) => {
    const r = parseCvrplib(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(line);
      expect(r.error.message).toMatch(msg);
    }
  });
  const sol = (rows: string) => `C1\n\nVEHICLE\nNUMBER     CAPACITY\n  25         200\n\nCUSTOMER\nCUST NO.  XCOORD.\n\n${rows}`;
  it.each([
    [sol('0 40 50 0 0 1236 0\n1 45 68 10 912 967\n'), 11, /7 numbers/],
    [sol('0 40 50 0 0 1236 0\n2 45 68 10 912 967 90\n'), 11, /expected customer number 1/],
    [sol('0 40 50 0 0 1236 0\n1 45 68 10 999 967 90\n'), 11, /ready time after due/],
    [sol('0 40 50 0 0 1236 0\n1 45 68 300 9 967 90\n'), 11, /exceeds/],
    ['C1\n\nVEHICLE\nNUMBER CAPACITY\n25\n', 5, /vehicles/],
  ])('Solomon case %#', (text, line, msg) => {
    const r = parseSolomon(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(line);
      expect(r.error.message).toMatch(msg);
    }
  });
});
