import type { DoorPort } from '../../firmware-bridge/index.js';
import type { Order, State } from '../../protocol/index.js';
import { TripDisinfection, type TripDisinfectionOptions } from './trip-disinfection.js';
import { TripDoors } from './trip-doors.js';
import { TripNarrow } from './trip-narrow.js';
import type { HeldTrip } from './order-holds.js';

export interface TripHoldsOptions<T extends HeldTrip> extends TripDisinfectionOptions<T> {
  /** The site's door controller; without, no door is held (robots' bridges open them). */
  doorPort?: DoorPort;
  /** A door the controller asked open did not open (see `TripDoors`). */
  doorNotOpened(trip: T, door: string, reason: string): void;
}

/**
 * The holds of trips' orders the controller releases itself, besides lift rides (`TripLifts`):
 * disinfection stations for robots without `disinfect` ({@link TripDisinfection}) and, given a
 * door controller, doors for robots that cannot ask them ({@link TripDoors}); and the site's
 * single-width ways, one direction at a time ({@link TripNarrow}).
 */
export class TripHolds<T extends HeldTrip> {
  private readonly disinfection: TripDisinfection<T>;
  private readonly doors?: TripDoors<T>;
  /** The single-width ways' reservations. */
  readonly narrow: TripNarrow<T>;

  constructor(options: TripHoldsOptions<T>) {
    this.disinfection = new TripDisinfection(options);
    this.narrow = new TripNarrow(options);
    if (options.doorPort) this.doors = new TripDoors({ ...options, port: options.doorPort, notOpened: options.doorNotOpened });
  }

  /** Whether the controller opens doors for robots that cannot (it has a door controller). */
  get opensDoors(): boolean {
    return this.doors !== undefined;
  }

  /** Why `robot` cannot make a trip of `orders` (one holds it at a station it cannot be held at), or `undefined`. */
  refusal(robot: string, orders: (Order | undefined)[]): string | undefined {
    const reason = orders.some((o) => o && this.disinfection.holdsForDisinfection(o)) ? this.disinfection.cannotHold(robot) : undefined;
    return reason && `robot ${robot} cannot be held at the disinfection station: ${reason}; nothing leaves the red zone for green undisinfected`;
  }

  /** Any state of a robot, on a trip or not: the single-width ways it is past are released. */
  observe(robot: string, state: State): void {
    this.narrow.observe(robot, state);
  }

  /** A state of a robot about a trip under way. */
  onTripState(robot: string, trip: T, state: State): void {
    this.disinfection.onTripState(robot, trip, state);
    this.narrow.onTripState(robot, trip, state);
    this.doors?.onTripState(robot, trip, state);
  }

  /** The robot's trip ended. */
  ended(robot: string): void {
    this.disinfection.ended(robot);
    this.doors?.ended(robot);
    this.narrow.ended(robot);
  }

  /** The controller stops: holds being timed are dropped, doors asked open closed. */
  stop(): void {
    this.disinfection.stop();
    this.doors?.stop();
    this.narrow.stop();
  }
}
