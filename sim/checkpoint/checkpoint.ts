import type { BroadcastPlan } from '../../controller/broadcast/index.js';
import { seededRandom } from '../../protocol/index.js';

/**
 * A checkpoint's queue and booths, as the broadcast drone meets them. Every figure is an
 * assumption of this model, stated so that it can be changed; none is fitted to the two-fold gain
 * reported from the checkpoints (that is what the model is compared with).
 */
export interface CheckpointModel {
  /** Cars arriving at the end of the queue, per hour (Poisson). */
  arrivalsPerHour: number;
  /** Booths serving the queue, each one car at a time. */
  booths: number;
  /** A booth's time for a driver who has declared: show the code, take the temperature, s. */
  checkS: number;
  /** Filling in the health declaration on a phone, s; at the booth when not done while waiting. */
  declareS: number;
  /** Road taken by one queued car, m (a car and the gap behind it, one lane). */
  carSpacingM: number;
  /** Share of drivers who arrive having declared (signs, the radio). */
  declaredShare: number;
  /** Chance that a driver who hears the whole message once starts declaring. */
  declareChance: number;
  /** Battery swap and checks between two sorties, s. */
  turnaroundS: number;
  /** Cars already queued when the period starts, as metres of road. */
  initialQueueM: number;
  /** Length of the period, h. */
  hours: number;
}

/**
 * Two booths at a rush: 120 cars an hour; 30 s at the booth for a declared driver, and 2 min to
 * fill in the form; 7 m of lane a car; 1 in 10 arrive declared; 1 in 2 who hear the message act on
 * it; 5 min between sorties; 2 km of queue at the start; 4 hours.
 */
export const RUSH_HOUR: CheckpointModel = {
  arrivalsPerHour: 120,
  booths: 2,
  checkS: 30,
  declareS: 120,
  carSpacingM: 7,
  declaredShare: 0.1,
  declareChance: 0.5,
  turnaroundS: 300,
  initialQueueM: 2000,
  hours: 4,
};

export interface CheckpointResult {
  /** Cars through the booths per hour over the period. */
  carsPerHour: number;
  /** Mean time from joining the queue to reaching a booth, of the cars served, s. */
  meanWaitS: number;
  served: number;
  /** Cars still queued at the end. */
  queuedAtEnd: number;
  /** Share of the served cars whose driver had declared before reaching the booth. */
  declaredAtBoothShare: number;
  /** Times the message was played to the queue (hovers). */
  hovers: number;
}

const HEARINGS_DRAWN = 8;

interface Car {
  arrivedS: number;
  /** When the declaration is done (−∞: arrived declared), or undefined when not started. */
  declaredAtS?: number;
}

/**
 * Runs the checkpoint for `model.hours`, with the drone flying `plan`'s sorties over and over (a
 * battery swap between them) or without a drone (`plan` undefined). The same seed gives the same
 * arrivals and drivers with and without the drone, so the difference is the drone's.
 *
 * At the start of each hover every queued car whose place in the queue (its rank × the spacing,
 * from the booths) lies in the stop's heard stretch hears the message once, whole (the hover is
 * at least one playing and a queue creeps a few metres in that time). A booth serves a car for
 * `checkS`, plus what is left of its declaration (all of `declareS` when not begun). Pure.
 */
export function runCheckpoint(model: CheckpointModel, plan: BroadcastPlan | undefined, seed = 1): CheckpointResult {
  const random = seededRandom(seed);
  const endS = model.hours * 3600;
  const arrivals: Car[] = [];
  const initial = Math.floor(model.initialQueueM / model.carSpacingM);
  for (let i = 0; i < initial; i++) arrivals.push({ arrivedS: 0 });
  for (let t = -Math.log(1 - random()) * (3600 / model.arrivalsPerHour); t < endS; t += -Math.log(1 - random()) * (3600 / model.arrivalsPerHour)) arrivals.push({ arrivedS: t });
  for (const car of arrivals) if (random() < model.declaredShare) car.declaredAtS = -Infinity;
  // A driver's draws for the first hearings, made up front so both runs see the same drivers; one
  // who let that many go by is taken to ignore the message.
  const chances = arrivals.map(() => Array.from({ length: HEARINGS_DRAWN }, () => random()));

  const hoverStarts: Array<{ atS: number; stop: number }> = [];
  if (plan)
    for (let t0 = 0; t0 < endS; ) {
      for (const sortie of plan.sorties) {
        sortie.stops.forEach((stop, k) => hoverStarts.push({ atS: t0 + sortie.hoverStartsS[k]!, stop }));
        t0 += sortie.flightS + model.turnaroundS;
      }
    }

  const queue: number[] = []; // indices into arrivals, first at the booths
  const heard = new Map<number, number>();
  const boothFreeAtS = Array.from({ length: model.booths }, () => 0);
  let next = 0;
  let hover = 0;
  let served = 0;
  let declaredAtBooth = 0;
  let waitS = 0;
  let now = 0;
  // Events in time order: an arrival, a hover beginning, a booth coming free.
  for (;;) {
    const booth = boothFreeAtS.indexOf(Math.min(...boothFreeAtS));
    const tArrival = arrivals[next]?.arrivedS ?? Infinity;
    const tHover = hoverStarts[hover]?.atS ?? Infinity;
    const tBooth = queue.length > 0 ? Math.max(now, boothFreeAtS[booth]!) : Infinity;
    const t = Math.min(tArrival, tHover, tBooth);
    if (t >= endS) break;
    now = t;
    if (t === tArrival) queue.push(next++);
    else if (t === tHover) {
      const { hearsFromM, hearsToM } = plan!.stops[hoverStarts[hover++]!.stop]!;
      queue.forEach((i, rank) => {
        const car = arrivals[i]!;
        const atM = rank * model.carSpacingM;
        if (car.declaredAtS !== undefined || atM < hearsFromM || atM > hearsToM) return;
        const n = heard.get(i) ?? 0;
        heard.set(i, n + 1);
        if ((chances[i]![n] ?? 1) < model.declareChance) car.declaredAtS = t + model.declareS;
      });
    } else {
      const i = queue.shift()!;
      const car = arrivals[i]!;
      const left = car.declaredAtS === undefined ? model.declareS : Math.max(0, car.declaredAtS - t);
      if (left === 0) declaredAtBooth++;
      waitS += t - car.arrivedS;
      served++;
      boothFreeAtS[booth] = t + model.checkS + left;
    }
  }
  return {
    carsPerHour: served / model.hours,
    meanWaitS: served ? waitS / served : 0,
    served,
    queuedAtEnd: queue.length,
    declaredAtBoothShare: served ? declaredAtBooth / served : 0,
    hovers: hover,
  };
}
