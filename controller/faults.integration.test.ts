import { afterAll, describe, expect, it } from 'vitest';
import type { Alert, RoundView, State, TripView } from '../protocol/index.js';
import { waitFor } from '../sim/scenario.js';
import { FAULT_ROUND_ROOMS, faultRound } from '../test-support/fault-round.js';
import { narrowWaysOf } from './traffic/narrow-ways.js';

describe('faults: a robot dies in a corridor mid-trip', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('alerts the medic with the rooms on board, plans them onto another robot, and cancels the old order when the robot comes back', async () => {
    const { app, fleet, world, site, startRound } = await faultRound('faults', cleanup);
    const [dying] = fleet.robots;
    const rooms = FAULT_ROUND_ROOMS;
    const roundId = await startRound();
    const tripOf = () => app.trips.activeTripOf(dying!.serialNumber)!;
    // Out of the loading station's single-width tunnel first: a robot that dies inside a way
    // blocks it for the others until staff take it out (faults-way.integration.test.ts), and this
    // is about an open corridor.
    const ways = narrowWaysOf(site);
    const inOpenCorridor = (node: string | null) => node !== null && node !== 'G-loading' && !ways.inside(node);
    await waitFor(
      () => tripOf()?.status === 'running' && app.fleet.get(dying!.serialNumber)!.state === 'driving' && inOpenCorridor(app.fleet.get(dying!.serialNumber)!.node),
      10_000,
      'robot-1 under way past the tunnel',
    );
    const lostTrip = tripOf();
    const onBoard = lostTrip.trays.map((t) => t.room);

    // Stuck where it is, then its link drops.
    dying!.driver.injectFault('stuck');
    await dying!.agent.crash();
    await waitFor(() => app.alerts.list().some((a) => a.kind === 'robotOffline'), 10_000, 'offline alert');
    const alert = app.alerts.list().find((a) => a.kind === 'robotOffline')!;
    expect(alert.subject).toBe(dying!.serialNumber);
    for (const room of onBoard) expect(alert.message).toContain(room);

    const replan = await app.inject({ method: 'POST', url: `/api/trips/${lostTrip.id}/replan` });
    expect(replan.statusCode, replan.body).toBe(200);
    expect(replan.json<{ rooms: string[] }>().rooms.sort()).toEqual([...onBoard].sort());
    expect((await app.inject({ method: 'POST', url: `/api/trips/${lostTrip.id}/replan` })).statusCode).toBe(409);
    expect(app.trips.get(lostTrip.id)).toMatchObject({ status: 'failed' });

    // The other robot serves every room.
    await waitFor(() => app.rounds.get(roundId)!.rooms.filter((r) => r.status === 'delivered').length === rooms.length, 60_000, 'all rooms delivered');

    // The dead robot comes back still on its old order: it is cancelled before it moves again.
    await dying!.agent.start();
    await waitFor(
      () => {
        const state = app.fleet.lastState(dying!.serialNumber) as State | undefined;
        return state?.orderId === `trip-${lostTrip.id}` && state.nodeStates.length === 0;
      },
      10_000,
      'old order cancelled',
    );
    dying!.driver.clearFault('stuck');
    await new Promise((r) => setTimeout(r, 100));
    for (const room of onBoard) expect(world.visitsTo(room), `visits to ${room}`).toBe(1);
    const trips = (await app.inject({ url: '/api/trips' })).json<TripView[]>();
    for (const room of rooms) {
      const served = trips.flatMap((t) => t.trays).filter((t) => t.room === room && t.status === 'delivered');
      expect(served, `room ${room}`).toHaveLength(1);
    }
    const round = app.rounds.get(roundId) as RoundView;
    expect(round.rooms.filter((r) => r.status === 'delivered')).toHaveLength(rooms.length);
    // The offline alert is in the history, resolved now that the robot is back.
    const offlineOf = (list: Alert[]) => list.find((a) => a.kind === 'robotOffline' && a.subject === dying!.serialNumber);
    await waitFor(async () => offlineOf((await app.inject({ url: '/api/alerts?status=all' })).json<Alert[]>())?.status === 'resolved', 10_000, 'offline alert resolved');
    const offline = offlineOf((await app.inject({ url: '/api/alerts?status=all' })).json<Alert[]>());
    expect(offline!.resolution).toMatch(new RegExp(`^${dying!.serialNumber} is back online`));
    expect(offlineOf((await app.inject({ url: '/api/alerts' })).json<Alert[]>())).toBeUndefined();
  }, 90_000);
});
