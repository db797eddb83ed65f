/**
 * Seeded synthetic buildings for meal-round tests and benchmarks, using the delivery-robot
 * benchmark profile: 0.8 m/s in corridors; lift 8 s doors, 3 s per floor, 10 s to enter and
 * 10 s to leave; 5 s announcement plus a mean 35 s pickup wait at a door; 10 s per tray loading.
 */
import type { LegWay, LiftRide, RoundInput, RoomRequest } from './round-types.js';
import { seededRandom } from '../../protocol/index.js';

/** Shape of a synthetic building round. */
export interface BuildingOptions {
  readonly floors?: number;
  readonly roomsPerFloor?: number;
  readonly robots?: number;
  /** Share of medicine requests (default 0.2). */
  readonly medicineShare?: number;
  /**
   * Lift cars the robots queue for (`RoundInput.lifts`), spread from one end of the corridor
   * to the other; each leg rides the car that makes it shortest. Default 0: one lift at the
   * corridor's start whose rides are fixed costs.
   */
  readonly lifts?: number;
  /** With `lifts`: every leg between floors may also ride each other car (`RoundLifts.ways`), the plan picks. Default false. */
  readonly ways?: boolean;
}

/**
 * Rooms along one corridor per floor (4 m apart, lift at x = 0 unless `lifts` says otherwise,
 * station next to it on floor 0). Door index = 1 + floor * roomsPerFloor + position, so indices run floor by floor.
 * Going up waits a seeded 0..20 s longer for the car than going down: the matrix is asymmetric.
 */
export function syntheticRound(seed: number, o: BuildingOptions = {}): RoundInput {
  const rand = seededRandom(seed);
  const floors = o.floors ?? 10;
  const per = o.roomsPerFloor ?? 15;
  const speedMps = 0.8;
  const upWaitS = rand() * 20;
  const places: { floor: number; x: number }[] = [{ floor: 0, x: 2 }];
  for (let f = 0; f < floors; f++) for (let r = 0; r < per; r++) places.push({ floor: f + 1, x: 6 + 4 * r + (rand() - 0.5) });
  const n = places.length;
  const cars = o.lifts ?? 0;
  const liftXs = cars ? Array.from({ length: cars }, (_, c) => (cars === 1 ? 0 : (c * (6 + 4 * per)) / (cars - 1))) : [0];
  const travelS: number[][] = [];
  const rides: LiftRide[][][] = [];
  const ways: LegWay[][][] = [];
  for (let a = 0; a < n; a++) {
    const row: number[] = [];
    const rideRow: LiftRide[][] = [];
    const wayRow: LegWay[][] = [];
    for (let b = 0; b < n; b++) {
      const pa = places[a]!;
      const pb = places[b]!;
      rideRow.push([]);
      wayRow.push([]);
      if (a === b) row.push(0);
      else if (pa.floor === pb.floor) row.push(Math.abs(pa.x - pb.x) / speedMps);
      else {
        const rideS = 8 + 3 * Math.abs(pa.floor - pb.floor) + 20 + (pb.floor > pa.floor ? upWaitS : 0);
        const viaS = liftXs.map((x) => (Math.abs(pa.x - x) + Math.abs(pb.x - x)) / speedMps + rideS);
        const car = viaS.indexOf(Math.min(...viaS));
        row.push(viaS[car]!);
        const ride = (c: number) => ({ car: c, fromLevel: pa.floor, toLevel: pb.floor, atS: Math.abs(pa.x - liftXs[c]!) / speedMps, rideS });
        rideRow[b]!.push(ride(car));
        if (o.ways) for (let c = 0; c < cars; c++) if (c !== car) wayRow[b]!.push({ travelS: viaS[c]!, rides: [ride(c)] });
      }
    }
    travelS.push(row);
    rides.push(rideRow);
    ways.push(wayRow);
  }
  const requests: RoomRequest[] = [];
  for (let i = 1; i < n; i++) requests.push({ room: i, priority: rand() < (o.medicineShare ?? 0.2) ? 'medicine' : 'meal' });
  const robots = Array.from({ length: o.robots ?? 5 }, (_, k) => ({ id: `robot-${k + 1}`, trays: 4, availableAtS: k * 30 }));
  const lifts = cars ? { lifts: { cars: liftXs.map(() => ({ perFloorS: 3 })), rides, ...(o.ways ? { ways } : {}) } } : {};
  return { travelS, requests, robots, serviceS: 40, loadSPerTray: 10, ...lifts };
}
