/**
 * `npm run bench:sitl`: the spray mission on a 1 ha square (`bench/sitl/hectare.geojson`) flown by
 * 2 ArduCopter SITL instances (ArduPilot's own flight code, the binary in ARDUPILOT_SITL), each
 * with the real drone bridge on the MAVLink driver, through the broker and the mission manager.
 * Coverage is the controller's, from the bridges' telemetry; flight time is each autopilot's
 * first take-off to last landing by its own clock, against the planner's prediction for that
 * drone. Targets (issue 12): coverage ≥ 98 %, flight time within 15 % of the prediction.
 * Env: BENCH_SITL_SPEED (SITL speed-up, default 10; faithful up to about 20).
 */
import { parseCliArgs } from '../common/cli-args.js';
import { sitlBinaryFromEnv } from '../sim/drone/ardupilot-sitl.js';

parseCliArgs(
  'bench:sitl',
  'usage: npm run bench:sitl  (env ARDUPILOT_SITL=path of arducopter, BENCH_SITL_SPEED=10)\n' +
    'The spray mission on a 1 ha square flown by 2 ArduCopter SITL instances through the real drone bridge: coverage and flight time against the plan.\n',
  { options: {} },
);
const found = sitlBinaryFromEnv();
if (!found.ok) {
  process.stderr.write(`npm run bench:sitl ${found.message}\n`);
  process.exit(1);
}
// Loaded once there is a SITL to fly: the controller takes a while to load.
const { runDroneScenario } = await import('../sim/drone/index.js');
const speed = Number(process.env.BENCH_SITL_SPEED ?? 10);
const zonesFile = 'bench/sitl/hectare.geojson';

process.stderr.write(`bench:sitl: 2 ArduCopter SITL on ${zonesFile} at x${speed} …\n`);
let last = '';
const r = await runDroneScenario({
  zonesFile,
  drones: 2,
  speed,
  seed: 1,
  sitl: { binary: found.binary },
  wallLimitMs: 1_800_000,
  onProgress: (p) => {
    // A line when the status, the flights or the tenth of coverage changes.
    const key = `${p.status} ${p.sorties} ${Math.floor(p.coveragePct / 10)}`;
    if (key !== last) process.stderr.write(`  ${p.status}: coverage ${p.coveragePct.toFixed(1)} %, flights ${p.sorties}, sim ${Math.round(p.simS)} s\n`);
    last = key;
  },
}).catch((error: Error) => {
  process.stderr.write(`bench:sitl failed: ${error.message}\n`);
  process.exit(1);
});

const fails: string[] = [];
const header = ['drone', 'planned s', 'flown s', 'diff %', 'armed s'];
const rows = (r.autopilots ?? []).map((a) => {
  const diff = a.flightSpanS !== undefined && a.plannedS > 0 ? ((a.flightSpanS - a.plannedS) / a.plannedS) * 100 : undefined;
  if (diff === undefined) fails.push(`${a.drone}: no flight recorded`);
  else if (Math.abs(diff) > 15) fails.push(`${a.drone}: flight time ${diff.toFixed(1)} % off the prediction (target within 15 %)`);
  return [a.drone, String(a.plannedS), a.flightSpanS?.toFixed(0) ?? '-', diff?.toFixed(1) ?? '-', String(a.armedS)];
});
if (r.status !== 'done') fails.push(`mission ${r.status}`);
if (r.coveragePct < 98) fails.push(`coverage ${r.coveragePct.toFixed(2)} % < 98 %`);

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`1 ha square, 2 ArduCopter SITL at x${speed}: ${r.status}, area ${r.areaHa} ha`);
console.log(`  coverage    ${r.coveragePct.toFixed(2)} % from telemetry (overspray ${r.oversprayPct.toFixed(2)} %)`);
console.log(`  flights     ${r.sorties} (planned sorties ${r.plannedSorties}), refills ${r.refills}, swaps ${r.swaps}, alerts ${r.alerts}`);
console.log(`  makespan    ${r.makespanS.toFixed(0)} s by the controller's clock (planned ${r.plannedMakespanS} s)`);
console.log(`  wall time   ${(r.wallMs / 1000).toFixed(1)} s (boot and GPS fix included)`);
console.log('');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
console.log('');
console.log("planned = the planner's finish time of that drone; flown = first take-off to last landing by the autopilot's own clock (simulated s); armed = time armed.");
console.log(fails.length ? `targets missed:\n  ${fails.join('\n  ')}` : 'all targets met');
process.exit(fails.length ? 1 : 0);
