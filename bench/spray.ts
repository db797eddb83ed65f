/**
 * Spray planner benchmark: `npm run bench:spray`. Per zone: lower bound (sprayable area / swath),
 * spray and total length against it, turns, coverage / overspray / overlap (rasterised at 0.5 m,
 * independent of the planner), plan time, and the 4-drone makespan. T20 benchmark profile.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCliArgs } from '../common/cli-args.js';
import { measureCoverage, planSpray, T20_PROFILE } from '../controller/spray/index.js';
import { randomStarZones, randomStripZones } from './spray/random-zones.js';

parseCliArgs(
  'bench:spray',
  'usage: npm run bench:spray\nThe spray planner on each zone of sites/park, sites/zones and generated ones: length against the lower bound, turns, coverage, plan time, 4-drone makespan.\n',
  { options: {} },
);
const root = join(import.meta.dirname, '..');
type Zone = { name: string; zones: unknown; convex: boolean };
const zones: Zone[] = [
  { name: 'park', zones: JSON.parse(readFileSync(join(root, 'sites/park/zones.geojson'), 'utf8')), convex: false },
  ...readdirSync(join(root, 'sites/zones'))
    .filter((f) => f.endsWith('.geojson'))
    .sort()
    .map((f) => ({ name: f.replace('.geojson', ''), zones: JSON.parse(readFileSync(join(root, 'sites/zones', f), 'utf8')), convex: f === 'convex.geojson' })),
  ...[11, 12, 13].map((s) => ({ name: `gen-star-${s}`, zones: randomStarZones(s, 24 + (s % 3) * 12), convex: false })),
  ...[21, 22].map((s) => ({ name: `gen-strip-${s}`, zones: randomStripZones(s), convex: false })),
];

const DRONES = 4;
const rows: string[][] = [];
const header = ['zone', 'area ha', 'LB m', 'spray/LB', 'total/LB', 'turns', 'cov %', 'over %', 'overlap %', 'ms 1st', 'ms warm', 'sorties', 'makespan h', 'spread %'];
const fails: string[] = [];
let parkLine = '';
for (const z of zones) {
  process.stderr.write(`bench:spray ${z.name} …\n`);
  const t0 = performance.now();
  const res = planSpray(z.zones, T20_PROFILE, { drones: DRONES });
  const first = performance.now() - t0;
  if (!res.ok) {
    rows.push([z.name, `ERROR: ${res.errors.map((e) => e.message).join('; ')}`]);
    fails.push(`${z.name}: planning failed`);
    continue;
  }
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    planSpray(z.zones, T20_PROFILE, { drones: DRONES });
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  const plan = res.plan;
  const cov = measureCoverage(z.zones as Parameters<typeof measureCoverage>[0], plan, 0.5);
  const lb = plan.stats.areaM2 / plan.swathM;
  const fin = plan.drones.map((d) => d.finishS).filter((f) => f > 0);
  const spread = fin.length ? (Math.max(...fin) / Math.min(...fin) - 1) * 100 : 0;
  rows.push([
    z.name + (z.convex ? ' (convex)' : ''),
    (plan.stats.areaM2 / 1e4).toFixed(2),
    lb.toFixed(0),
    (plan.stats.sprayLengthM / lb).toFixed(3),
    (plan.stats.totalLengthM / lb).toFixed(3),
    String(plan.stats.turns),
    cov.coveragePct.toFixed(2),
    cov.oversprayPct.toFixed(3),
    cov.overlapPct.toFixed(2),
    first.toFixed(0),
    warm[2]!.toFixed(0),
    String(plan.stats.sorties),
    (plan.stats.makespanS / 3600).toFixed(2),
    spread.toFixed(1),
  ]);
  if (cov.coveragePct < 99.5) fails.push(`${z.name}: coverage ${cov.coveragePct.toFixed(2)} % < 99.5 %`);
  if (cov.oversprayPct > 0.5) fails.push(`${z.name}: overspray ${cov.oversprayPct.toFixed(3)} % > 0.5 %`);
  if (z.convex && plan.stats.sprayLengthM / lb > 1.03) fails.push(`${z.name}: spray/LB ${(plan.stats.sprayLengthM / lb).toFixed(3)} > 1.03`);
  if (z.name === 'park') {
    if (warm[2]! > 250) fails.push(`park: warm plan time ${warm[2]!.toFixed(0)} ms > 250 ms`);
    if (first > 250) fails.push(`park: first (cold) plan time ${first.toFixed(0)} ms > 250 ms`);
    if (plan.stats.makespanS > 2.5 * 3600) fails.push(`park: makespan ${(plan.stats.makespanS / 3600).toFixed(2)} h > 2.5 h`);
    if (spread > 5) fails.push(`park: busiest drone ${spread.toFixed(1)} % over least busy > 5 %`);
    parkLine =
      `park, ${DRONES} drones: predicted makespan ${(plan.stats.makespanS / 3600).toFixed(2)} h ` +
      `(per drone ${fin.map((f) => (f / 3600).toFixed(2)).join(' / ')} h) vs the real case: 4 DJI T20, ~60 ha, a little over 3 h`;
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(r.length === 2 ? `${r[0]}  ${r[1]}` : line(r));
console.log('');
console.log('LB = sprayable area / swath (7 m). cov/over/overlap rasterised at 0.5 m cells; over and overlap are % of the sprayable area.');
console.log('ms 1st = first call in this process (includes JIT warm-up), ms warm = median of 5 further calls. spread = busiest / least busy drone − 1.');
console.log(parkLine);
console.log(fails.length ? `targets missed:\n  ${fails.join('\n  ')}` : 'all targets met');
