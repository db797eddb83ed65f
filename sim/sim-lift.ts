import { sleep, type Clock, type Lift } from '../protocol/index.js';
import type { LiftPort } from '../firmware-bridge/index.js';

interface Car {
  spec: Lift;
  /** The level the car stands at (or last stood at). */
  level: string;
  /** The robot the car is serving now, from its call until it is released. */
  occupant?: string;
}

/**
 * The simulated lift cars of a site: they travel to the caller's floor and to the destination
 * in clock time (`perFloorS` per floor, `doorS` for the doors at each end). Who may use a car is
 * not decided here: that is the controller's lift session. A car called while it serves another
 * robot refuses the call with an error, as a site's lift controller reports a car taken, so a
 * double grant shows up as a failed ride instead of two robots in one car.
 */
export class SimLifts {
  private readonly cars = new Map<string, Car>();

  constructor(
    lifts: readonly Lift[],
    private readonly clock: Clock,
  ) {
    for (const spec of lifts) this.cars.set(spec.id, { spec, level: spec.levels[0]! });
  }

  /** The site's description of a lift (door, per-floor and boarding times). */
  spec(lift: string): Lift {
    return this.car(lift).spec;
  }

  /** Who the car serves now, if anyone. */
  occupant(lift: string): string | undefined {
    return this.car(lift).occupant;
  }

  /** The lifts as robot `robot`'s bridge drives them. */
  port(robot: string): LiftPort {
    return {
      callCar: async (lift, level, signal) => {
        const car = this.car(lift);
        if (car.occupant && car.occupant !== robot) throw new Error(`lift ${lift}: the car is in use by ${car.occupant}`);
        car.occupant = robot;
        await sleep(this.clock, this.floors(car, car.level, level) * car.spec.perFloorS * 1000, signal);
        car.level = level;
        await sleep(this.clock, car.spec.doorS * 1000, signal);
      },
      travel: async (lift, level, signal) => {
        const car = this.car(lift);
        if (car.occupant !== robot) throw new Error(`lift ${lift}: ${robot} is not in the car`);
        await sleep(this.clock, (this.floors(car, car.level, level) * car.spec.perFloorS + car.spec.doorS) * 1000, signal);
        car.level = level;
      },
      release: (lift) => {
        const car = this.cars.get(lift);
        if (car?.occupant === robot) car.occupant = undefined;
      },
    };
  }

  private car(lift: string): Car {
    const car = this.cars.get(lift);
    if (!car) throw new Error(`the simulated site has no lift ${lift}`);
    return car;
  }

  private floors(car: Car, a: string, b: string): number {
    return Math.abs(car.spec.levels.indexOf(a) - car.spec.levels.indexOf(b));
  }
}
