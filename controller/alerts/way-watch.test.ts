import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Order, State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { RobotView } from '../fleet/robot-view.js';
import { manualClock } from '../../test-support/manual-clock.js';
import { loadSite, SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';
import { orderAlong } from '../trips/order-builder.js';
import type { HeldTrip } from '../trips/order-holds.js';
import type { TripManager } from '../trips/trip-manager.js';
import { TripNarrow } from '../trips/trip-narrow.js';
import { AlertCenter } from './alert-center.js';
import { watchBlockedWays } from './way-watch.js';

const graph = new SiteGraph(await loadSite('hotel'));

/** An order from the corridor through the hotel's tunnel to the loading station (a charger's is sent so). */
const errand = (orderId: string): Order =>
  orderAlong({ graph, orderId, manufacturer: 'm', serialNumber: 'r', headerId: 0, timestamp: '2026-11-30T08:00:00.000Z', startContaminated: false, narrowWays: 'controller' }, 'G-c6', [
    { nodeId: 'G-loading', actions: [] },
  ]);
const atTunnelEnd = (orderId: string) =>
  ({ orderId, lastNodeId: 'G-c6', lastNodeSequenceId: 0, nodeStates: [{ nodeId: 'G-loading', sequenceId: 2, released: false }], actionStates: [] }) as unknown as State;

function setUp() {
  const { clock, advance } = manualClock();
  const narrow = new TripNarrow<HeldTrip>({
    graph,
    clock,
    log: { info: () => {}, warn: () => {} },
    underway: new Map(),
    sendUpdate: async () => {},
    nextOrderHeaderId: () => 1,
  });
  const sent: string[] = [];
  const views = new Map<string, Partial<RobotView>>();
  const fleet = Object.assign(new EventEmitter(), {
    get: (id: string) => views.get(id),
    lastState: (id: string) => (views.get(id)?.node ? { lastNodeId: views.get(id)!.node } : undefined),
  });
  const trips = { narrowWays: narrow, activeTripOf: () => undefined } as unknown as TripManager;
  const alerts = new AlertCenter(clock);
  const audited: Parameters<Audit>[0][] = [];
  const watch = watchBlockedWays({ fleet: fleet as unknown as FleetRegistry, trips, alerts, graph, audit: (entry) => void audited.push(entry), clock, idleAfterMs: 60_000 });
  /** The robot's view changed (its state, online or not) and the registry says so. */
  const robot = (id: string, view: Partial<RobotView>) => {
    views.set(id, { id, online: true, node: null, position: null, ...views.get(id), ...view });
    fleet.emit('robot', views.get(id));
  };
  /** A robot on an errand through the tunnel comes to its corridor end and asks for it. */
  const queue = (id: string) => {
    narrow.follow(id, errand(`charge-${id}`), async (update) => void sent.push(`${id} ${update.orderId}`));
    narrow.observe(id, atTunnelEnd(`charge-${id}`));
    robot(id, { state: 'working', node: 'G-c6' });
  };
  return { narrow, alerts, watch, robot, queue, sent, audited, advance };
}

describe('watchBlockedWays', () => {
  it('raises wayBlocked for a robot stopped inside a way, naming the way, where it stands and who waits, and keeps the waiting list up to date', () => {
    const { narrow, alerts, robot, queue } = setUp();
    robot('robot-1', { state: 'driving', node: 'G-disinfect', position: { x: 23, y: 2.5, theta: 0, mapId: 'G' } });
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    queue('robot-2');
    // Inside and going on: nothing to say.
    expect(alerts.list()).toEqual([]);
    robot('robot-1', { state: 'error' });
    const [alert, ...more] = alerts.list();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'wayBlocked', subject: 'robot-1', way: 'G-tunnel', robotsWaiting: ['robot-2'], count: 1 });
    expect(alert!.message).toBe('robot-1 reports a fatal error inside single-width way G-tunnel (last at node G-disinfect), G, at the disinfection point; robot-2 waits for it');
    expect(alert!.where?.landmark).toBe('disinfection');
    alerts.acknowledge(alert!.id);
    // One more robot queues: the same alert says so, still acknowledged (nothing new happened to robot-1).
    queue('robot-3');
    expect(alerts.list()).toHaveLength(1);
    expect(alerts.list()[0]).toMatchObject({ robotsWaiting: ['robot-2', 'robot-3'], count: 1, acknowledged: true });
    expect(alerts.list()[0]!.message).toContain('robot-2, robot-3 wait for it');
  });

  it('resolves the alert when the robot goes on by itself, and the robot waiting goes once it is out', async () => {
    const { narrow, alerts, robot, queue, sent } = setUp();
    robot('robot-1', { state: 'error', node: 'G-disinfect' });
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    queue('robot-2');
    robot('robot-1', { state: 'error' });
    expect(alerts.list()).toHaveLength(1);
    robot('robot-1', { state: 'driving' });
    expect(alerts.list()).toEqual([]);
    expect(alerts.list({ status: 'resolved' })[0]!.resolution).toBe('robot-1 goes on through G-tunnel');
    // It drives out at the corridor end: robot-2 is granted the tunnel.
    narrow.observe('robot-1', { lastNodeId: 'G-c6' });
    await Promise.resolve();
    expect(sent).toEqual(['robot-2 charge-robot-2']);
  });

  it('frees the way once staff took the robot out, and refuses what would be wrong, saying why', async () => {
    const { narrow, alerts, watch, robot, queue, sent, audited } = setUp();
    robot('robot-1', { state: 'driving', node: 'G-disinfect' });
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    queue('robot-2');
    expect(watch.robotRemoved('G-nowhere', 'robot-1', 'medic')).toMatchObject({ ok: false, kind: 'notFound', message: 'no single-width way G-nowhere on this site' });
    expect(watch.robotRemoved('G-tunnel', 'robot-2', 'medic')).toMatchObject({ ok: false, kind: 'conflict', message: 'robot-2 does not hold G-tunnel (held by robot-1)' });
    // Online and going on: it leaves by itself; freeing the way under it would send robot-2 at it.
    expect(watch.robotRemoved('G-tunnel', 'robot-1', 'medic')).toMatchObject({ ok: false, kind: 'conflict' });
    robot('robot-1', { state: 'error' });
    expect(watch.robotRemoved('G-tunnel', 'robot-1', 'medic')).toEqual({ ok: true, way: 'G-tunnel', robot: 'robot-1', granted: ['robot-2'] });
    await Promise.resolve();
    expect(sent).toEqual(['robot-2 charge-robot-2']);
    expect(alerts.list()).toEqual([]);
    expect(alerts.list({ status: 'resolved' })[0]).toMatchObject({ kind: 'wayBlocked', resolution: 'G-tunnel is free again: robot-1 is out of it' });
    expect(audited).toEqual([{ actor: 'medic', action: 'robotRemovedFromWay', subject: 'way G-tunnel', detail: { robot: 'robot-1', waiting: ['robot-2'] } }]);
    // Its next state still names the station (it was carried, not driven): the tunnel stays robot-2's, no new alert.
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    robot('robot-1', { state: 'error' });
    expect(narrow.reservations.of('G-tunnel').holders).toEqual(['robot-2']);
    expect(alerts.list()).toEqual([]);
  });

  it('raises wayBlocked for a robot idle inside a way for the limit, saying what to do, and resolves it when the robot leaves', async () => {
    const { narrow, alerts, watch, robot, queue, sent, advance } = setUp();
    // Its order over at the disinfection point inside the tunnel, it stays there with no order.
    robot('robot-1', { state: 'idle', node: 'G-disinfect', position: { x: 23, y: 2.5, theta: 0, mapId: 'G' } });
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    queue('robot-2');
    advance(59_000);
    expect(alerts.list()).toEqual([]);
    // No state needed: the watch wakes when the limit is up.
    advance(1_000);
    const [alert, ...more] = alerts.list();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'wayBlocked', subject: 'robot-1', way: 'G-tunnel', robotsWaiting: ['robot-2'] });
    expect(alert!.message).toBe(
      'robot-1 has stood idle (no order) for more than 60 s inside single-width way G-tunnel (last at node G-disinfect), G, at the disinfection point; robot-2 waits for it',
    );
    expect(alert!.doing).toMatch(/^no robot enters G-tunnel while robot-1 is in it\. Send robot-1 on a trip out of the way, or take it out of the way, then press "Taken out of the way"/);
    // Nobody is granted the tunnel behind it meanwhile; staff may take it out.
    expect(narrow.reservations.of('G-tunnel')).toEqual({ holders: ['robot-1'], waiting: ['robot-2'] });
    // A trip sends it on: it drives out at the corridor end, the alert is resolved and robot-2 goes.
    robot('robot-1', { state: 'driving' });
    narrow.observe('robot-1', { lastNodeId: 'G-c6' });
    robot('robot-1', { state: 'idle', node: 'G-c6' });
    await Promise.resolve();
    expect(alerts.list()).toEqual([]);
    expect(alerts.list({ status: 'resolved' })[0]).toMatchObject({ kind: 'wayBlocked', subject: 'robot-1', resolution: 'robot-1 goes on through G-tunnel' });
    expect(sent).toEqual(['robot-2 charge-robot-2']);
    // Idle at the corridor end, outside the way: nothing to say however long it stands.
    advance(120_000);
    expect(alerts.list()).toEqual([]);
    watch.stop();
  });

  it('counts the idle time afresh when the robot had an order meanwhile, and lets staff take out a robot idle past the limit', () => {
    const { narrow, alerts, watch, robot, queue, advance } = setUp();
    robot('robot-1', { state: 'idle', node: 'G-disinfect' });
    narrow.observe('robot-1', { lastNodeId: 'G-disinfect' });
    queue('robot-2');
    advance(50_000);
    // Refused while it may still be given an order and leave.
    expect(watch.robotRemoved('G-tunnel', 'robot-1', 'medic')).toMatchObject({ ok: false, kind: 'conflict' });
    robot('robot-1', { state: 'working' });
    robot('robot-1', { state: 'idle' });
    advance(50_000);
    expect(alerts.list()).toEqual([]);
    advance(10_000);
    expect(alerts.list()).toEqual([expect.objectContaining({ kind: 'wayBlocked', subject: 'robot-1' })]);
    expect(watch.robotRemoved('G-tunnel', 'robot-1', 'medic')).toEqual({ ok: true, way: 'G-tunnel', robot: 'robot-1', granted: ['robot-2'] });
    expect(alerts.list({ status: 'resolved' })[0]).toMatchObject({ resolution: 'G-tunnel is free again: robot-1 is out of it' });
  });
});
