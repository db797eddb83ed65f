import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { brokerForTests, uniqueManufacturer } from '../controller/transport/test-broker.js';
import type { Site } from '../protocol/index.js';
import { startSimRobotFleet } from '../sim/robot-fleet.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { waitFor } from '../sim/scenario.js';
import { SimWorld } from '../sim/world.js';

/** The rooms of the fault tests' round: two floors, four rooms each. */
export const FAULT_ROUND_ROOMS = ['301', '302', '303', '304', '601', '602', '603', '604'];

/**
 * The set-up of the fault tests: the hotel through a real broker (aedes, or Mosquitto at
 * MQTT_URL) at ×500, the controller, and two simulated robots (seed 2, every resident takes the
 * tray) standing idle, with the world they move in. `startRound` posts the round of {@link FAULT_ROUND_ROOMS} (201 expected)
 * and gives its id; a test breaks a robot before or after. The teardown steps go on `cleanup`,
 * to run in reverse.
 */
export async function faultRound(
  name: string,
  cleanup: (() => Promise<void>)[],
): Promise<{ app: FastifyInstance; fleet: Awaited<ReturnType<typeof startSimRobotFleet>>; world: SimWorld; site: Site; startRound: () => Promise<string> }> {
  const broker = await brokerForTests();
  cleanup.push(() => broker.close());
  const manufacturer = uniqueManufacturer(name);
  const site = await loadSite('hotel');
  const clock = new ScaledClock(500);
  const app = await buildApp({ site, mqttUrl: broker.url, manufacturer, clock, roundImproveMs: 100 });
  cleanup.push(() => app.close());
  const world = new SimWorld({ site, clock, seed: 2, residents: { neverShare: 0 } });
  const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer, visualizationIntervalMs: 60_000 });
  cleanup.push(() => fleet.stop());
  await waitFor(() => app.fleet.list().filter((r) => r.state === 'idle').length === 2, 10_000, 'robots idle');
  const startRound = async () => {
    const created = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: FAULT_ROUND_ROOMS.map((room) => ({ room })) } });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<{ id: string }>().id;
  };
  return { app, fleet, world, site, startRound };
}
