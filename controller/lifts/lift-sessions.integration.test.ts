/**
 * The controller owns the lift cars: two simulated robots under the real bridge, through a real
 * broker (aedes here, Mosquitto in CI), on a hotel with one lift, both sent to the same floor.
 * The simulated car refuses a call while it serves another robot, so a double grant would fail a
 * trip instead of passing unseen.
 */
import type { FastifyInstance } from 'fastify';
import { io as socketClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { siteSchema, type LiftCarView, type State } from '../../protocol/index.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { generateHotel } from '../site/hotel-generator.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

const site = siteSchema.parse(generateHotel({ name: 'one-lift', floors: 3, roomsPerFloor: 4, lifts: 1, chargers: 2 }));

/** One status change of a lift ride as a robot reported it, on the simulated clock. */
interface RideStep {
  robot: string;
  session: string;
  status: string;
  lastNodeId: string;
  atMs: number;
}

async function setup() {
  const broker = await brokerForTests();
  const manufacturer = uniqueManufacturer('lifts');
  // x50: a robot silent for 61 s counts as offline, 1.2 s of real time even on a loaded machine.
  const clock = new ScaledClock(50);
  const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock });
  // The medic loads fast, so the second robot reaches the lift while the first rides it; residents come.
  const world = new SimWorld({ site, clock, seed: 5, medicPerTrayS: 5, residents: { minS: 10, maxS: 20, neverShare: 0 } });
  const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer, visualizationIntervalMs: 20_000 });
  const steps: RideStep[] = [];
  app.fleet.on('state', (robot: string, state: State) => {
    for (const a of state.actionStates) {
      if (a.actionType !== 'liftRide') continue;
      const last = steps.findLast((s) => s.session === a.actionId);
      if (last?.status !== a.actionStatus) steps.push({ robot, session: a.actionId, status: a.actionStatus, lastNodeId: state.lastNodeId, atMs: Date.parse(state.timestamp) });
    }
  });
  const views: LiftCarView[][] = [];
  app.trips.lifts.on('lifts', (view) => views.push(view));
  await waitFor(() => app.fleet.list().filter((r) => r.state === 'idle').length === 2, 10_000, 'two idle robots');
  return {
    app,
    world,
    steps,
    views,
    close: async () => {
      await app.close();
      await fleet.stop();
      await broker.close();
    },
  };
}

async function send(app: FastifyInstance, robot: string, room: string): Promise<string> {
  const reply = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot, trays: [{ tray: 1, room }] } });
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json<{ id: string }>().id;
}

/** The clock interval each session's robot used the car: from RUNNING to FINISHED or FAILED. */
function rides(steps: RideStep[]): { robot: string; session: string; fromMs: number; toMs: number }[] {
  return [...new Set(steps.map((s) => s.session))].flatMap((session) => {
    const running = steps.find((s) => s.session === session && s.status === 'RUNNING');
    const end = steps.find((s) => s.session === session && (s.status === 'FINISHED' || s.status === 'FAILED'));
    return running && end ? [{ robot: running.robot, session, fromMs: running.atMs, toMs: end.atMs }] : [];
  });
}

describe('lift sessions: the controller grants one robot per car', () => {
  let current: Awaited<ReturnType<typeof setup>> | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  it('two robots for the same car: the second waits at the landing until the first one’s ride ends; both trips done', async () => {
    current = await setup();
    const { app, steps, views } = current;
    // A screen following the cars live.
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const live = socketClient(url, { transports: ['websocket'], reconnection: false });
    const pushed: LiftCarView[][] = [];
    live.on('lifts', (view: LiftCarView[]) => pushed.push(view));
    await new Promise<void>((resolve) => live.on('connect', () => resolve()));
    const ids = [await send(app, 'robot-1', '201'), await send(app, 'robot-2', '202')];

    // While one rides, GET /api/lifts shows it holding the car and the other queueing.
    let seen: LiftCarView[] = [];
    await waitFor(
      async () => {
        seen = (await app.inject({ url: '/api/lifts' })).json<LiftCarView[]>();
        return (seen[0]?.queue.length ?? 0) > 0;
      },
      30_000,
      'a robot queueing for the car',
    );
    expect(seen).toHaveLength(1);
    const [car] = seen;
    expect(car).toMatchObject({ lift: 'A', holder: { fromLevel: 'G', toLevel: 'F2' }, queue: [{ fromLevel: 'G', toLevel: 'F2' }] });
    const first = car!.holder!.robot;
    const second = car!.queue[0]!.robot;
    expect(new Set([first, second])).toEqual(new Set(['robot-1', 'robot-2']));

    await waitFor(() => ids.every((id) => ['done', 'failed'].includes(app.trips.get(id)!.status)), 60_000, 'both trips over');
    for (const id of ids) expect(app.trips.get(id), app.trips.get(id)!.reason).toMatchObject({ status: 'done', trays: [{ status: 'delivered' }] });

    // The second robot stood at the landing asking for the car, and rode only after the first got out.
    const firstRide = (robot: string) =>
      rides(steps)
        .filter((r) => r.robot === robot)
        .sort((a, b) => a.fromMs - b.fromMs)[0]!;
    const upFirst = firstRide(first);
    const upSecond = firstRide(second);
    expect(steps.some((s) => s.robot === second && s.session === upSecond.session && s.status === 'INITIALIZING' && s.lastNodeId === 'G-liftA')).toBe(true);
    expect(upSecond.fromMs).toBeGreaterThanOrEqual(upFirst.toMs);
    // No two rides ever overlapped, up or down.
    const all = rides(steps).sort((a, b) => a.fromMs - b.fromMs);
    expect(all).toHaveLength(4);
    for (let i = 1; i < all.length; i++) expect(all[i]!.fromMs, `${all[i]!.session} after ${all[i - 1]!.session}`).toBeGreaterThanOrEqual(all[i - 1]!.toMs);
    // The view went through a queue and ends empty.
    expect(views.some((v) => v[0]?.holder?.robot === second && v[0].queue.length === 0)).toBe(true);
    expect((await app.inject({ url: '/api/lifts' })).json()).toEqual([]);
    // The screen saw the same: on connect no car in use, then a queue, and none in use at the end.
    await waitFor(() => pushed.at(-1)?.length === 0 && pushed.length > 2, 5_000, 'the last lifts push');
    expect(pushed[0]).toEqual([]);
    expect(pushed.some((v) => v[0]?.holder?.robot === first && v[0].queue[0]?.robot === second)).toBe(true);
    live.close();
  }, 90_000);

  it('a cancelled order releases the car once its robot is out of the ride; the robot waiting gets it and its trip ends done', async () => {
    current = await setup();
    const { app, steps, world } = current;
    const ids = [await send(app, 'robot-1', '201'), await send(app, 'robot-2', '202')];
    let car: LiftCarView | undefined;
    await waitFor(
      async () => {
        car = (await app.inject({ url: '/api/lifts' })).json<LiftCarView[]>()[0];
        return car?.holder?.aboard === true && car.queue.length > 0;
      },
      30_000,
      'one robot riding, one queueing',
    );
    const holder = car!.holder!.robot;
    const waiting = car!.queue[0]!.robot;
    const holderTrip = ids[holder === 'robot-1' ? 0 : 1]!;
    const waitingTrip = ids[holder === 'robot-1' ? 1 : 0]!;

    // The medic gives up on the holder's trip mid-ride: the controller tells the robot to cancel.
    expect(app.trips.stall(holderTrip, 'given up for the test')?.status).toBe('failed');
    await waitFor(() => app.trips.get(waitingTrip)!.status === 'done' || app.trips.get(waitingTrip)!.status === 'failed', 60_000, 'the waiting robot’s trip over');
    expect(app.trips.get(waitingTrip), app.trips.get(waitingTrip)!.reason).toMatchObject({ status: 'done' });
    const cancelled = rides(steps).find((r) => r.robot === holder)!;
    const next = rides(steps).find((r) => r.robot === waiting)!;
    expect(steps.some((s) => s.session === cancelled.session && s.status === 'FAILED')).toBe(true);
    expect(next.fromMs).toBeGreaterThanOrEqual(cancelled.toMs);
    expect(world.lifts.occupant('A')).toBeUndefined();
    await waitFor(async () => (await app.inject({ url: '/api/lifts' })).json<LiftCarView[]>().length === 0, 10_000, 'no session left');
  }, 90_000);
});
