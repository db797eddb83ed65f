/**
 * `npm run -s plan-broadcast -- ROAD.geojson [--side left|right] [--height M] [--offset M]
 * [--text TEXT | --audio-s S] [--hover S | --forward MPS] [--level DB] [--noise DB] [--qr URL] [--json]`:
 * plans a loudspeaker drone's stops along a queue of cars (see README "Broadcast at a
 * checkpoint"). Prints a short summary, or with `--json` one GeoJSON FeatureCollection (stops,
 * sorties, the plan's figures). Exit 1 with one line per problem: a bad value, a missing file, a
 * road or zones it refuses (with the JSON path), a road it cannot cover. `--help` prints the
 * usage; an unknown flag is one line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { parseCliArgs } from '../../common/cli-args.js';
import { broadcastToGeoJson, DECLARATION_CALL, planBroadcast, speechSeconds, type BroadcastOptions } from './index.js';

/** A problem the user can fix: printed as one line, exit 1. */
class UsageError extends Error {}

const USAGE =
  'usage: plan-broadcast ROAD.geojson [--side left|right] [--height M] [--offset M] [--text TEXT | --audio-s S] [--hover S | --forward MPS] [--level DB] [--noise DB] [--qr URL] [--json]\n';
const HELP = `${USAGE}Plans a loudspeaker drone's stops along a queue of cars (the road, its pads and geofence in ROAD.geojson) and prints a summary, or with --json one GeoJSON FeatureCollection.\n`;

function main(argv: string[]): number {
  const { values, positionals } = parseCliArgs('plan-broadcast', HELP, {
    args: argv,
    allowPositionals: true,
    options: {
      side: { type: 'string' },
      height: { type: 'string' },
      offset: { type: 'string' },
      hover: { type: 'string' },
      forward: { type: 'string' },
      'audio-s': { type: 'string' },
      level: { type: 'string' },
      noise: { type: 'string' },
      text: { type: 'string' },
      qr: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const num = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new UsageError(`--${flag} needs a positive number, got ${v}`);
    return x;
  };
  const { side = 'left', text, qr, json } = values;
  if (side !== 'left' && side !== 'right') throw new UsageError(`--side is left or right (looking along the road as drawn), got ${side}`);
  if (text !== undefined && !text.trim()) throw new UsageError('--text needs the words to say');
  if (qr !== undefined && !z.url({ protocol: /^https?$/ }).safeParse(qr).success) throw new UsageError(`--qr needs an http(s) URL for the QR code, got ${qr}`);
  const audioS = num('audio-s', values['audio-s']);
  const hoverS = num('hover', values.hover);
  const forwardMps = num('forward', values.forward);
  const levelAt1mDb = num('level', values.level);
  const noiseDb = num('noise', values.noise);
  const options: Omit<BroadcastOptions, 'messageS'> & { acoustics: NonNullable<BroadcastOptions['acoustics']> } = {
    side,
    heightM: num('height', values.height) ?? 15,
    offsetM: num('offset', values.offset) ?? 20,
    ...(hoverS !== undefined ? { hoverS } : {}),
    ...(forwardMps !== undefined ? { forwardMps } : {}),
    acoustics: { ...(levelAt1mDb !== undefined ? { levelAt1mDb } : {}), ...(noiseDb !== undefined ? { noiseDb } : {}) },
  };
  if (positionals.length > 1) throw new UsageError(`one road file, got ${positionals.join(' and ')}`);
  const file = positionals[0];
  if (!file) {
    process.stderr.write(USAGE);
    return 1;
  }
  if (text !== undefined && audioS !== undefined) throw new UsageError('--text or --audio-s, not both: the message is spoken text or a recording');
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `cannot read ${file}: no such file` : e instanceof SyntaxError ? `${file} is not JSON: ${e.message}` : `cannot read ${file}: ${e.message}`);
  }
  const said = audioS === undefined ? (text ?? DECLARATION_CALL) : undefined;
  const messageS = audioS ?? Math.round(speechSeconds(said!) * 10) / 10;
  const t0 = performance.now();
  const res = planBroadcast(input, { ...options, messageS });
  const planMs = Math.round(performance.now() - t0);
  if (!res.ok) {
    for (const e of res.errors) process.stderr.write(`${file}: ${e.path}: ${e.message}\n`);
    return 1;
  }
  const { plan } = res;
  if (json) {
    process.stdout.write(
      `${JSON.stringify(broadcastToGeoJson(plan, { side: options.side, heightM: options.heightM, offsetM: options.offsetM, ...(said ? { text: said } : {}), ...(qr ? { qr } : {}), planMs }))}\n`,
    );
    return 0;
  }
  const min = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  process.stdout.write(
    `${(plan.roadM / 1000).toFixed(2)} km of queue, heard up to ${Math.round(plan.hearingRangeM)} m from the speaker; message ${plan.messageS} s, ${plan.forwardMps !== undefined ? `flown forward at ${plan.forwardMps} m/s` : `${plan.hoverS} s at each stop`}\n` +
      `${plan.forwardMps !== undefined ? 'playing all the way' : `${plan.stops.length} ${plan.stops.length === 1 ? 'stop' : 'stops'}`} on the ${options.side} at ${options.heightM} m up, ${options.offsetM} m from the road's centre line; ${plan.sorties.length} ${plan.sorties.length === 1 ? 'sortie' : 'sorties'}, ${min(plan.flightS)} in the air\n` +
      plan.sorties
        .map(
          (s, k) =>
            `  sortie ${k + 1} from ${s.pad}: ${s.alongFromM !== undefined ? `forward at ${plan.forwardMps} m/s from ${Math.round(s.alongFromM)} m to ${Math.round(s.alongToM!)} m` : `stops ${s.stops.map((i) => `${Math.round(plan.stops[i]!.alongM)} m`).join(', ')}`}; ${(s.distanceM / 1000).toFixed(2)} km, ${min(s.flightS)}\n`,
        )
        .join('') +
      (qr ? `QR code shown: ${qr}\n` : ''),
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`plan-broadcast: ${e.message}\n`);
  process.exitCode = 1;
}
