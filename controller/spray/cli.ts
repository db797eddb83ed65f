/**
 * `npm run -s plan-spray -- ZONES.geojson [--drones N] [--swath M] [--max-speed MPS] [--dose LPHA]
 * [--tank L] [--json]`: prints the plan as one GeoJSON FeatureCollection (see README.md).
 * `--json` adds the executor plan (per drone, sorties of waypoints) as `properties.plan`.
 * Exit 1 with one line per problem (a bad flag, a missing file, zones it refuses, naming the
 * feature as `POST /api/missions` does); the same limits as the API.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { measureCoverage, planLimitErrors, planSize, planSpray, planToGeoJson, T20_PROFILE, validateZones, type SprayDroneProfile } from './index.js';

/** A problem the user can fix: printed as one line, exit 1. */
class UsageError extends Error {}

function main(argv: string[]): number {
  const args = [...argv];
  let file: string | undefined;
  let drones = 4;
  let json = false;
  const profile: SprayDroneProfile = { ...T20_PROFILE };
  const num = (flag: string, v: string | undefined): number => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x) || x <= 0) throw new UsageError(`${flag} needs a positive number, got ${v ?? 'nothing'}`);
    return x;
  };
  while (args.length) {
    const a = args.shift()!;
    if (a === '--drones') drones = Math.floor(num(a, args.shift()));
    else if (a === '--swath') profile.swathM = num(a, args.shift());
    else if (a === '--max-speed') profile.maxSpraySpeedMps = num(a, args.shift());
    else if (a === '--dose') profile.doseLPerHa = num(a, args.shift());
    else if (a === '--tank') profile.tankL = num(a, args.shift());
    else if (a === '--json') json = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else file = a;
  }
  if (!file) {
    process.stderr.write('usage: plan-spray ZONES.geojson [--drones N] [--swath M] [--max-speed MPS] [--dose LPHA] [--tank L] [--json]\n');
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let zones: unknown;
  try {
    zones = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const valid = validateZones(zones);
  const tooBig = valid.ok ? planLimitErrors(planSize(valid.zones, profile)) : [];
  const t0 = performance.now();
  const res = !valid.ok ? valid : tooBig.length ? { ok: false as const, errors: tooBig } : planSpray(zones, profile, { drones });
  const planMs = performance.now() - t0;
  if (!res.ok) {
    for (const e of res.errors) process.stderr.write(`${file}: ${e.path}: ${e.message}\n`);
    return 1;
  }
  const cov = measureCoverage(zones as Parameters<typeof measureCoverage>[0], res.plan);
  const metrics = {
    ...res.plan.stats,
    coveragePct: cov.coveragePct,
    oversprayPct: cov.oversprayPct,
    planMs,
  };
  const fc = planToGeoJson(res.plan, metrics, json ? { plan: res.plan } : {});
  process.stdout.write(`${JSON.stringify(fc)}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`plan-spray: ${e.message}\n`);
  process.exitCode = 1;
}
