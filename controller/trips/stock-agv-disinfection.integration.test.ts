/**
 * A stock AGV without a `disinfect` action (vda-5050-lib 1.4.0's VirtualAgvAdapter, through a
 * real broker; see `stock-agv.test-support.ts`) on a ward where red and green touch
 * (`ADJACENT_ZONES_SITE`, its station cut to 3 s): the controller holds it at the disinfection
 * station by the order's horizon for the station's duration and then releases the rest; the same
 * trip with every node released (what the order was before the hold) lets it drive through the
 * station into green, which the controller raises as an `isolationBreach`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { siteSchema, type Alert } from '../../protocol/index.js';
import { ADJACENT_ZONES_SITE } from '../../sim/adjacent-zones.test-support.js';
import { waitFor } from '../../sim/scenario.js';
import { ordersOf, setup, statesOf, stoodAtMs, type Setup } from './stock-agv.test-support.js';

const STATION_S = 3;
const site = siteSchema.parse({
  ...ADJACENT_ZONES_SITE,
  nodes: ADJACENT_ZONES_SITE.nodes.map((n) => (n.id === 'dis' ? { ...n, disinfection: { method: 'wait', durationS: STATION_S } } : n)),
});

/** Sends a one-tray trip to red room 201 and confirms the tray; the trip's id. */
async function tripTo201({ app, robot, api }: Setup): Promise<string> {
  await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'the AGV’s factsheet, and the AGV idle');
  const sent = await api('POST', '/api/trips', { robot, trays: [{ tray: 1, room: '201' }] });
  expect(sent.statusCode, sent.body).toBe(201);
  const id = sent.json().id as string;
  expect((await api('POST', `/api/trips/${id}/trays/1/loaded`)).statusCode).toBe(200);
  return id;
}

describe('a stock AGV without disinfect on a ward where red and green touch', () => {
  let current: Setup | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  it('is held at the station by the horizon for its duration, released by an order update, counted disinfected, no breach', async () => {
    current = await setup({ site });
    const { app, robot, api } = current;
    const states = statesOf(current);
    const orders = ordersOf(current);
    const id = await tripTo201(current);
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    expect(app.trips.get(id), app.trips.get(id)!.reason).toMatchObject({ status: 'done', trays: [{ room: '201', status: 'delivered' }] });

    const delivery = orders.filter(({ order }) => order.orderId === `trip-${id}`);
    expect(delivery.map((o) => o.order.orderUpdateId)).toEqual([0, 1]);
    // The base ends on the station, the way on from it in the horizon, until the update sent while the AGV stood there.
    const [first, update] = delivery;
    expect(first!.order.nodes.filter((n) => n.released).at(-1)).toMatchObject({ nodeId: 'dis', nodeDescription: `disinfection hold: wait ${STATION_S} s` });
    expect(first!.order.edges.filter((e) => !e.released).map((e) => e.edgeId)).toEqual(['dis--load']);
    expect(update!.standingAt).toBe('dis');
    expect(update!.order.nodes.map((n) => n.nodeId)).toEqual(['dis', 'load']);
    expect(stoodAtMs(states, 'dis')).toBeGreaterThanOrEqual(STATION_S * 1000);

    expect(app.trips.contamination.isContaminated(robot)).toBe(false);
    expect(app.trips.contamination.stationCounts()).toEqual([expect.objectContaining({ station: 'dis', count: 1 })]);
    const audit = (await api('GET', `/api/audit?subject=${encodeURIComponent(robot)}`)).json<{ action: string; detail: Record<string, unknown> }[]>();
    expect(audit.find((a) => a.action === 'robotDisinfected')?.detail).toMatchObject({ trip: id, station: 'dis', method: 'wait', durationS: STATION_S, heldByController: true });
    const alerts = (await api('GET', '/api/alerts')).json<Alert[]>();
    expect(alerts.filter((a) => a.kind === 'isolationBreach')).toEqual([]);
  }, 90_000);

  it('without the hold (every node released) it drives through the station into green: an isolationBreach alert, raised once, audited', async () => {
    current = await setup({ site });
    const { app, robot, api } = current;
    const states = statesOf(current);
    // What the order was before the hold: everything released; nothing left for an update to release.
    ordersOf(current, (order) =>
      order.orderUpdateId > 0 ? undefined : { ...order, nodes: order.nodes.map((n) => ({ ...n, released: true })), edges: order.edges.map((e) => ({ ...e, released: true })) },
    );
    const id = await tripTo201(current);
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    expect(stoodAtMs(states, 'dis')).toBeLessThan(STATION_S * 1000);

    const breaches = (await api('GET', '/api/alerts')).json<Alert[]>().filter((a) => a.kind === 'isolationBreach');
    expect(breaches).toEqual([expect.objectContaining({ subject: robot, count: 1, message: expect.stringMatching(/green zone at load contaminated/) })]);
    const audit = (await api('GET', `/api/audit?subject=${encodeURIComponent(robot)}`)).json<{ action: string; detail: Record<string, unknown> }[]>();
    expect(audit.filter((a) => a.action === 'isolationBreach').map((a) => a.detail)).toEqual([{ node: 'load' }]);
    expect(app.trips.contamination.stationCounts()).toEqual([]);
  }, 90_000);

  it('a robot that refused the update releasing it stays on the station; its next trip to red, which must hold it there, is refused naming it and the rule', async () => {
    current = await setup({ site, tripStalledAfterMs: STATION_S * 1000 + 3000 });
    const { app, robot, api } = current;
    const states = statesOf(current);
    // The release reaches the AGV not stitching onto its base: it refuses it (orderUpdateError), as a robot that takes no updates does.
    ordersOf(current, (order) =>
      order.orderUpdateId > 0
        ? { ...order, nodes: order.nodes.map((n) => ({ ...n, sequenceId: n.sequenceId + 2 })), edges: order.edges.map((e) => ({ ...e, sequenceId: e.sequenceId + 2 })) }
        : order,
    );
    const id = await tripTo201(current);
    await waitFor(() => app.trips.get(id)!.status === 'failed', 60_000, 'trip stopped for no progress');
    expect(app.fleet.lastState(robot)).toMatchObject({ lastNodeId: 'dis' });
    expect(states.some(({ state }) => state.errors.some((e) => e.errorType === 'orderUpdateError' && e.errorReferences?.some((r) => r.referenceValue === `trip-${id}`)))).toBe(true);
    await waitFor(() => app.fleet.get(robot)?.state === 'idle', 15_000, 'the AGV idle, its order cancelled');
    // Back to red room 202: its way back must hold it at the station again.
    const refused = await api('POST', '/api/trips', { robot, trays: [{ tray: 1, room: '202' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(
      new RegExp(`robot ${robot} cannot be held at the disinfection station: it refused an order update.*nothing leaves the red zone for green undisinfected`),
    );
  }, 90_000);
});
