/**
 * TEST STAND-IN for a building run by Open-RMF (ROS 2 cannot be installed where the tests run):
 * lift and door adapters on the topics and messages Open-RMF uses (rmf_fleet_adapter
 * StandardNames.hpp; rmf_lift_msgs, rmf_door_msgs), with the supervisors' part folded in.
 * - Lift (as rmf_simulation's LiftCommon behind rmf_fleet_adapter's lift_supervisor): reads
 *   `LiftRequest` on `/adapter_lift_requests`; a request in AGV mode takes a free car into its
 *   `session_id` (requests of other sessions wait while one holds it, as the supervisor queues
 *   them); the car closes its doors (`doorS`, door MOVING), travels floor by floor (`perFloorS`,
 *   motion UP/DOWN, `current_floor` updated per floor) and opens its doors at the destination
 *   when asked `DOOR_OPEN`; `REQUEST_END_SESSION` of the holding session clears `session_id` and
 *   returns the car to HUMAN mode. `LiftState` goes to `/lift_states` on every change and every
 *   second. Faults: `silent` (the adapter is down: no answer, no state), a mode (`FIRE`).
 * - Door (as a door adapter behind the door supervisor): reads `DoorRequest` on
 *   `/adapter_door_requests`; open while any requester wants it open (`doorS` to open or close,
 *   MODE_MOVING between), `DoorState` on `/door_states` on every change and every second.
 * Not modelled: the supervisors' heartbeats, several lift requesters' priorities, human calls.
 */
import type { Clock, ClockTimer } from '../../../protocol/index.js';
import { DoorModeValue, LiftDoor, LiftMode, LiftMotion, LiftRequestType, RmfTopics, RosTypes, rosTime, type DoorRequest, type LiftRequest, type LiftState } from '../messages.js';
import type { RosGraph } from './ros-graph.js';

export interface StandInLiftOptions {
  graph: RosGraph;
  clock: Clock;
  name: string;
  floors: string[];
  startFloor?: string;
  doorS?: number;
  perFloorS?: number;
}

export class StandInRmfLift {
  readonly state: LiftState;
  /** The adapter is down: it neither answers nor publishes. */
  silent = false;
  /** Every session that held the car, in order. */
  readonly sessions: string[] = [];
  private motion?: ClockTimer;
  private heartbeat: ClockTimer;
  private stopped = false;

  constructor(private readonly options: StandInLiftOptions) {
    this.state = {
      lift_time: rosTime(options.clock.now()),
      lift_name: options.name,
      available_floors: [...options.floors],
      current_floor: options.startFloor ?? options.floors[0]!,
      destination_floor: options.startFloor ?? options.floors[0]!,
      door_state: LiftDoor.CLOSED,
      motion_state: LiftMotion.STOPPED,
      available_modes: [LiftMode.HUMAN, LiftMode.AGV],
      current_mode: LiftMode.HUMAN,
      session_id: '',
    };
    options.graph.subscribe(RmfTopics.adapterLiftRequests, RosTypes.liftRequest, (request: LiftRequest) => this.onRequest(request));
    const beat = () => {
      this.publish();
      if (!this.stopped) this.heartbeat = options.clock.setTimeout(beat, 1000);
    };
    this.heartbeat = options.clock.setTimeout(beat, 1000);
  }

  /** Puts the car in `mode` (FIRE, EMERGENCY, OFFLINE: it stops serving sessions). */
  setMode(mode: number): void {
    this.state.current_mode = mode;
    this.publish();
  }

  /** Stops its timers. */
  close(): void {
    this.stopped = true;
    this.options.clock.clearTimeout(this.heartbeat);
    if (this.motion) this.options.clock.clearTimeout(this.motion);
  }

  private onRequest(request: LiftRequest): void {
    if (this.silent || request.lift_name !== this.state.lift_name) return;
    const mode = this.state.current_mode;
    if (mode !== LiftMode.HUMAN && mode !== LiftMode.AGV) return;
    if (request.request_type === LiftRequestType.END_SESSION) {
      if (request.session_id !== this.state.session_id) return;
      this.state.session_id = '';
      this.state.current_mode = LiftMode.HUMAN;
      this.moveTo(this.state.current_floor, LiftDoor.CLOSED);
      return;
    }
    if (this.state.session_id && this.state.session_id !== request.session_id) return; // queued by the supervisor
    if (!this.state.available_floors.includes(request.destination_floor)) return;
    if (this.state.session_id !== request.session_id) {
      this.state.session_id = request.session_id;
      this.sessions.push(request.session_id);
    }
    this.state.current_mode = LiftMode.AGV;
    if (this.state.destination_floor === request.destination_floor && (this.motion || this.state.door_state === request.door_state)) return; // already on it
    this.moveTo(request.destination_floor, request.door_state);
  }

  /** Doors close, the car travels, doors as asked at the destination. */
  private moveTo(floor: string, door: number): void {
    const { clock, doorS = 2, perFloorS = 1 } = this.options;
    if (this.motion) clock.clearTimeout(this.motion);
    this.state.destination_floor = floor;
    const step = () => {
      this.motion = undefined;
      const floors = this.state.available_floors;
      const at = floors.indexOf(this.state.current_floor);
      const to = floors.indexOf(floor);
      if (at !== to && this.state.door_state !== LiftDoor.CLOSED) {
        this.state.door_state = LiftDoor.MOVING;
        this.publish();
        this.motion = clock.setTimeout(() => {
          this.state.door_state = LiftDoor.CLOSED;
          step();
        }, doorS * 1000);
        return;
      }
      if (at !== to) {
        this.state.motion_state = to > at ? LiftMotion.UP : LiftMotion.DOWN;
        this.publish();
        this.motion = clock.setTimeout(() => {
          this.state.current_floor = floors[at + Math.sign(to - at)]!;
          step();
        }, perFloorS * 1000);
        return;
      }
      this.state.motion_state = LiftMotion.STOPPED;
      if (this.state.door_state !== door) {
        this.state.door_state = LiftDoor.MOVING;
        this.publish();
        this.motion = clock.setTimeout(() => {
          this.motion = undefined;
          this.state.door_state = door;
          this.publish();
        }, doorS * 1000);
        return;
      }
      this.publish();
    };
    step();
  }

  private publish(): void {
    if (this.silent || this.stopped) return;
    this.state.lift_time = rosTime(this.options.clock.now());
    this.options.graph.publish(RmfTopics.liftStates, RosTypes.liftState, this.state);
  }
}

export interface StandInDoorOptions {
  graph: RosGraph;
  clock: Clock;
  name: string;
  doorS?: number;
}

export class StandInRmfDoor {
  mode: number = DoorModeValue.CLOSED;
  /** Requesters that want the door open. */
  readonly holders = new Set<string>();
  /** Every mode the door was in, in order. */
  readonly history: number[] = [DoorModeValue.CLOSED];
  private motion?: ClockTimer;
  private heartbeat: ClockTimer;
  private stopped = false;

  constructor(private readonly options: StandInDoorOptions) {
    options.graph.subscribe(RmfTopics.adapterDoorRequests, RosTypes.doorRequest, (request: DoorRequest) => {
      if (request.door_name !== options.name || this.mode === DoorModeValue.OFFLINE) return;
      if (request.requested_mode.value === DoorModeValue.OPEN) this.holders.add(request.requester_id);
      else this.holders.delete(request.requester_id);
      this.drive();
    });
    const beat = () => {
      this.publish();
      if (!this.stopped) this.heartbeat = options.clock.setTimeout(beat, 1000);
    };
    this.heartbeat = options.clock.setTimeout(beat, 1000);
  }

  close(): void {
    this.stopped = true;
    this.options.clock.clearTimeout(this.heartbeat);
    if (this.motion) this.options.clock.clearTimeout(this.motion);
  }

  /** The door's controller goes offline (it answers no request and says so). */
  goOffline(): void {
    if (this.motion) this.options.clock.clearTimeout(this.motion);
    this.motion = undefined;
    this.set(DoorModeValue.OFFLINE);
  }

  private drive(): void {
    const want = this.holders.size > 0 ? DoorModeValue.OPEN : DoorModeValue.CLOSED;
    if (this.mode === want || this.motion) return;
    this.set(DoorModeValue.MOVING);
    this.motion = this.options.clock.setTimeout(
      () => {
        this.motion = undefined;
        this.set(want);
        this.drive(); // asked the other way meanwhile
      },
      (this.options.doorS ?? 2) * 1000,
    );
  }

  private set(mode: number): void {
    this.mode = mode;
    this.history.push(mode);
    this.publish();
  }

  private publish(): void {
    if (this.stopped) return;
    this.options.graph.publish(RmfTopics.doorStates, RosTypes.doorState, { door_time: rosTime(this.options.clock.now()), door_name: this.options.name, current_mode: { value: this.mode } });
  }
}
