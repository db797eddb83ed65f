/**
 * `npm run -s plan-broadcast -- ROAD.geojson [--side left|right] [--height M] [--offset M]
 * [--text TEXT | --audio-s S] [--hover S | --forward MPS] [--level DB] [--noise DB] [--qr URL] [--json]`:
 * plans a loudspeaker drone's stops along a queue of cars (see README "Broadcast at a
 * checkpoint"). Prints a short summary, or with `--json` one GeoJSON FeatureCollection (stops,
 * sorties, the plan's figures). Exit 1 with one line per problem: a bad flag, a missing file, a
 * road or zones it refuses (with the JSON path), a road it cannot cover.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { broadcastToGeoJson, DECLARATION_CALL, planBroadcast, speechSeconds, type BroadcastOptions } from './index.js';

/** A problem the user can fix: printed as one line, exit 1. */
class UsageError extends Error {}

function main(argv: string[]): number {
  const args = [...argv];
  let file: string | undefined;
  let json = false;
  let text: string | undefined;
  let audioS: number | undefined;
  let qr: string | undefined;
  const options: Omit<BroadcastOptions, 'messageS'> & { acoustics: NonNullable<BroadcastOptions['acoustics']> } = { side: 'left', heightM: 15, offsetM: 20, acoustics: {} };
  const num = (flag: string, v: string | undefined): number => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x) || x <= 0) throw new UsageError(`${flag} needs a positive number, got ${v ?? 'nothing'}`);
    return x;
  };
  while (args.length) {
    const a = args.shift()!;
    if (a === '--side') {
      const v = args.shift();
      if (v !== 'left' && v !== 'right') throw new UsageError(`--side is left or right (looking along the road as drawn), got ${v ?? 'nothing'}`);
      options.side = v;
    } else if (a === '--height') options.heightM = num(a, args.shift());
    else if (a === '--offset') options.offsetM = num(a, args.shift());
    else if (a === '--hover') options.hoverS = num(a, args.shift());
    else if (a === '--forward') options.forwardMps = num(a, args.shift());
    else if (a === '--audio-s') audioS = num(a, args.shift());
    else if (a === '--level') options.acoustics.levelAt1mDb = num(a, args.shift());
    else if (a === '--noise') options.acoustics.noiseDb = num(a, args.shift());
    else if (a === '--text') {
      text = args.shift();
      if (!text?.trim()) throw new UsageError('--text needs the words to say');
    } else if (a === '--qr') {
      const v = args.shift();
      if (!z.url({ protocol: /^https?$/ }).safeParse(v).success) throw new UsageError(`--qr needs an http(s) URL for the QR code, got ${v ?? 'nothing'}`);
      qr = v;
    } else if (a === '--json') json = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (file !== undefined) throw new UsageError(`one road file, got ${file} and ${a}`);
    else file = a;
  }
  if (!file) {
    process.stderr.write(
      'usage: plan-broadcast ROAD.geojson [--side left|right] [--height M] [--offset M] [--text TEXT | --audio-s S] [--hover S | --forward MPS] [--level DB] [--noise DB] [--qr URL] [--json]\n',
    );
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
