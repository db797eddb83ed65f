import { sleep, type Clock } from '../../protocol/index.js';
import type { DoorPort } from '../door-port.js';
import { DoorModeValue, RmfTopics, RosTypes, rosTime, type DoorRequest, type DoorState } from './messages.js';
import type { Ros2, RosPublisher } from './ros-api.js';

export interface RmfDoorPortOptions {
  ros: Ros2;
  clock: Clock;
  /** `requester_id` of every request: the robot's id (the door supervisor keeps a door open while any requester wants it). */
  requester: string;
  /** Longest wait for a door to report open, clock ms. Default 60 s. */
  timeoutMs?: number;
  /** Re-send period of an open request until the door answers, clock ms. Default 1 s. */
  resendMs?: number;
}

/**
 * The building's doors through Open-RMF's door adapters (rmf_door_msgs), as Open-RMF's fleet
 * adapter asks them (phases DoorOpen and DoorClose): `DoorRequest` with `MODE_OPEN` to
 * `/adapter_door_requests` (the door supervisor forwards it), sent again every second until
 * `/door_states` shows the door `MODE_OPEN`; after passing, `MODE_CLOSED` from the same
 * requester. A door that reports `MODE_OFFLINE`, or does not open within the timeout, fails the
 * drive with an Error naming it.
 */
export class RmfDoorPort implements DoorPort {
  private readonly requests: RosPublisher<DoorRequest>;
  private readonly states = new Map<string, DoorState>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RmfDoorPortOptions) {
    this.requests = options.ros.node.createPublisher(RosTypes.doorRequest, RmfTopics.adapterDoorRequests) as RosPublisher<DoorRequest>;
    options.ros.node.createSubscription(RosTypes.doorState, RmfTopics.doorStates, {}, (state: DoorState) => {
      this.states.set(state.door_name, state);
      for (const listener of this.listeners) listener();
    });
  }

  /** The last `DoorState` of `door`, if one came. */
  state(door: string): DoorState | undefined {
    return this.states.get(door);
  }

  async open(door: string, signal: AbortSignal): Promise<void> {
    const { clock, timeoutMs = 60_000, resendMs = 1000 } = this.options;
    const mode = () => this.states.get(door)?.current_mode.value;
    const deadline = clock.now() + timeoutMs;
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    this.listeners.add(listener);
    try {
      while (mode() !== DoorModeValue.OPEN) {
        if (signal.aborted) throw signal.reason;
        if (mode() === DoorModeValue.OFFLINE) throw new Error(`door ${door} is offline`);
        if (clock.now() >= deadline) throw new Error(`door ${door} did not open within ${timeoutMs / 1000} s (${this.states.has(door) ? `mode ${mode()}` : 'no door_states from it'})`);
        this.publish(door, DoorModeValue.OPEN);
        const tick = new AbortController();
        const onAbort = () => tick.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        wake = () => {
          const now = mode();
          if (now === DoorModeValue.OPEN || now === DoorModeValue.OFFLINE) tick.abort();
        };
        await sleep(clock, Math.min(resendMs, Math.max(0, deadline - clock.now())), tick.signal).catch(() => {});
        signal.removeEventListener('abort', onAbort);
      }
    } finally {
      this.listeners.delete(listener);
    }
  }

  close(door: string): void {
    this.publish(door, DoorModeValue.CLOSED);
  }

  private publish(door: string, value: number): void {
    this.requests.publish({ request_time: rosTime(this.options.clock.now()), requester_id: this.options.requester, door_name: door, requested_mode: { value } });
  }
}
