/**
 * The controller opening a ward door for a stock AGV, which cannot ask doors itself
 * (vda-5050-lib 1.4.0's VirtualAgvAdapter, through a real broker; see
 * `stock-agv.test-support.ts`): the ward where red and green touch, with a door between the
 * green corridor and the red hall, and the simulator's doors as the site's door controller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { siteSchema, systemClock, type Alert } from '../../protocol/index.js';
import type { DoorPort } from '../../firmware-bridge/index.js';
import { ADJACENT_ZONES_SITE } from '../../sim/adjacent-zones.test-support.js';
import { SimDoors } from '../../sim/sim-doors.js';
import { waitFor } from '../../sim/scenario.js';
import { DOOR_HOLD } from './order-holds.js';
import { ordersOf, setup, statesOf, stoodAtMs, type Setup } from './stock-agv.test-support.js';

const DOOR_S = 2;
const site = siteSchema.parse({
  ...ADJACENT_ZONES_SITE,
  nodes: ADJACENT_ZONES_SITE.nodes.map((n) => (n.id === 'dis' ? { ...n, disinfection: { method: 'uv', durationS: 1 } } : n)),
  lanes: ADJACENT_ZONES_SITE.lanes.map((l) => (l.from === 'gc' && l.to === 'rh' ? { ...l, door: 'ward-gate' } : l)),
  doors: [{ id: 'ward-gate', level: 'L1', openS: DOOR_S }],
});

/** The simulator's doors as the site's door controller, each call written down. */
function recordedDoors(openTimeoutS: number): { doors: SimDoors; port: DoorPort; calls: string[] } {
  const doors = new SimDoors(site, systemClock, openTimeoutS);
  const calls: string[] = [];
  const port: DoorPort = {
    open: async (door, signal) => {
      calls.push(`open ${door}`);
      await doors.open(door, signal);
      calls.push(`opened ${door}`);
    },
    close: (door) => {
      calls.push(`close ${door}`);
      doors.close(door);
    },
  };
  return { doors, port, calls };
}

async function tripTo201({ app, robot, api }: Setup): Promise<string> {
  await waitFor(() => app.fleet.factsheet(robot) !== undefined && app.fleet.get(robot)?.state === 'idle', 15_000, 'the AGV’s factsheet, and the AGV idle');
  const sent = await api('POST', '/api/trips', { robot, trays: [{ tray: 1, room: '201' }] });
  expect(sent.statusCode, sent.body).toBe(201);
  const id = sent.json().id as string;
  expect((await api('POST', `/api/trips/${id}/trays/1/loaded`)).statusCode).toBe(200);
  return id;
}

describe('the controller opening a door for a stock AGV', () => {
  let current: Setup | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  it('holds it before the door, asks the door open, releases the way through once open, closes the door once it is past', async () => {
    const { port, calls } = recordedDoors(30);
    current = await setup({ site, doorPort: port });
    const { app } = current;
    const states = statesOf(current);
    const orders = ordersOf(current);
    const id = await tripTo201(current);
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    expect(app.trips.get(id), app.trips.get(id)!.reason).toMatchObject({ status: 'done', trays: [{ room: '201', status: 'delivered' }] });

    const delivery = orders.filter(({ order }) => order.orderId === `trip-${id}`);
    const gate = delivery[0]!.order.edges.find((e) => e.edgeId === 'gc--rh')!;
    expect(gate).toMatchObject({ edgeDescription: `${DOOR_HOLD}ward-gate`, released: false });
    expect(delivery[0]!.order.nodes.filter((n) => n.released).at(-1)!.nodeId).toBe('gc');
    // The door's release, sent while the AGV waited before it; then the station's.
    expect(delivery.slice(1).map((o) => [o.order.orderUpdateId, o.standingAt, o.order.edges[0]!.edgeId])).toEqual([
      [1, 'gc', 'gc--rh'],
      [2, 'dis', 'dis--load'],
    ]);
    expect(stoodAtMs(states, 'gc')).toBeGreaterThanOrEqual(DOOR_S * 1000);
    expect(calls).toEqual(['open ward-gate', 'opened ward-gate', 'close ward-gate']);
    expect(app.alerts.list().filter((a) => a.kind === 'doorNotOpened')).toEqual([]);
  }, 90_000);

  it('a door that does not open: the AGV stays before it, the trip fails naming the door, a doorNotOpened alert names door and AGV', async () => {
    const { doors, port, calls } = recordedDoors(1);
    doors.jam('ward-gate');
    current = await setup({ site, doorPort: port });
    const { app, robot, api } = current;
    const states = statesOf(current);
    const id = await tripTo201(current);
    await waitFor(() => ['done', 'failed'].includes(app.trips.get(id)!.status), 60_000, 'trip over');
    expect(app.trips.get(id)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/door ward-gate did not open/) });
    expect(states.some(({ state }) => state.lastNodeId === 'rh')).toBe(false);
    expect(calls).toEqual(['open ward-gate']);
    const alerts = (await api('GET', '/api/alerts')).json<Alert[]>().filter((a) => a.kind === 'doorNotOpened');
    expect(alerts).toEqual([expect.objectContaining({ subject: robot, door: 'ward-gate', count: 1, message: expect.stringMatching(/^door ward-gate \(L1\) did not open for /) })]);
    // The AGV was told to cancel: it holds no order any more.
    await waitFor(() => (app.fleet.lastState(robot)?.nodeStates.length ?? 1) === 0, 10_000, 'order cancelled');
  }, 90_000);
});
