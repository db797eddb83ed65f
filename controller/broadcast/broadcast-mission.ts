import { distanceM, type CreateBroadcastBody, type MissionSortie, type MissionWaypoint } from '../../protocol/index.js';
import { speechSeconds } from './message.js';
import type { BroadcastOptions, BroadcastPlan } from './plan.js';

/** Where a sortie's waypoints stand in the plan: waypoint index → stop index. */
export type StopsOfSortie = Map<number, number>;

/** A stop vertex in a sortie path lies within this of the stop, m (the same point through two projections). */
const SAME_POINT_M = 0.5;

/** Seconds one playing of the message takes: a recording's length, or a text read aloud ({@link speechSeconds}). */
export function messageSeconds(message: CreateBroadcastBody['message']): number {
  return message.kind === 'audio' ? message.durationS : Math.round(speechSeconds(message.text) * 10) / 10;
}

/** The planner's options for a broadcast body. */
export function planOptions(body: CreateBroadcastBody): BroadcastOptions {
  return {
    side: body.side,
    heightM: body.heightM,
    offsetM: body.offsetM,
    messageS: messageSeconds(body.message),
    ...(body.hoverS !== undefined ? { hoverS: body.hoverS } : {}),
    ...(body.forwardMps !== undefined ? { forwardMps: body.forwardMps } : {}),
  };
}

/**
 * A broadcast plan as drone mission sorties (pure): each sortie takes off at its pad, flies its
 * path at the broadcast height, holds `hoverS` at each of its stops playing the message
 * (`holdS`, `play`), and lands back at the pad; `cruiseMps` on every leg. A plan flown forward
 * has no stops: its sortie's line beside the road is flown at `plan.forwardMps`, each of its
 * waypoints but the last marked `play` (the message plays on from the line's start to its end).
 * Also returns, per sortie, which waypoint is which stop.
 */
export function broadcastSorties(plan: BroadcastPlan, heightM: number, cruiseMps: number): { sorties: MissionSortie[]; stopsOf: StopsOfSortie[] } {
  const stopsOf: StopsOfSortie[] = [];
  const sorties = plan.sorties.map((s, index): MissionSortie => {
    const stops = new Map<number, number>();
    const leg = (p: { lat: number; lon: number }, altM: number): MissionWaypoint => ({ lat: p.lat, lon: p.lon, altM, speedMps: cruiseMps, spray: false, flowLPerMin: 0 });
    const path = s.path;
    const waypoints: MissionWaypoint[] = [leg(path[0]!, 0)];
    if (s.broadcastPath && s.broadcastFrom !== undefined && plan.forwardMps !== undefined) {
      const from = s.broadcastFrom;
      const to = from + s.broadcastPath.length - 1;
      if (distanceM(path[from]!, s.broadcastPath[0]!) > SAME_POINT_M || distanceM(path[to]!, s.broadcastPath.at(-1)!) > SAME_POINT_M)
        throw new Error(`sortie ${index}: its broadcast line is not on its path`);
      for (let k = 1; k < path.length - 1; k++) waypoints.push(k >= from && k < to ? { ...leg(path[k]!, heightM), speedMps: plan.forwardMps, play: true } : leg(path[k]!, heightM));
      waypoints.push(leg(path.at(-1)!, 0));
      stopsOf.push(new Map());
      return { index, waypoints };
    }
    let next = 0;
    for (let k = 1; k < path.length - 1; k++) {
      const p = path[k]!;
      const stopIndex = s.stops[next];
      const stop = stopIndex === undefined ? undefined : plan.stops[stopIndex]!;
      if (stop && distanceM(p, stop) <= SAME_POINT_M) {
        stops.set(waypoints.length, stopIndex!);
        waypoints.push({ ...leg(stop, heightM), holdS: stop.hoverS, play: true });
        next++;
      } else waypoints.push(leg(p, heightM));
    }
    waypoints.push(leg(path.at(-1)!, 0));
    if (next !== s.stops.length) throw new Error(`sortie ${index}: ${s.stops.length - next} stops are not on its path`);
    stopsOf.push(stops);
    return { index, waypoints };
  });
  return { sorties, stopsOf };
}
