import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer } from './check.js';
import { parseCvrplib, parseInstance, parseSolomon, parseSolutionFile } from './instance.js';

const dataDir = resolve(import.meta.dirname, '..', '..', 'test-data');
const files = (['cvrplib', 'solomon'] as const).flatMap((d) =>
  readdirSync(join(dataDir, d)).filter((f) => /\.(vrp|txt)$/.test(f)).map((f) => join(dataDir, d, f)));

describe('parsers and checker against the published best known solutions', () => {
  it.each(files)('%s: the .sol routes are feasible and cost what the file says', (path) => {
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
    if (!r.ok) { expect(r.error.line).toBe(line); expect(r.error.message).toMatch(msg); }
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
    if (!r.ok) { expect(r.error.line).toBe(line); expect(r.error.message).toMatch(msg); }
  });
});
