/**
 * `npm run -s plan-spray -- ZONES.geojson [--drones N] [--swath M] [--max-speed MPS] [--dose LPHA]
 * [--tank L] [--json]`: prints the plan as one GeoJSON FeatureCollection (see README.md).
 * `--json` adds the executor plan (per drone, sorties of waypoints) as `properties.plan`.
 * Exit 1 with one line per problem (a bad value, a missing file, zones it refuses, naming the
 * feature as `POST /api/missions` does); the same limits as the API. `--help` prints the usage;
 * an unknown flag is one line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseCliArgs } from '../../common/cli-args.js';
import { measureCoverage, planLimitErrors, planSize, planSpray, planToGeoJson, T20_PROFILE, validateZones, type SprayDroneProfile } from './index.js';

/** A problem the user can fix: printed as one line, exit 1. */
class UsageError extends Error {}

const USAGE = 'usage: plan-spray ZONES.geojson [--drones N] [--swath M] [--max-speed MPS] [--dose LPHA] [--tank L] [--json]\n';
const HELP = `${USAGE}Plans the spray of the zones (GeoJSON: spray zones, no-spray zones, geofence, pads) for N drones (default 4, T20 profile) and prints the plan as one GeoJSON FeatureCollection; --json adds each drone's sorties of waypoints.\n`;

function main(argv: string[]): number {
  const { values, positionals } = parseCliArgs('plan-spray', HELP, {
    args: argv,
    allowPositionals: true,
    options: {
      drones: { type: 'string' },
      swath: { type: 'string' },
      'max-speed': { type: 'string' },
      dose: { type: 'string' },
      tank: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const num = (flag: string, v: string | undefined, otherwise: number): number => {
    if (v === undefined) return otherwise;
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new UsageError(`--${flag} needs a positive number, got ${v}`);
    return x;
  };
  const drones = Math.floor(num('drones', values.drones, 4));
  const profile: SprayDroneProfile = {
    ...T20_PROFILE,
    swathM: num('swath', values.swath, T20_PROFILE.swathM),
    maxSpraySpeedMps: num('max-speed', values['max-speed'], T20_PROFILE.maxSpraySpeedMps),
    doseLPerHa: num('dose', values.dose, T20_PROFILE.doseLPerHa),
    tankL: num('tank', values.tank, T20_PROFILE.tankL),
  };
  const json = values.json;
  const [file, ...more] = positionals;
  if (more.length) throw new UsageError(`one zones file, got ${positionals.join(' and ')}`);
  if (!file) {
    process.stderr.write(USAGE);
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
