/**
 * A ROS 2 robot's trips end to end: the controller and a real broker (aedes here, Mosquitto in
 * CI), the bridge with the Nav2 driver and Open-RMF's lift and door ports, and the ROS 2
 * stand-in underneath (Nav2, map server, AMCL, one RMF lift, one RMF door; see `stand-in/`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../protocol/index.js';
import { officialSchemaValidator } from '../../protocol/vda5050/official-schemas.test-support.js';
import { waitFor } from '../../sim/scenario.js';
import { DoorModeValue, LiftDoor } from './messages.js';
import { startRig } from './ros2-rig.test-support.js';

async function sendTrip(rig: Awaited<ReturnType<typeof startRig>>): Promise<string> {
  await waitFor(() => rig.app.fleet.list().some((r) => r.id === 'ros-1' && r.state === 'idle'), 10_000, 'the ROS 2 robot idle');
  const reply = await rig.app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'ros-1', trays: [{ tray: 1, room: '101' }] } });
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json<{ id: string }>().id;
}

const tripOver = (rig: Awaited<ReturnType<typeof startRig>>, id: string) => ['done', 'failed'].includes(rig.app.trips.get(id)?.status ?? '');

describe('a ROS 2 robot (Nav2, Open-RMF lift and door) under the controller', () => {
  let rig: Awaited<ReturnType<typeof startRig>> | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('delivers to a room upstairs: through the ward door, up and down in the lift (a session per ride, each ended), the map switched at each level', async () => {
    rig = await startRig();
    const { app, robot } = rig;
    const maps: string[] = [];
    const watch = setInterval(() => {
      if (robot.nav2.mapUrl && maps.at(-1) !== robot.nav2.mapUrl) maps.push(robot.nav2.mapUrl);
    }, 2);
    const id = await sendTrip(rig);
    await waitFor(() => tripOver(rig!, id), 60_000, 'trip over');
    clearInterval(watch);
    expect(app.trips.get(id), app.trips.get(id)!.reason).toMatchObject({ status: 'done', trays: [{ status: 'delivered' }] });
    // Two rides, each in a session of its own, both ended; the car back in human mode.
    expect(robot.lift.sessions).toEqual(['ros-1:A:1', 'ros-1:A:2']);
    await waitFor(() => robot.lift.state.session_id === '', 5000, 'last session ended');
    expect(robot.liftPort.session('A')).toBeUndefined();
    // The ward door opened for the way in and the way out, and closed after each.
    const opened = robot.door.history.filter((m) => m === DoorModeValue.OPEN).length;
    expect(opened).toBe(2);
    await waitFor(() => robot.door.mode === DoorModeValue.CLOSED, 5000, 'door closed');
    expect(maps).toEqual(['/maps/hotel_F1.yaml', '/maps/hotel_G.yaml']);
    expect(robot.trays.spoken).toHaveLength(1);
    expect(robot.trays.opened).toEqual([1]);
    expect(robot.driver.status().position.mapId).toBe('G');
    // Nav2's feedback reached the controller as VDA 5050 information; every state is valid by the official schema.
    const navigation = rig.states.flatMap((s) => s.information ?? []).filter((i) => i.infoType === 'navigation');
    expect(navigation.length).toBeGreaterThan(0);
    expect(navigation[0]!.infoReferences!.map((r) => r.referenceKey)).toEqual(['distanceRemainingM', 'etaS']);
    const validate = officialSchemaValidator();
    for (const state of rig.states) expect(validate('state', state)).toEqual([]);
  }, 90_000);

  it('a goal Nav2 rejects fails the trip with an alert naming the room', async () => {
    rig = await startRig();
    rig.robot.nav2.rejectGoals(1);
    const id = await sendTrip(rig);
    await waitFor(() => tripOver(rig!, id), 30_000, 'trip over');
    expect(rig.app.trips.get(id)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/Nav2 rejected the goal to node G-loading/) });
    const alerts = (await rig.app.inject({ url: '/api/alerts' })).json<Alert[]>().filter((a) => a.kind === 'tripFailed');
    expect(alerts.map((a) => a.room)).toEqual(['101']);
  }, 60_000);

  it('a goal Nav2 aborts mid-way, upstairs: the trip ends failed with an alert, not a hang, and no lift session is left', async () => {
    rig = await startRig();
    const { app, robot } = rig;
    let armed = false;
    app.fleet.on('state', (robotId: string, state: { lastNodeId: string }) => {
      if (robotId === 'ros-1' && state.lastNodeId === 'F1-liftA' && !armed) {
        armed = true;
        robot.nav2.abortNextAfterM(1, { error_code: 104, error_msg: 'robot is blocked' });
      }
    });
    const id = await sendTrip(rig);
    await waitFor(() => tripOver(rig!, id), 60_000, 'trip over');
    expect(armed).toBe(true);
    expect(app.trips.get(id)).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/Nav2 aborted the goal to node F1-\S+ \(error_code 104: robot is blocked\)/),
      trays: [{ status: 'failed' }],
    });
    const alerts = (await app.inject({ url: '/api/alerts' })).json<Alert[]>().filter((a) => a.kind === 'tripFailed');
    expect(alerts.map((a) => a.room)).toEqual(['101']);
    await waitFor(() => robot.lift.state.session_id === '', 5000, 'no session held');
  }, 90_000);

  it('a trip cancelled while the robot rides the lift: the ride fails, the Open-RMF session is ended and the controller frees the car', async () => {
    rig = await startRig();
    const { app, robot } = rig;
    const id = await sendTrip(rig);
    await waitFor(
      () =>
        robot.lift.state.session_id !== '' &&
        robot.lift.state.door_state !== LiftDoor.OPEN &&
        robot.lift.state.current_floor === 'G' &&
        robot.nav2.mapUrl === undefined &&
        robot.trays.occupancy[0] === 1 &&
        rig!.states.at(-1)?.actionStates.some((a) => a.actionType === 'liftRide' && a.actionStatus === 'RUNNING') === true,
      60_000,
      'riding up',
    );
    expect(app.trips.stall(id, 'cancelled by the medic')?.status).toBe('failed');
    await waitFor(() => rig!.states.at(-1)?.actionStates.some((a) => a.actionType === 'liftRide' && a.actionStatus === 'FAILED') === true, 10_000, 'the ride failed on the robot');
    await waitFor(() => robot.lift.state.session_id === '', 5000, 'session ended');
    expect(robot.lift.sessions).toEqual(['ros-1:A:1']);
    await waitFor(() => app.trips.lifts.view().every((car) => !car.holder), 5000, 'the controller freed the car');
  }, 90_000);

  it('a lift adapter that never answers: the ride fails after the timeout, the trip ends with an alert, and the session is ended', async () => {
    rig = await startRig(undefined, { liftTimeoutMs: 60_000 });
    const { app, robot } = rig;
    // The adapter answered once (the car idle upstairs), then goes quiet.
    await waitFor(() => robot.liftPort.state('A') !== undefined, 5000, 'a lift state');
    robot.lift.silent = true;
    const id = await sendTrip(rig);
    await waitFor(() => tripOver(rig!, id), 60_000, 'trip over');
    expect(app.trips.get(id)).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/lift A: the car did not stand at G with its doors open within 60 s \(last state: floor F1, door 0, mode 1, session none\)/),
    });
    const alerts = (await app.inject({ url: '/api/alerts' })).json<Alert[]>().filter((a) => a.kind === 'tripFailed');
    expect(alerts.map((a) => a.room)).toEqual(['101']);
    expect(robot.graph.messages<{ request_type: number }>('/adapter_lift_requests').at(-1)).toMatchObject({ request_type: 0 });
    await waitFor(() => app.trips.lifts.view().every((car) => !car.holder), 5000, 'the controller freed the car');
  }, 90_000);
});
