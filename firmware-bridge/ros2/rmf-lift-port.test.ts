/**
 * The Open-RMF lift port against the stand-in lift adapter (`stand-in/rmf-building.ts`), on a
 * scaled clock: one session per ride, ended on arrival, on cancel and on failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEdge } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import type { DriveTarget } from '../driver.js';
import { rideLift } from '../lift-port.js';
import { LiftDoor, LiftMode, LiftRequestType, RmfTopics, type LiftRequest } from './messages.js';
import { RmfLiftPort } from './rmf-lift-port.js';
import { StandInRmfLift } from './stand-in/rmf-building.js';
import { RosGraph } from './stand-in/ros-graph.js';

const edge: OrderEdge = { edgeId: 'ride', sequenceId: 1, startNodeId: 'lift-A-L1', endNodeId: 'lift-A-L3', released: true, actions: [] };
const target: DriveTarget = { fromNodeId: 'lift-A-L1', nodeId: 'lift-A-L3', edgeId: 'ride', edge };
/** A robot that boards and leaves at once, recording when. */
const robot = (log: string[]) => ({
  boardLift: async () => void log.push('board'),
  leaveLift: async () => void log.push('leave'),
});

function setup(options: { timeoutMs?: number } = {}) {
  const clock = new ScaledClock(40);
  const graph = new RosGraph();
  const lift = new StandInRmfLift({ graph, clock, name: 'A', floors: ['L1', 'L2', 'L3'], startFloor: 'L2' });
  const timeouts: string[] = [];
  const port = (requester: string) =>
    new RmfLiftPort({ ros: graph.ros(`/${requester}`), clock, requester, timeoutMs: options.timeoutMs, onTimeout: (_lift, detail) => timeouts.push(detail) });
  return { clock, graph, lift, port, timeouts, close: () => lift.close() };
}

describe('RmfLiftPort over the stand-in Open-RMF lift adapter', () => {
  let current: ReturnType<typeof setup> | undefined;
  afterEach(() => {
    current?.close();
    current = undefined;
  });

  it('a ride: the car comes in the ride’s session with its doors open, the robot boards, the car takes it up, and the session ends once it is out', async () => {
    current = setup();
    const { lift, graph } = current;
    const port = current.port('robot-1');
    const log: string[] = [];
    let atBoarding: { floor: string; door: number; session: string } | undefined;
    await rideLift(
      port,
      {
        boardLift: async () => {
          atBoarding = { floor: lift.state.current_floor, door: lift.state.door_state, session: lift.state.session_id };
          log.push('board');
        },
        leaveLift: async () => {
          log.push(`leave at ${lift.state.current_floor} doors ${lift.state.door_state}`);
        },
      },
      { lift: 'A', fromLevel: 'L1', toLevel: 'L3' },
      target,
      new AbortController().signal,
    );
    expect(atBoarding).toEqual({ floor: 'L1', door: LiftDoor.OPEN, session: 'robot-1:A:1' });
    expect(log).toEqual(['board', `leave at L3 doors ${LiftDoor.OPEN}`]);
    await waitFor(() => lift.state.session_id === '', 3000, 'session ended');
    expect(lift.state.current_mode).toBe(LiftMode.HUMAN);
    const requests = graph.messages<LiftRequest>(RmfTopics.adapterLiftRequests);
    expect(requests[0]).toMatchObject({ lift_name: 'A', session_id: 'robot-1:A:1', request_type: LiftRequestType.AGV_MODE, destination_floor: 'L1', door_state: LiftDoor.OPEN });
    expect(requests.some((r) => r.destination_floor === 'L3' && r.request_type === LiftRequestType.AGV_MODE)).toBe(true);
    expect(requests.at(-1)).toMatchObject({ session_id: 'robot-1:A:1', request_type: LiftRequestType.END_SESSION });
    expect(port.session('A')).toBeUndefined();
  });

  it('a ride cancelled while the car travels ends its session: the car is free for the next robot', async () => {
    current = setup();
    const { lift } = current;
    const first = current.port('robot-1');
    const abort = new AbortController();
    const log: string[] = [];
    const ride = rideLift(
      first,
      {
        boardLift: async () => {
          log.push('board');
          // Cancelled once the doors close behind the robot.
          const check = setInterval(() => {
            if (lift.state.door_state !== LiftDoor.OPEN) {
              clearInterval(check);
              abort.abort(new Error('cancelOrder'));
            }
          }, 1);
        },
        leaveLift: async () => void log.push('leave'),
      },
      { lift: 'A', fromLevel: 'L1', toLevel: 'L3' },
      target,
      abort.signal,
    );
    await expect(ride).rejects.toThrow('cancelOrder');
    expect(log).toEqual(['board']);
    await waitFor(() => lift.state.session_id === '', 3000, 'session ended after the cancel');
    // The next robot gets the car.
    await rideLift(current.port('robot-2'), robot(log), { lift: 'A', fromLevel: 'L2', toLevel: 'L1' }, target, new AbortController().signal);
    expect(lift.sessions).toEqual(['robot-1:A:1', 'robot-2:A:1']);
  });

  it('a car held by another session waits; it comes once that session ends', async () => {
    current = setup();
    const { lift } = current;
    const first = current.port('robot-1');
    await first.callCar('A', 'L1', new AbortController().signal);
    const second = current.port('robot-2');
    let granted = false;
    const call = second.callCar('A', 'L3', new AbortController().signal).then(() => (granted = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(granted).toBe(false);
    expect(lift.state.session_id).toBe('robot-1:A:1');
    first.release('A');
    await call;
    expect(lift.state).toMatchObject({ session_id: 'robot-2:A:1', current_floor: 'L3', door_state: LiftDoor.OPEN });
    second.release('A');
  });

  it('a lift adapter that does not answer fails the ride after the timeout, says so, and the session is ended', async () => {
    current = setup({ timeoutMs: 5000 });
    const { lift, graph, timeouts } = current;
    lift.silent = true;
    const log: string[] = [];
    await expect(rideLift(current.port('robot-1'), robot(log), { lift: 'A', fromLevel: 'L1', toLevel: 'L3' }, target, new AbortController().signal)).rejects.toThrow(
      'lift A: the car did not stand at L1 with its doors open within 5 s',
    );
    expect(timeouts).toHaveLength(1);
    expect(log).toEqual([]);
    await waitFor(() => graph.messages<LiftRequest>(RmfTopics.adapterLiftRequests).some((r) => r.request_type === LiftRequestType.END_SESSION), 2000, 'END_SESSION sent');
  });

  it('a car in fire mode refuses the ride at once, naming the mode', async () => {
    current = setup();
    current.lift.setMode(LiftMode.FIRE);
    const port = current.port('robot-1');
    await waitFor(() => port.state('A')?.current_mode === LiftMode.FIRE, 2000, 'the state seen');
    await expect(port.callCar('A', 'L1', new AbortController().signal)).rejects.toThrow('lift A is in FIRE mode');
    port.release('A');
  });
});
