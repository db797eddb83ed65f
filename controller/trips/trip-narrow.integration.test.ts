/**
 * Two simulated robots through the hotel's single-width tunnel (loading station — disinfection
 * station — corridor) in opposite directions at once, through a real broker: one leaves the
 * loading station for a room while the other comes in from the corridor to load. The simulated
 * world always knows the tunnel is single-width; the controller reserves it only when its site
 * marks it.
 */
import { describe, expect, it } from 'vitest';
import type { Site } from '../../protocol/index.js';
import { startSimRobotFleet } from '../../sim/robot-fleet.js';
import { scenarioClock } from '../../sim/scenario-clock.js';
import { SimWorld } from '../../sim/world.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

async function crossTunnel(reserve: boolean) {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const manufacturer = uniqueManufacturer('narrow');
    const site = await loadSite('hotel');
    const controllerSite: Site = reserve ? site : { ...site, lanes: site.lanes.map(({ way: _, ...lane }) => lane) };
    const { clock } = scenarioClock('virtual', 60, process.env.MQTT_URL);
    cleanup.push(async () => clock.close());
    const app = await buildApp({ site: controllerSite, mqttUrl: broker.url, manufacturer, clock });
    cleanup.push(() => app.close());
    const world = new SimWorld({ site, clock, seed: 1, residents: { minS: 5, maxS: 5, neverShare: 0 } });
    // robot-1 at the loading station, robot-2 in the corridor at the tunnel's other end.
    const fleet = await startSimRobotFleet({ mqttUrl: broker.url, world, count: 2, manufacturer, robots: [{ at: 'G-loading' }, { at: 'G-c6' }], visualizationIntervalMs: 20_000 });
    cleanup.push(() => fleet.stop());
    await clock.until(() => app.fleet.list().filter((r) => r.state === 'idle').length === 2, { wallLimitMs: 10_000, what: 'two idle robots' });
    const ids: string[] = [];
    for (const [i, room] of ['101', '102'].entries()) {
      const reply = await app.inject({ method: 'POST', url: '/api/trips', payload: { robot: `robot-${i + 1}`, trays: [{ tray: 1, room, item: `lunch ${room}` }] } });
      expect(reply.statusCode, reply.body).toBe(201);
      ids.push(reply.json<{ id: string }>().id);
    }
    await clock.until(() => ids.every((id) => ['done', 'failed'].includes(app.trips.get(id)!.status)), { wallLimitMs: 60_000, what: 'both trips to end' });
    return { statuses: ids.map((id) => app.trips.get(id)!.status), headOn: [...world.narrow.headOn], longWaits: [...world.narrow.longWaits] };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

describe('robots through a single-width way in opposite directions', () => {
  it('without reservations the simulator sees them meet head-on in the tunnel', async () => {
    const run = await crossTunnel(false);
    expect(run.headOn.map((m) => m.way)).toContain('G-tunnel');
    expect(run.headOn.find((m) => m.way === 'G-tunnel')!.robots.sort()).toEqual(['robot-1', 'robot-2']);
  }, 90_000);

  it('with them, one waits at its end of the tunnel until the other is through: no meeting, both trips done', async () => {
    const run = await crossTunnel(true);
    expect(run.headOn).toEqual([]);
    expect(run.longWaits).toEqual([]);
    expect(run.statuses).toEqual(['done', 'done']);
  }, 90_000);
});
