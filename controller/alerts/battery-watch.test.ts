import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { batteryUnknownInfo, siteSchema, type Clock, type State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { AlertCenter } from './alert-center.js';
import { watchBatteries } from './battery-watch.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 })));
const clock: Clock = { now: () => Date.parse('2026-11-29T08:00:00Z'), setTimeout: () => ({ id: 0 }), clearTimeout: () => {} };

/** The registry's events and the robot's view: all the watch reads of the fleet. */
function fleetStandIn() {
  const fleet = Object.assign(new EventEmitter(), {
    get: () => ({ node: 'G-loading', position: { x: 0, y: 0, mapId: 'G' } }),
  });
  const report = (chargePct: number, charging = false, unknown = false) =>
    fleet.emit('state', 'robot-1', {
      batteryState: { batteryCharge: chargePct, charging },
      ...(unknown ? { information: [batteryUnknownInfo] } : {}),
    } as unknown as State);
  return { fleet: fleet as unknown as FleetRegistry, report };
}

describe('watchBatteries', () => {
  it('raises batteryLow once when a robot reports under its reserve, with the figures and where it is, and resolves it when it charges', () => {
    const alerts = new AlertCenter(clock);
    const { fleet, report } = fleetStandIn();
    const stop = watchBatteries({ fleet, alerts, graph, reservePct: () => 20 });
    report(35);
    report(20);
    expect(alerts.list()).toEqual([]);
    report(19.4);
    report(18);
    const [alert, ...more] = alerts.list();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'batteryLow', subject: 'robot-1', count: 1 });
    expect(alert!.message).toBe('robot-1: battery at 19 %, under its reserve of 20 %');
    expect(alert!.where?.level).toBe('G');
    report(18, true);
    expect(alerts.list()).toEqual([]);
    expect(alerts.list({ status: 'resolved' })[0]!.resolution).toContain('charging');
    stop();
    report(5);
    expect(alerts.list()).toEqual([]);
  });

  it('takes each robot’s own reserve, and raises nothing for a charge the robot does not know', () => {
    const alerts = new AlertCenter(clock);
    const { fleet, report } = fleetStandIn();
    watchBatteries({ fleet, alerts, graph, reservePct: () => 30 });
    report(0, false, true);
    expect(alerts.list()).toEqual([]);
    report(25);
    expect(alerts.list()[0]!.message).toContain('under its reserve of 30 %');
    report(31);
    expect(alerts.list()).toEqual([]);
  });
});
