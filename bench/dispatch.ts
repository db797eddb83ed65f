/**
 * `npm run bench:dispatch [-- --time-limit-ms N] [--seed S] [--only REGEX]`: runs the routing
 * engine and a Clarke-Wright savings baseline over ../shared/data/cvrp (CVRPLIB A and E) and
 * ../shared/data/vrptw (Solomon), checks every answer with the independent checker, and prints a
 * Markdown table with the gap to the best known solution and the mean gap per set. Also times a
 * synthetic 150-room meal round. Progress goes to stderr, the table to stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { savingsInstance, solveInstance } from '../controller/dispatch/benchmark-run.js';
import { checkAnswer } from '../controller/dispatch/check.js';
import { parseInstance, parseSolutionFile } from '../controller/dispatch/instance.js';
import { roundBenchmark } from './dispatch/round-bench.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] ?? dflt : dflt; };
const timeLimitMs = Number(opt('--time-limit-ms', '2000'));
const seed = Number(opt('--seed', '1'));
const only = new RegExp(opt('--only', '.'));
const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

interface Row { set: string; name: string; bks: number; ours: number; gap: number; ms: number; cw: number; cwGap: number; note: string }
const rows: Row[] = [];
const sets: [string, string, RegExp][] = [
  ['CVRPLIB A', 'cvrp', /^A-.*\.vrp$/], ['CVRPLIB E', 'cvrp', /^E-.*\.vrp$/], ['Solomon', 'vrptw', /\.txt$/],
];
for (const [set, dir, pat] of sets) {
  const files = readdirSync(join(dataDir, dir)).filter((f) => pat.test(f) && only.test(f)).sort(natural);
  for (const f of files) {
    const path = join(dataDir, dir, f);
    const parsed = parseInstance(readFileSync(path, 'utf8'));
    if (!parsed.ok) { process.stderr.write(`${path}:${parsed.error.line}: ${parsed.error.message}\n`); process.exitCode = 1; continue; }
    const inst = parsed.instance;
    const bks = parseSolutionFile(readFileSync(path.replace(/\.(vrp|txt)$/, '.sol'), 'utf8')).cost;
    const t0 = performance.now();
    const ans = solveInstance(inst, { seed, timeLimitMs, clock: () => performance.now() });
    const ms = performance.now() - t0;
    const cw = savingsInstance(inst);
    const chk = checkAnswer(inst, ans.routes);
    const cwChk = checkAnswer(inst, cw.routes);
    const notes: string[] = [];
    if (!chk.feasible) { notes.push(`INFEASIBLE: ${chk.errors[0]}`); process.exitCode = 1; }
    if (Math.abs(chk.cost - ans.cost) > 1e-6) { notes.push(`cost mismatch: checker ${chk.cost}`); process.exitCode = 1; }
    if (!cwChk.feasible) notes.push(`CW ${cwChk.errors[0]}`);
    notes.push(`${ans.routes.length} routes${inst.vehicleLimit !== undefined ? ` of ${inst.vehicleLimit}` : ''}`);
    const row = { set, name: inst.name, bks, ours: chk.cost, gap: pct(chk.cost, bks), ms, cw: cwChk.cost, cwGap: pct(cwChk.cost, bks), note: notes.join('; ') };
    rows.push(row);
    process.stderr.write(`${set} ${inst.name}: ${row.ours} vs ${bks} (${row.gap.toFixed(2)} %) in ${ms.toFixed(0)} ms, ${ans.iterations} iterations\n`);
  }
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const out: string[] = [];
out.push(`Routing engine (SISR ruin-and-recreate), time limit ${timeLimitMs} ms per instance, seed ${seed}.`, '');
out.push('| set | instance | best known | ours | gap % | ms | CW savings | CW gap % | notes |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  out.push(`| ${r.set} | ${r.name} | ${fmt(r.bks)} | ${fmt(r.ours)} | ${r.gap.toFixed(2)} | ${r.ms.toFixed(0)} | ${fmt(r.cw)} | ${r.cwGap.toFixed(2)} | ${r.note} |`);
}
out.push('', '| set | instances | mean gap % (ours) | max gap % | mean ms | mean gap % (CW) |', '|---|---:|---:|---:|---:|---:|');
for (const [set] of sets) {
  const rs = rows.filter((r) => r.set === set);
  if (!rs.length) continue;
  const mean = (f: (r: Row) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  out.push(`| ${set} | ${rs.length} | ${mean((r) => r.gap).toFixed(3)} | ${Math.max(...rs.map((r) => r.gap)).toFixed(2)} | ${mean((r) => r.ms).toFixed(0)} | ${mean((r) => r.cwGap).toFixed(2)} |`);
}
process.stderr.write('meal round (150 rooms)…\n');
out.push('', ...roundBenchmark(seed));
process.stdout.write(out.join('\n') + '\n');

function pct(x: number, ref: number): number { return ((x - ref) / ref) * 100; }
function natural(a: string, b: string): number { return a.localeCompare(b, 'en', { numeric: true }); }
