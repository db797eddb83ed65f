/**
 * A robot dies inside the hotel's single-width tunnel (loading station — disinfection station —
 * corridor) mid-round: the way stays reserved to it, so the robots queued at the tunnel's ends
 * wait; the medic is told (`wayBlocked`), staff carry the robot out and say so, and the round
 * goes on to its end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert, TripView } from '../protocol/index.js';
import { waitFor } from '../sim/scenario.js';
import { FAULT_ROUND_ROOMS, faultRound } from '../test-support/fault-round.js';

describe('faults: a robot dies inside a single-width way', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('alerts that the tunnel is blocked, naming who waits; once staff take the robot out the way is freed and the round ends', async () => {
    const { app, fleet, world, startRound } = await faultRound('faults-way', cleanup);
    const [dying, other] = fleet.robots;
    // robot-1 breaks down at the disinfection station, inside the tunnel, on its way out.
    dying!.driver.breakDownAt('G-disinfect');
    const rooms = FAULT_ROUND_ROOMS;
    const roundId = await startRound();
    await waitFor(() => app.fleet.get(dying!.serialNumber)?.node === 'G-disinfect', 20_000, `${dying!.serialNumber} at the disinfection station`);
    const lostTrip = app.trips.activeTripOf(dying!.serialNumber)!;
    expect(lostTrip).toBeDefined();
    await dying!.agent.crash();

    const blockedAlert = async (status = 'open') =>
      (await app.inject({ url: `/api/alerts?status=${status}` })).json<Alert[]>().find((a) => a.kind === 'wayBlocked' && a.subject === dying!.serialNumber);
    // The other robot comes to an end of the tunnel (to go out, or back in) and queues there.
    await waitFor(async () => ((await blockedAlert())?.robotsWaiting ?? []).includes(other!.serialNumber), 30_000, 'the other robot waiting for the tunnel');
    const alert = (await blockedAlert())!;
    expect(alert).toMatchObject({ subject: dying!.serialNumber, way: 'G-tunnel', status: 'open', robotsWaiting: [other!.serialNumber] });
    expect(alert.message).toContain('G-tunnel');
    expect(alert.message).toContain('G-disinfect');
    expect(alert.where?.text).toBe('G, at the disinfection point');
    expect(alert.doing).toContain('/api/ways/G-tunnel/robot-removed');
    // Nothing frees it by itself: the other robot still waits a while later.
    await new Promise((r) => setTimeout(r, 300));
    expect(app.trips.narrowWays.reservations.of('G-tunnel')).toMatchObject({ holders: [dying!.serialNumber], waiting: [other!.serialNumber] });

    // Its rooms go with the other robot (the offline alert's action).
    expect((await app.inject({ method: 'POST', url: `/api/trips/${lostTrip.id}/replan` })).statusCode).toBe(200);

    // Refusals name why: a way the site does not have, a robot that does not hold it, a bad body.
    const removed = (way: string, body: unknown) => app.inject({ method: 'POST', url: `/api/ways/${way}/robot-removed`, payload: body as object });
    const noWay = await removed('G-nowhere', { robot: dying!.serialNumber });
    expect(noWay.statusCode).toBe(404);
    expect(noWay.json<{ message: string }>().message).toContain('no single-width way G-nowhere');
    const notHolder = await removed('G-tunnel', { robot: other!.serialNumber });
    expect(notHolder.statusCode).toBe(409);
    expect(notHolder.json<{ message: string }>().message).toContain(`held by ${dying!.serialNumber}`);
    expect((await removed('G-tunnel', {})).statusCode).toBe(400);

    // Staff carry the dead robot out of the tunnel, and say so.
    world.narrow.arrive(dying!.serialNumber, 'G-loading');
    const freed = await removed('G-tunnel', { robot: dying!.serialNumber });
    expect(freed.statusCode, freed.body).toBe(200);
    expect(freed.json()).toEqual({ way: 'G-tunnel', robot: dying!.serialNumber, granted: [other!.serialNumber] });
    const history = (await blockedAlert('all'))!;
    expect(history.status).toBe('resolved');
    expect(history.resolution).toBe(`G-tunnel is free again: ${dying!.serialNumber} is out of it`);

    // The other robot goes through and serves every room; the round ends.
    await waitFor(() => app.rounds.get(roundId)!.status === 'done', 40_000, 'round done');
    const round = app.rounds.get(roundId)!;
    // The dead robot's rooms failed with its trip, then rode again with the other robot: each served once.
    for (const room of round.rooms) expect(['delivered', 'notCollected', 'failed'], `room ${room.room}`).toContain(room.status);
    const trips = (await app.inject({ url: '/api/trips' })).json<TripView[]>();
    expect(trips.find((t) => t.id === lostTrip.id)).toMatchObject({ status: 'failed', reason: expect.stringContaining(`${dying!.serialNumber} went offline`) });
    for (const room of rooms) {
      const served = trips.flatMap((t) => t.trays).filter((t) => t.room === room && t.status === 'delivered');
      expect(served, `room ${room}`).toHaveLength(1);
    }
    expect(world.narrow.headOn).toEqual([]);
  }, 60_000);
});
