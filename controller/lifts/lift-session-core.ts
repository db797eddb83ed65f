/**
 * Lift sessions as a pure reducer: who holds which car, who waits for it. One robot per car,
 * first come, first served; the robot granted a car holds it until it reports the ride over
 * (done, failed, cancelled, or on another order). Modelled on Open-RMF's lift request
 * (open-rmf/rmf_ros2 `RequestLift.cpp`: a session per robot, ended on arrival and on cancel).
 * A cancel or an outage gives up a robot's place in a queue at once, but not a car it was
 * granted: once the grant has left, the robot may be calling or riding the car (a lift car is
 * where robots lose their link), and another robot sent there would meet it. The price is the
 * failure Open-RMF knows: a robot that never reports again keeps its car.
 */

/** A robot asking for a car: one ride from one level to another. */
export interface LiftRequest {
  /** Session id: the ride's own id (the `liftRide` actionId, or `ORDER:lift:SEQ` for an edge held in the horizon). */
  session: string;
  robot: string;
  lift: string;
  fromLevel: string;
  toLevel: string;
  /** Clock ms the request was made. */
  since: number;
}

/** The robot holding a car. */
export interface LiftHolder extends LiftRequest {
  /** Clock ms the car was granted. */
  grantedAt: number;
  /** It reported the ride under way (calling the car, in it, leaving it): it may be inside. */
  aboard: boolean;
}

/** One car: its holder, if any, and the robots waiting in the order they asked. */
export interface LiftCar {
  holder?: LiftHolder;
  queue: LiftRequest[];
}

/** Every car with a holder or a queue, by lift id (a car nobody uses is absent). */
export type LiftSessions = ReadonlyMap<string, LiftCar>;

export type LiftEvent =
  /** A robot stands at the landing and asks for the car (repeats are ignored). */
  | { type: 'request'; request: LiftRequest }
  /**
   * A robot reports its ride under way. Known session: it is aboard. Unknown (the controller
   * restarted mid-ride): it holds the car, or is served next when the car is held already.
   */
  | { type: 'riding'; request: LiftRequest }
  /** The ride ended: the robot stands on the far landing (or the ride failed there). */
  | { type: 'ended'; session: string }
  /**
   * The robot's order is over (cancelled, failed, abandoned, done): its place in any queue is
   * given up. A car it was granted stays held until it reports the ride over (`ended`). With
   * `sessionPrefix`, only the sessions whose id starts with it (those of one trip's orders: a
   * robot may already be on the next).
   */
  | { type: 'cancelled'; robot: string; sessionPrefix?: string }
  /** The robot went offline: its place in any queue is given up; a car it was granted stays held until it reports the ride over. */
  | { type: 'offline'; robot: string };

/** What the shell must do: tell a robot it has the car; and what it may log. */
export type LiftEffect = { type: 'grant'; holder: LiftHolder } | { type: 'released'; lift: string; session: string; robot: string; reason: 'ended' | 'superseded' };

/** The sessions after `event` at clock ms `now`, and what to do about it. Never mutates `sessions`. */
export function reduceLiftSessions(sessions: LiftSessions, event: LiftEvent, now: number): { sessions: LiftSessions; effects: LiftEffect[] } {
  const cars = new Map<string, LiftCar>([...sessions].map(([lift, car]) => [lift, { ...(car.holder ? { holder: car.holder } : {}), queue: [...car.queue] }]));
  const effects: LiftEffect[] = [];
  const release = (lift: string, car: LiftCar, reason: Extract<LiftEffect, { type: 'released' }>['reason']) => {
    const holder = car.holder!;
    effects.push({ type: 'released', lift, session: holder.session, robot: holder.robot, reason });
    car.holder = undefined;
  };

  switch (event.type) {
    case 'request':
    case 'riding': {
      const request = event.request;
      if (holds(cars, request.session) || queued(cars, request.session)) {
        if (event.type === 'riding') for (const car of cars.values()) if (car.holder?.session === request.session) car.holder = { ...car.holder, aboard: true };
        break;
      }
      // A robot asks for one car at a time: an older session of its own is over.
      for (const [lift, car] of cars) {
        car.queue = car.queue.filter((r) => r.robot !== request.robot);
        if (car.holder?.robot === request.robot) release(lift, car, 'superseded');
      }
      const car: LiftCar = cars.get(request.lift) ?? { queue: [] };
      cars.set(request.lift, car);
      if (event.type === 'riding') {
        if (!car.holder) car.holder = { ...request, grantedAt: now, aboard: true };
        else car.queue.unshift(request);
      } else car.queue.push(request);
      break;
    }
    case 'ended':
      for (const [lift, car] of cars) {
        if (car.holder?.session === event.session) release(lift, car, 'ended');
        car.queue = car.queue.filter((r) => r.session !== event.session);
      }
      break;
    case 'cancelled':
    case 'offline': {
      const prefix = event.type === 'cancelled' ? (event.sessionPrefix ?? '') : '';
      for (const car of cars.values()) car.queue = car.queue.filter((r) => r.robot !== event.robot || !r.session.startsWith(prefix));
      break;
    }
  }

  // A free car goes to the first robot waiting for it.
  for (const car of cars.values()) {
    const next = car.holder ? undefined : car.queue.shift();
    if (!next) continue;
    car.holder = { ...next, grantedAt: now, aboard: false };
    effects.push({ type: 'grant', holder: car.holder });
  }
  for (const [lift, car] of cars) if (!car.holder && car.queue.length === 0) cars.delete(lift);
  return { sessions: cars, effects };
}

function holds(cars: LiftSessions, session: string): boolean {
  return [...cars.values()].some((car) => car.holder?.session === session);
}

function queued(cars: LiftSessions, session: string): boolean {
  return [...cars.values()].some((car) => car.queue.some((r) => r.session === session));
}
