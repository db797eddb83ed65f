import { afterEach, describe, expect, it } from 'vitest';
import type { State, TripView } from '../../protocol/index.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp, type AppOptions } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

/**
 * Batteries through a real broker (aedes, or Mosquitto at MQTT_URL): the controller's energy
 * manager and the real bridges on simulated robots that drain and charge on the scaled clock.
 */
describe('batteries and chargers through a real broker', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function system(options: { speed: number; robots: { batteryPct: number; at?: string; chargePctPerH?: number }[]; battery?: AppOptions['battery'] }) {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const manufacturer = uniqueManufacturer('energy');
    const site = await loadSite('hotel');
    const clock = new ScaledClock(options.speed);
    // The controller gives a robot 60 s of its clock to show it stopped charging before a trip's
    // order is given up: 0.6 s of real time at ×100, which a loaded machine's broker round trip
    // can take (a room failed so). The simulated robot stops at once: 30 simulated minutes here.
    const battery = { stopChargingTimeoutMs: 1_800_000, ...options.battery };
    const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock, roundImproveMs: 200, battery });
    cleanup.push(() => app.close());
    const world = new SimWorld({ site, clock, seed: 3 });
    const fleet = await startSimRobotFleet({
      mqttUrl: broker.url,
      world,
      count: options.robots.length,
      manufacturer,
      visualizationIntervalMs: 60_000,
      robots: options.robots.map((r) => ({ batteryPct: r.batteryPct, ...(r.at ? { at: r.at } : {}), ...(r.chargePctPerH ? { battery: { chargePctPerH: r.chargePctPerH } } : {}) })),
    });
    cleanup.push(() => fleet.stop());
    await waitFor(() => app.fleet.list().filter((r) => r.online && r.battery !== null).length === options.robots.length, 10_000, 'robots reporting');
    return { app, fleet, site };
  }

  it('a low robot is given no trip, goes to a charger, charges, and is given work again once charged', async () => {
    // The simulated robot-1 charges ten times as fast as the controller's model says, so the test
    // need not wait hours of simulated time; the controller goes by what it reports.
    // ×100: a robot counts as silent after two state intervals (60 s simulated), 0.6 s of real
    // time here; at ×400 a busy machine's pause of 150 ms took both robots offline.
    const { app, site } = await system({
      speed: 100,
      robots: [
        { batteryPct: 24, at: 'G-loading', chargePctPerH: 300 },
        { batteryPct: 90, at: 'G-charger2' },
      ],
    });
    const chargers = new Set(site.nodes.filter((n) => n.kind === 'charger').map((n) => n.id));
    const states: { robot: string; state: State }[] = [];
    app.fleet.on('state', (robot, state) => states.push({ robot, state }));
    // The instant actions the controller sends robot-1.
    const instantActions: string[] = [];
    const publishAsync = app.mqtt.publishAsync.bind(app.mqtt);
    app.mqtt.publishAsync = ((topic: string, payload: string, options?: object) => {
      if (topic.endsWith('/robot-1/instantActions')) instantActions.push(...JSON.parse(payload).actions.map((a: { actionType: string }) => a.actionType));
      return publishAsync(topic, payload, options);
    }) as typeof app.mqtt.publishAsync;
    const tripsOf1: { trip: TripView; batteryPct: number | null }[] = [];
    app.trips.on('trip', (trip) => {
      if (trip.robot === 'robot-1' && trip.status === 'planned' && !tripsOf1.some((t) => t.trip.id === trip.id)) tripsOf1.push({ trip, batteryPct: app.fleet.get('robot-1')!.battery });
    });

    // Under 30 %, idle: off to a charger, where it charges.
    await waitFor(() => states.some((s) => s.robot === 'robot-1' && s.state.batteryState.charging && chargers.has(s.state.lastNodeId)), 20_000, 'robot-1 charging');
    const chargedAt = states.find((s) => s.robot === 'robot-1' && s.state.batteryState.charging)!;
    expect(app.energy.assignments().get('robot-1')?.charger).toBe(chargedAt.state.lastNodeId);
    // Not the charger robot-2 stands on: one robot per charger.
    expect(chargedAt.state.lastNodeId).not.toBe('G-charger2');

    const rooms = ['101', '102', '103', '104', '301', '302', '303', '304', '601', '602', '603', '604', '801', '802', '803', '804'];
    const created = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: rooms.map((room) => ({ room })) } });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    await waitFor(() => app.rounds.get(id)!.status === 'done', 120_000, 'round done');

    // robot-1 took part, but only once charged to 50 % (the charging policy's resume level) and
    // taken off the charger (stopCharging), never driving while it says it charges.
    expect(tripsOf1.length).toBeGreaterThan(0);
    const own = states.filter((s) => s.robot === 'robot-1').map((s) => s.state);
    const firstTripAt = own.findIndex((s) => s.orderId.startsWith('trip-'));
    expect(firstTripAt).toBeGreaterThan(0);
    const charging = own
      .slice(0, firstTripAt)
      .filter((s) => s.batteryState.charging)
      .map((s) => s.batteryState.batteryCharge);
    expect(Math.max(...charging)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...charging)).toBeGreaterThan(Math.min(...charging) + 20);
    expect(instantActions).toContain('stopCharging');
    expect(own.filter((s) => s.driving).every((s) => !s.batteryState.charging)).toBe(true);
    // Standing after the stop costs a little (4 %/h), no more.
    for (const { batteryPct } of tripsOf1) expect(batteryPct).toBeGreaterThan(45);
    // Every room served, and no robot below its 20 % reserve.
    const round = app.rounds.get(id)!;
    for (const room of round.rooms) expect(['delivered', 'notCollected']).toContain(room.status);
    expect(Math.min(...states.map((s) => s.state.batteryState.batteryCharge))).toBeGreaterThanOrEqual(20);
    expect(app.energy.belowReserve()).toEqual([]);
  }, 180_000);

  it("a medic's trip for a robot that would end it below its reserve gets a 409 naming the robot that can go", async () => {
    // Robots do not go to charge for their charge alone here (no thresholds), only once refused work.
    const { app } = await system({
      speed: 50,
      robots: [{ batteryPct: 21, at: 'G-loading' }, { batteryPct: 85 }],
      battery: { policy: { goChargeBelowPct: 0, topUpBelowPct: 0 } },
    });
    await waitFor(() => app.fleet.list().every((r) => r.state === 'idle'), 10_000, 'robots idle');
    const trays = ['801', '802', '803', '804'].map((room, i) => ({ tray: i + 1, room }));
    const refused = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'robot-1', trays } });
    expect(refused.statusCode, refused.body).toBe(409);
    const body = refused.json<{ error: string; message: string }>();
    expect(body.error).toBe('Conflict');
    expect(body.message).toMatch(/^robot robot-1 would end this trip at 1\d %/);
    expect(body.message).toContain('below its reserve of 20 %');
    expect(body.message).toContain('robot robot-2 can go instead');
    // No trip was sent to robot-1: it goes to charge instead.
    expect(app.trips.activeTripOf('robot-1')).toBeUndefined();
    await waitFor(() => app.fleet.lastState('robot-1')?.batteryState.charging === true, 20_000, 'robot-1 charging');
    expect(app.energy.available('robot-1')).toBe(false);
    // 21 % is above the reserve: nothing to count.
    expect(app.energy.belowReserve()).toEqual([]);
    // The robot it names takes the same trip.
    const instead = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: 'robot-2', trays } });
    expect(instead.statusCode, instead.body).toBe(201);
  }, 60_000);

  it('counts a robot whose charge falls under its reserve, once per fall', async () => {
    const { app, fleet } = await system({ speed: 50, robots: [{ batteryPct: 25, at: 'G-loading' }], battery: { policy: { goChargeBelowPct: 0, topUpBelowPct: 0 } } });
    const driver = fleet.robots[0]!.driver;
    driver.sagBattery(10);
    await waitFor(() => app.energy.belowReserve().length > 0, 10_000, 'a fall under the reserve');
    expect(app.energy.belowReserve()).toMatchObject([{ robot: 'robot-1', chargePct: expect.closeTo(15, 0) }]);
    // Still under it: the same fall.
    driver.sagBattery(1);
    await waitFor(() => app.fleet.get('robot-1')!.battery! < 15, 10_000, 'the next state');
    expect(app.energy.belowReserve()).toHaveLength(1);
  }, 30_000);

  it('between services a robot free a while goes to charge, and a new round takes it off the charger', async () => {
    const { app, site } = await system({ speed: 100, robots: [{ batteryPct: 80, at: 'G-loading' }], battery: { policy: { topUpAfterMs: 60_000 } } });
    const chargers = new Set(site.nodes.filter((n) => n.kind === 'charger').map((n) => n.id));
    const instantActions: string[] = [];
    const publishAsync = app.mqtt.publishAsync.bind(app.mqtt);
    app.mqtt.publishAsync = ((topic: string, payload: string, options?: object) => {
      if (topic.endsWith('/robot-1/instantActions')) instantActions.push(...JSON.parse(payload).actions.map((a: { actionType: string }) => a.actionType));
      return publishAsync(topic, payload, options);
    }) as typeof app.mqtt.publishAsync;
    await waitFor(() => app.fleet.lastState('robot-1')?.batteryState.charging === true, 20_000, 'robot-1 charging');
    expect(chargers.has(app.fleet.get('robot-1')!.node!)).toBe(true);
    // 80 % is enough for work: the round takes it at once.
    const created = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: [{ room: '101' }, { room: '102' }] } });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    await waitFor(() => app.rounds.get(id)!.status === 'done', 60_000, 'round done');
    expect(instantActions).toContain('stopCharging');
    expect(app.rounds.get(id)!.rooms.every((r) => r.robot === 'robot-1')).toBe(true);
  }, 90_000);
});
