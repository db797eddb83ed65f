import type { DriveTarget, RobotDriver } from './driver.js';

/** One ride: the car and the levels of its two landings (the `liftRide` action's parameters). */
export interface LiftRideRequest {
  lift: string;
  fromLevel: string;
  toLevel: string;
}

/**
 * The site's lifts as a bridge sees them: what a site integration implements against its lift
 * controller (a relay board, a BACnet or vendor API); the simulator's lifts are one
 * implementation. Who may use a car is decided before (the controller grants the car, see
 * `liftRide`); the port only moves it. Every long call takes an AbortSignal and rejects with its
 * reason when the order is cancelled; any call rejects with an Error saying why when the car
 * cannot serve (out of service, doors blocked, taken by someone else).
 */
export interface LiftPort {
  /** Calls the car to `level`; resolves once it stands there with its doors open. */
  callCar(lift: string, level: string, signal: AbortSignal): Promise<void>;
  /** With the robot inside: doors close, the car travels to `level`, doors open; resolves once open. */
  travel(lift: string, level: string, signal: AbortSignal): Promise<void>;
  /** The robot is out (or gave up): the doors may close and the car serve other calls. Never throws. */
  release(lift: string): void;
}

/**
 * Rides a lift from the start landing of `target` (a lift edge) to its end landing: call the car
 * to the start level, board, travel, leave onto the end landing, release the car. The car is
 * released however the ride ends (done, failed, cancelled).
 */
export async function rideLift(port: LiftPort, driver: Pick<RobotDriver, 'boardLift' | 'leaveLift'>, ride: LiftRideRequest, target: DriveTarget, signal: AbortSignal): Promise<void> {
  try {
    await port.callCar(ride.lift, ride.fromLevel, signal);
    await driver.boardLift(ride.lift, target, signal);
    await port.travel(ride.lift, ride.toLevel, signal);
    await driver.leaveLift(ride.lift, target, signal);
  } finally {
    port.release(ride.lift);
  }
}

/** The cars a master granted to `liftRide` actions (instant action `liftGranted`), by session (the actionId). */
export class LiftGrants {
  private readonly granted = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  /** The car is granted to `session`: a ride waiting for it goes; a grant that comes first is kept for its ride. */
  grant(session: string): void {
    this.granted.add(session);
    this.waiting.get(session)?.();
  }

  /** Resolves once `session` is granted (at once if it was) and forgets the grant; rejects with the signal's reason. */
  waitFor(session: string, signal: AbortSignal): Promise<void> {
    if (this.granted.delete(session)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(session);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(session, () => {
        this.waiting.delete(session);
        this.granted.delete(session);
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
