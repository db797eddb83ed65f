import { sleep, type Clock } from '../../protocol/index.js';
import type { LiftPort } from '../lift-port.js';
import { LiftDoor, LiftMode, LiftRequestType, RmfTopics, RosTypes, rosTime, type LiftRequest, type LiftState } from './messages.js';
import type { Ros2, RosPublisher } from './ros-api.js';

export interface RmfLiftPortOptions {
  ros: Ros2;
  clock: Clock;
  /** Who rides: the robot's id, the prefix of every session id (`robot-1:lift A:3`). */
  requester: string;
  /** Longest wait for the car to stand at a floor with its doors open, clock ms. Default 5 min. */
  timeoutMs?: number;
  /** Re-send period of a request until the lift answers it, clock ms. Default 1 s, as Open-RMF's fleet adapter does. */
  resendMs?: number;
  /** Told when a ride gives up waiting (the bridge fails the ride; this is for a log line or an alert of the site's own). */
  onTimeout?: (lift: string, detail: string) => void;
}

/**
 * The site's lifts through Open-RMF's lift adapters (rmf_lift_msgs), as Open-RMF's own fleet
 * adapter drives them (rmf_fleet_adapter, phases RequestLift and EndLiftSession): each ride is a
 * session of its own; `LiftRequest` with `REQUEST_AGV_MODE`, the floor and `DOOR_OPEN` goes to
 * `/adapter_lift_requests` (the lift supervisor forwards it) and is sent again every second until
 * `/lift_states` shows the car in AGV mode, in this session, at that floor, doors open. The
 * session ends (`REQUEST_END_SESSION`, sent again until the lift shows another session or none)
 * when the robot is out, when the ride is cancelled, and when it fails, so no robot keeps a car
 * (Open-RMF's known failure, rmf#550). A car that does not answer within the timeout fails the
 * ride with an Error naming the lift, the floor and what the lift last said.
 */
export class RmfLiftPort implements LiftPort {
  private readonly requests: RosPublisher<LiftRequest>;
  private readonly states = new Map<string, LiftState>();
  private readonly listeners = new Set<() => void>();
  /** The session of each car this robot holds. */
  private readonly sessions = new Map<string, string>();
  private rides = 0;

  constructor(private readonly options: RmfLiftPortOptions) {
    const { node, latchedQos } = options.ros;
    // Transient local: Open-RMF's lift supervisor subscribes with it (a volatile publisher would not match).
    this.requests = node.createPublisher(RosTypes.liftRequest, RmfTopics.adapterLiftRequests, { qos: latchedQos }) as RosPublisher<LiftRequest>;
    node.createSubscription(RosTypes.liftState, RmfTopics.liftStates, {}, (state: LiftState) => {
      this.states.set(state.lift_name, state);
      for (const listener of this.listeners) listener();
    });
  }

  /** The last `LiftState` of `lift`, if one came. */
  state(lift: string): LiftState | undefined {
    return this.states.get(lift);
  }

  /** The session this robot holds on `lift`, if any. */
  session(lift: string): string | undefined {
    return this.sessions.get(lift);
  }

  callCar(lift: string, level: string, signal: AbortSignal): Promise<void> {
    if (!this.sessions.has(lift)) this.sessions.set(lift, `${this.options.requester}:${lift}:${++this.rides}`);
    return this.toFloor(lift, level, signal);
  }

  travel(lift: string, level: string, signal: AbortSignal): Promise<void> {
    if (!this.sessions.has(lift)) return Promise.reject(new Error(`lift ${lift}: no session (the car was not called)`));
    return this.toFloor(lift, level, signal);
  }

  release(lift: string): void {
    const session = this.sessions.get(lift);
    if (!session) return;
    this.sessions.delete(lift);
    void this.endSession(lift, session);
  }

  /** Asks the car to `level` in this robot's session with the doors open there; resolves once it stands there so. */
  private async toFloor(lift: string, level: string, signal: AbortSignal): Promise<void> {
    const session = this.sessions.get(lift)!;
    const known = this.states.get(lift);
    if (known && known.available_floors.length > 0 && !known.available_floors.includes(level))
      throw new Error(`lift ${lift} does not serve floor ${level} (it serves ${known.available_floors.join(', ')})`);
    const request: Omit<LiftRequest, 'request_time'> = { lift_name: lift, session_id: session, request_type: LiftRequestType.AGV_MODE, destination_floor: level, door_state: LiftDoor.OPEN };
    const arrived = () => {
      const s = this.states.get(lift);
      return s?.session_id === session && s.current_mode === LiftMode.AGV && s.current_floor === level && s.door_state === LiftDoor.OPEN;
    };
    const refused = () => {
      const s = this.states.get(lift);
      const mode = s ? Object.entries(LiftMode).find(([, v]) => v === s.current_mode)?.[0] : undefined;
      return s && (s.current_mode === LiftMode.FIRE || s.current_mode === LiftMode.EMERGENCY || s.current_mode === LiftMode.OFFLINE) ? `lift ${lift} is in ${mode} mode` : undefined;
    };
    const outcome = await this.until(
      () => arrived() || refused() !== undefined,
      () => this.publish(request),
      signal,
    );
    if (arrived()) return;
    const why = refused();
    if (why) throw new Error(why);
    const s = this.states.get(lift);
    const detail = `lift ${lift}: the car did not stand at ${level} with its doors open within ${(this.options.timeoutMs ?? 300_000) / 1000} s (${
      s ? `last state: floor ${s.current_floor}, door ${s.door_state}, mode ${s.current_mode}, session ${s.session_id || 'none'}` : 'no lift_states from it'
    })`;
    if (outcome === 'timeout') this.options.onTimeout?.(lift, detail);
    throw new Error(detail);
  }

  /**
   * Ends `session`: END_SESSION at once (the lift may hold the session without our having seen
   * it say so), then again until the lift shows another session or none (at most the timeout).
   */
  private async endSession(lift: string, session: string): Promise<void> {
    const request = {
      lift_name: lift,
      session_id: session,
      request_type: LiftRequestType.END_SESSION,
      destination_floor: this.states.get(lift)?.current_floor ?? '',
      door_state: LiftDoor.CLOSED,
    };
    this.publish(request);
    await this.until(
      () => this.states.get(lift)?.session_id !== session,
      () => this.publish(request),
      new AbortController().signal,
    );
  }

  private publish(request: Omit<LiftRequest, 'request_time'>): void {
    this.requests.publish({ ...request, request_time: rosTime(this.options.clock.now()) });
  }

  /**
   * Calls `send` now and every `resendMs` until `done` holds (checked on every lift state):
   * 'done', or 'timeout' after `timeoutMs`; rejects with the signal's reason when aborted.
   */
  private async until(done: () => boolean, send: () => void, signal: AbortSignal): Promise<'done' | 'timeout'> {
    const { clock, timeoutMs = 300_000, resendMs = 1000 } = this.options;
    const deadline = clock.now() + timeoutMs;
    let wake: (() => void) | undefined;
    const off = (() => {
      const listener = () => wake?.();
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    })();
    try {
      while (!done()) {
        if (signal.aborted) throw signal.reason;
        if (clock.now() >= deadline) return 'timeout';
        send();
        const tick = new AbortController();
        const onAbort = () => tick.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        wake = () => {
          if (done()) tick.abort();
        };
        await sleep(clock, Math.min(resendMs, Math.max(0, deadline - clock.now())), tick.signal).catch(() => {});
        signal.removeEventListener('abort', onAbort);
      }
      return 'done';
    } finally {
      off();
    }
  }
}
