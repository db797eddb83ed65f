/**
 * One contract for every robot driver: the same trip (tray 1 to room 101 upstairs, through the
 * lift, back to the station) on the simulated driver and on the Nav2 driver over the ROS 2
 * stand-in, each under the real bridge and controller on a real broker. What the controller
 * reads from a robot's state (the node it stands on, each action's status in order, the loads,
 * the errors, whether it holds an order) must go through the same sequence for both, from the order on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { State } from '../../protocol/index.js';
import { buildApp } from '../../controller/app.js';
import { brokerForTests, uniqueManufacturer } from '../../controller/transport/test-broker.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { hotel, startRig } from './ros2-rig.test-support.js';

/** What the controller acts on in a state, with the trip's own ids left out. */
function seen(state: State): string {
  return JSON.stringify({
    onOrder: state.orderId !== '',
    lastNodeId: state.lastNodeId,
    actions: state.actionStates.map((a) => `${a.actionType}:${a.actionStatus}`),
    loads: (state.loads ?? []).map((l) => `${l.loadPosition}:${l.loadId ?? ''}`),
    errors: state.errors.map((e) => `${e.errorType}:${e.errorLevel}`),
  });
}

/**
 * The states from the trip's order on, as a sequence of distinct steps (a heartbeat repeating the
 * last one adds nothing). What came before depends on when each robot connected relative to the
 * test's listener, not on its driver.
 */
const steps = (states: State[]) =>
  states
    .slice(
      Math.max(
        0,
        states.findIndex((s) => s.orderId !== ''),
      ),
    )
    .map(seen)
    .filter((s, i, all) => i === 0 || all[i - 1] !== s);

async function tripOn(app: Awaited<ReturnType<typeof buildApp>>, robot: string): Promise<void> {
  await waitFor(() => app.fleet.list().some((r) => r.id === robot && r.state === 'idle'), 10_000, `${robot} idle`);
  const reply = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot, trays: [{ tray: 1, room: '101' }] } });
  expect(reply.statusCode, reply.body).toBe(201);
  const id = reply.json<{ id: string }>().id;
  await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)?.status ?? ''), 60_000, `${robot}'s trip over`);
  expect(app.trips.get(id), app.trips.get(id)?.reason).toMatchObject({ status: 'done', trays: [{ status: 'delivered' }] });
}

describe('driver contract: the simulated and the ROS 2 driver give the controller the same states', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('one trip upstairs and back, step by step', async () => {
    // The simulated robot.
    const broker = await brokerForTests();
    const manufacturer = uniqueManufacturer('contract');
    const clock = new ScaledClock(50);
    const app = await buildApp({ site: hotel, mqttUrl: broker.url, manufacturer, clock });
    const world = new SimWorld({ site: hotel, clock, seed: 1, medicPerTrayS: 5, residents: { minS: 5, maxS: 5, neverShare: 0 } });
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 1, manufacturer, visualizationIntervalMs: 20_000 });
    closers.push(async () => {
      await app.close();
      await fleet.stop();
      await broker.close();
    });
    const simStates: State[] = [];
    app.fleet.on('state', (id: string, state: State) => void (id === 'robot-1' && simStates.push(state)));
    await tripOn(app, 'robot-1');

    // The ROS 2 robot.
    const rig = await startRig();
    closers.push(rig.close);
    await tripOn(rig.app, 'ros-1');

    const sim = steps(simStates);
    const ros = steps(rig.states);
    expect(sim.length).toBeGreaterThan(25);
    expect(ros).toEqual(sim);
  });
});
