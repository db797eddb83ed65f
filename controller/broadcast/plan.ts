import { containsPoint, offset } from '../spray/geometry/polygon.js';
import type { Vec2 } from '../spray/geometry/types.js';
import { visibilityFlightSpace, type PlanError } from '../spray/index.js';
import { CHECKPOINT_ACOUSTICS, hearingRangeM, type AcousticModel } from './acoustics.js';
import { planForward } from './forward.js';
import { validateRoadFile } from './road-file.js';

/** What the broadcast drone can fly. */
export interface BroadcastDrone {
  /** Hover endurance with the loudspeaker and display on board, s. */
  enduranceS: number;
  /** Ground speed between stops and to and from the pad, m/s. */
  cruiseMps: number;
  /** Climb and descent rate, m/s. */
  climbMps: number;
  /** Share of the endurance kept in reserve at landing, %. */
  reservePct: number;
}

/**
 * A mid-size quadcopter carrying a loudspeaker and a display (about 1.5 kg of payload): 30 min of
 * hover, as industrial quads of that class give with such a payload; 25 % kept at landing.
 */
export const SPEAKER_QUAD: BroadcastDrone = { enduranceS: 30 * 60, cruiseMps: 10, climbMps: 3, reservePct: 25 };

/** The operator's choices for one broadcast. */
export interface BroadcastOptions {
  /** Side of the road the drone keeps to, looking along the road as drawn (from the checkpoint outwards). */
  side: 'left' | 'right';
  /** Height above the road, m. */
  heightM: number;
  /** Distance from the road's centre line, m: outside the carriageway, above the verge. */
  offsetM: number;
  /** Length of one playing of the message, s (see `speechSeconds` for a text). */
  messageS: number;
  /** Hover at each stop, s; at least `messageS`. Default: two playings. */
  hoverS?: number;
  /** Fly forward beside the road at this ground speed, m/s, playing all the way, instead of hovering at stops ({@link planForward}). */
  forwardMps?: number;
  acoustics?: Partial<AcousticModel>;
  drone?: Partial<BroadcastDrone>;
}

/** One hover stop: where the drone plays the message, and the stretch of road that hears it. */
export interface BroadcastStop {
  lon: number;
  lat: number;
  /** Height above the road, m. */
  altM: number;
  hoverS: number;
  /** Where along the road (from its first position) the stop stands, m. */
  alongM: number;
  /** The stretch of road around the stop within its hearing range, m along the road (to the metre). */
  hearsFromM: number;
  hearsToM: number;
}

/** One flight: from a pad through consecutive stops and back to the same pad. */
export interface BroadcastSortie {
  pad: string;
  /** Indices into {@link BroadcastPlan.stops}. */
  stops: number[];
  /** The flown path, pad to pad, ferry legs around keepouts included, WGS84. */
  path: Array<{ lon: number; lat: number }>;
  /** When the hover at each of its stops begins, s after take-off. */
  hoverStartsS: number[];
  distanceM: number;
  /** Climb, flight, hovers and descent, s. */
  flightS: number;
  /** Flying forward: the stretch of road this sortie plays along, m from the road's start. */
  alongFromM?: number;
  alongToM?: number;
  /** Flying forward: the line it flies at the forward speed, playing. */
  broadcastPath?: Array<{ lon: number; lat: number }>;
  /** Flying forward: where in `path` the line begins (it runs on for `broadcastPath.length` points). */
  broadcastFrom?: number;
}

export interface BroadcastPlan {
  /** Slant distance at which the message is understood, m ({@link hearingRangeM}). */
  hearingRangeM: number;
  messageS: number;
  hoverS: number;
  /** Flown forward at this speed, m/s, instead of hovering (no stops then). */
  forwardMps?: number;
  roadM: number;
  stops: BroadcastStop[];
  sorties: BroadcastSortie[];
  /** Sum of the sorties' flight times, s. */
  flightS: number;
}

/** Limits of the operator's choices (see the messages where they are checked). */
const MIN_HEIGHT_M = 5;
const MAX_HEIGHT_M = 120;
const MIN_OFFSET_M = 4;
const MAX_OFFSET_M = 200;
const MAX_LEVEL_DB = 140;

/** Road samples every metre: the coverage check's resolution. */
const SAMPLE_M = 1;
/** Clearance of stops and ferry legs from keepouts and the geofence, m. */
const CLEARANCE_M = 2;

const dist = (a: Vec2, b: Vec2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** A polyline by arc length: positions and left normals at any distance along it. */
function arcLine(line: Vec2[]) {
  const cum = [0];
  for (let i = 1; i < line.length; i++) cum.push(cum[i - 1]! + dist(line[i - 1]!, line[i]!));
  const length = cum.at(-1)!;
  const at = (s: number): { p: Vec2; left: Vec2 } => {
    let i = 1;
    while (i < line.length - 1 && cum[i]! < s) i++;
    const a = line[i - 1]!;
    const b = line[i]!;
    const len = cum[i]! - cum[i - 1]! || 1;
    const t = Math.min(1, Math.max(0, (s - cum[i - 1]!) / len));
    return { p: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], left: [-(b[1] - a[1]) / len, (b[0] - a[0]) / len] };
  };
  /** Distance from `q` to the nearest point of the line. */
  const distanceTo = (q: Vec2): number => {
    let best = Infinity;
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!;
      const b = line[i]!;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const t = Math.max(0, Math.min(1, ((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(q[0] - a[0] - t * dx, q[1] - a[1] - t * dy));
    }
    return best;
  };
  return { length, at, distanceTo };
}

/**
 * Plans a broadcast along a queue of cars: hover stops beside the road, on the chosen side, at
 * the chosen height and offset, spaced so that every metre of the road is within the hearing
 * range of one stop (slant distance, height included) while it plays the message for `hoverS`;
 * then flights from the pads through consecutive stops, each within the drone's endurance less
 * its reserve, ferrying around keepouts inside the geofence.
 *
 * Stops are placed greedily from the checkpoint outwards: each one as far along the road as it
 * can stand while still reaching the first metre not yet covered; a stop that would stand in a
 * keepout, outside the geofence or over the carriageway (on the inside of a tight bend) is moved
 * back towards the uncovered metre until it may stand. Pure; never throws: a plan, or problems
 * each with a JSON path (`features.N…` of the file, or the option's name).
 */
export function planBroadcast(input: unknown, options: BroadcastOptions): { ok: true; plan: BroadcastPlan } | { ok: false; errors: PlanError[] } {
  const model = { ...CHECKPOINT_ACOUSTICS, ...options.acoustics };
  const drone = { ...SPEAKER_QUAD, ...options.drone };
  const hoverS = options.hoverS ?? 2 * options.messageS;
  const errors: PlanError[] = [];
  if (!(options.messageS > 0)) errors.push({ path: 'messageS', message: 'the message needs a length above 0 s' });
  if (!(hoverS >= options.messageS))
    errors.push({ path: 'hoverS', message: `hover ${hoverS} s is shorter than one playing of the message (${options.messageS.toFixed(1)} s): cars would hear only part of it` });
  if (!(options.heightM >= MIN_HEIGHT_M && options.heightM <= MAX_HEIGHT_M))
    errors.push({
      path: 'heightM',
      message: `${options.heightM} m: from ${MIN_HEIGHT_M} m (lower, the drone hovers within reach of people at their cars) to ${MAX_HEIGHT_M} m (the usual ceiling for drones)`,
    });
  if (!(options.offsetM >= MIN_OFFSET_M && options.offsetM <= MAX_OFFSET_M))
    errors.push({ path: 'offsetM', message: `${options.offsetM} m: from ${MIN_OFFSET_M} m (outside the carriageway: half a two-lane road, 3.5 m, and half a metre) to ${MAX_OFFSET_M} m` });
  if (!(model.levelAt1mDb <= MAX_LEVEL_DB))
    errors.push({ path: 'acoustics.levelAt1mDb', message: `${model.levelAt1mDb} dB: at most ${MAX_LEVEL_DB} dB at 1 m (the loudest loudspeakers drones carry give about 130)` });
  if (!(model.noiseDb >= 20 && model.noiseDb <= 120)) errors.push({ path: 'acoustics.noiseDb', message: `${model.noiseDb} dB(A): from 20 (a quiet room) to 120` });
  const budgetS = drone.enduranceS * (1 - drone.reservePct / 100);
  const climbS = (2 * options.heightM) / drone.climbMps;
  if (errors.length === 0 && climbS + hoverS > budgetS)
    errors.push({
      path: 'hoverS',
      message: `${Math.round(hoverS)} s of hover at one stop is more than a flight allows (${Math.round(budgetS / 60)} min: the drone's endurance less its ${drone.reservePct} % reserve, climb and descent included); hover less or play a shorter message`,
    });
  const rangeM = hearingRangeM(model);
  const slantFloor = Math.hypot(options.heightM, options.offsetM);
  if (errors.length === 0 && rangeM <= slantFloor)
    errors.push({
      path: 'acoustics',
      message: `the message is understood up to ${rangeM.toFixed(0)} m, but the nearest car is ${slantFloor.toFixed(0)} m from the drone at ${options.heightM} m up and ${options.offsetM} m aside: fly lower or closer, or use a louder speaker`,
    });
  const valid = validateRoadFile(input);
  if (!valid.ok) errors.push(...valid.errors);
  if (errors.length > 0 || !valid.ok) return { ok: false, errors };
  const { zones, projection, road } = valid.file;

  const line = arcLine(road);
  const fence = offset(zones.geofence, -CLEARANCE_M);
  const keepout = offset(zones.keepout, CLEARANCE_M);
  const sign = options.side === 'left' ? 1 : -1;
  const standAt = (s: number): Vec2 | undefined => {
    const { p, left } = line.at(s);
    const q: Vec2 = [p[0] + sign * options.offsetM * left[0], p[1] + sign * options.offsetM * left[1]];
    if (!containsPoint(fence, q) || containsPoint(keepout, q)) return undefined;
    // On the inside of a bend the offset point comes back over the road.
    if (line.distanceTo(q) < 0.8 * options.offsetM) return undefined;
    return q;
  };
  const hears = (stop: Vec2, q: Vec2) => Math.hypot(dist(stop, q), options.heightM) <= rangeM;

  const n = Math.floor(line.length / SAMPLE_M) + 1;
  const sample = (k: number) => line.at(Math.min(line.length, k * SAMPLE_M)).p;
  const reachAlong = Math.sqrt(rangeM * rangeM - slantFloor * slantFloor);
  if (options.forwardMps !== undefined)
    return planForward({
      line,
      standAt,
      hears,
      forwardMps: options.forwardMps,
      messageS: options.messageS,
      rangeM,
      reachAlong,
      side: options.side,
      zones,
      projection,
      drone,
      budgetS,
      climbS,
      clearanceM: CLEARANCE_M,
    });
  const stops: Array<{ q: Vec2; s: number; from: number; to: number }> = [];
  let u = 0;
  while (u < n) {
    const su = u * SAMPLE_M;
    const first = sample(u);
    // The last metre already heard too: the two stops' stretches overlap, with no gap between samples.
    const overlap = sample(Math.max(0, u - 1));
    let placed: { q: Vec2; s: number } | undefined;
    for (let s = Math.min(line.length, su + reachAlong); s >= Math.max(0, su - reachAlong); s -= SAMPLE_M) {
      const q = standAt(s);
      if (q && hears(q, first) && hears(q, overlap)) {
        placed = { q, s };
        break;
      }
    }
    if (!placed) {
      const [lon, lat] = projection.toLonLat(first);
      return {
        ok: false,
        errors: [
          {
            path: 'features',
            message: `the road ${su.toFixed(0)} m from its start (lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)}) cannot be heard from any place the drone may hover on the ${options.side}: a keepout, the geofence or a tight bend is in the way${reachAlong < rangeM / 2 ? `, and at ${options.heightM} m up and ${options.offsetM} m aside the speaker reaches only ${Math.round(reachAlong)} m along the road: fly lower or closer` : '; try the other side or another offset'}`,
          },
        ],
      };
    }
    let v = u;
    while (v < n && hears(placed.q, sample(v))) v++;
    let w = u;
    while (w > 0 && hears(placed.q, sample(w - 1))) w--;
    stops.push({ ...placed, from: w * SAMPLE_M, to: Math.min(line.length, (v - 1) * SAMPLE_M) });
    u = v;
  }

  const space = visibilityFlightSpace(zones.keepout, zones.geofence, { clearanceM: CLEARANCE_M });
  const legs = new Map<string, Vec2[] | null>();
  const leg = (a: Vec2, b: Vec2, key: string) => {
    if (!legs.has(key)) legs.set(key, space.path(a, b));
    return legs.get(key)!;
  };
  const pathLength = (path: Vec2[]) => path.slice(1).reduce((m, p, i) => m + dist(path[i]!, p), 0);
  /** The flight from pad `pi` through stops i..j and back, or null when a leg has no clear path. */
  const flight = (pi: number, i: number, j: number) => {
    const pad = zones.pads[pi]!.p;
    const out = leg(pad, stops[i]!.q, `p${pi}>${i}`);
    const back = leg(stops[j]!.q, pad, `${j}>p${pi}`);
    if (!out || !back) return null;
    const path = [...out];
    const hoverStartsS = [climbS / 2 + pathLength(out) / drone.cruiseMps];
    for (let k = i + 1; k <= j; k++) {
      const l = leg(stops[k - 1]!.q, stops[k]!.q, `${k - 1}>${k}`);
      if (!l) return null;
      path.push(...l.slice(1));
      hoverStartsS.push(hoverStartsS.at(-1)! + hoverS + pathLength(l) / drone.cruiseMps);
    }
    path.push(...back.slice(1));
    const distanceM = pathLength(path);
    return { path, hoverStartsS, distanceM, flightS: climbS + distanceM / drone.cruiseMps + (j - i + 1) * hoverS };
  };
  const sorties: BroadcastSortie[] = [];
  let i = 0;
  while (i < stops.length) {
    let best: { pi: number; j: number; f: NonNullable<ReturnType<typeof flight>> } | undefined;
    for (let pi = 0; pi < zones.pads.length; pi++) {
      let j = i;
      let f = flight(pi, i, j);
      if (!f || f.flightS > budgetS) continue;
      while (j + 1 < stops.length) {
        const next = flight(pi, i, j + 1);
        if (!next || next.flightS > budgetS) break;
        j++;
        f = next;
      }
      if (!best || j > best.j || (j === best.j && f.flightS < best.f.flightS)) best = { pi, j, f };
    }
    if (!best) {
      const [lon, lat] = projection.toLonLat(stops[i]!.q);
      return {
        ok: false,
        errors: [
          {
            path: 'features',
            message: `no pad can reach the stop ${stops[i]!.s.toFixed(0)} m along the road (lon ${lon.toFixed(6)}, lat ${lat.toFixed(6)}) and come back within the drone's ${Math.round(budgetS / 60)} min (its endurance less the ${drone.reservePct} % reserve; the hover there takes ${Math.round(hoverS)} s of it), or no clear way leads there: add a pad nearer the far end of the queue, or hover less`,
          },
        ],
      };
    }
    sorties.push({
      pad: zones.pads[best.pi]!.name,
      stops: Array.from({ length: best.j - i + 1 }, (_, k) => i + k),
      path: best.f.path.map((p) => {
        const [lon, lat] = projection.toLonLat(p);
        return { lon, lat };
      }),
      hoverStartsS: best.f.hoverStartsS,
      distanceM: best.f.distanceM,
      flightS: best.f.flightS,
    });
    i = best.j + 1;
  }
  return {
    ok: true,
    plan: {
      hearingRangeM: rangeM,
      messageS: options.messageS,
      hoverS,
      roadM: line.length,
      stops: stops.map((st) => {
        const [lon, lat] = projection.toLonLat(st.q);
        return { lon, lat, altM: options.heightM, hoverS, alongM: st.s, hearsFromM: st.from, hearsToM: st.to };
      }),
      sorties,
      flightS: sorties.reduce((t, s) => t + s.flightS, 0),
    },
  };
}
