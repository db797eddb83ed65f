import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { InstantActions, State } from '../../protocol/index.js';
import { idleRobotStateBody } from '../../test-support/device-messages.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { manualClock } from '../../test-support/manual-clock.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { orderAlong } from '../trips/order-builder.js';
import type { VdaMaster } from '../vda-master/index.js';
import { EnergyManager } from './energy-manager.js';

const graph = new SiteGraph(await loadSite('hotel'));

/** robot-1 charging at 90 % on the loading station's charger, an energy manager following it, and the instant actions it is sent. */
function setUp() {
  const { clock, advance } = manualClock();
  const states = new Map<string, State>();
  const fleet = Object.assign(new EventEmitter(), {
    lastState: (id: string) => states.get(id),
    factsheet: () => undefined,
    get: () => undefined,
    list: () => [],
  });
  const sent: { robot: string; actionType: string; actionId: string }[] = [];
  const master = {
    instantAction: async (robot: string, action: InstantActions['actions'][number]) => void sent.push({ robot, actionType: action.actionType, actionId: action.actionId }),
  };
  const energy = new EnergyManager({
    fleet: fleet as unknown as FleetRegistry,
    graph,
    master: master as unknown as VdaMaster,
    clock,
    log: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never,
    onTrip: () => false,
    demand: () => false,
    stopChargingTimeoutMs: 30_000,
  });
  energy.start();
  /** robot-1 reports a state. */
  const report = (over: Partial<State>) => {
    const state = { headerId: 0, timestamp: new Date(clock.now()).toISOString(), version: '2.1.0', manufacturer: 'm', serialNumber: 'robot-1', ...idleRobotStateBody(over) } as State;
    states.set('robot-1', state);
    fleet.emit('state', 'robot-1', state);
  };
  report({ batteryState: { batteryCharge: 90, charging: true } });
  const trip = orderAlong(
    { graph, orderId: 'trip-1', manufacturer: 'm', serialNumber: 'robot-1', headerId: 0, timestamp: new Date(clock.now()).toISOString(), startContaminated: false },
    'G-loading',
    [{ nodeId: 'G-c6', actions: [] }],
  );
  return { energy, report, sent, advance, trip };
}

const settled = async <T>(promise: Promise<T>): Promise<T | 'pending'> => Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

describe('EnergyManager: a trip for a robot on a charger', () => {
  it('tells it to stop charging and has the order wait until its state shows it stopped', async () => {
    const { energy, report, sent, trip } = setUp();
    expect(energy.untilOffCharger('robot-1')).toBeUndefined();
    expect(energy.checkTrip('robot-1', [trip])).toBeUndefined();
    expect(sent).toEqual([{ robot: 'robot-1', actionType: 'stopCharging', actionId: expect.stringMatching(/:stop$/) }]);
    const stop = sent[0]!.actionId;
    const offCharger = energy.untilOffCharger('robot-1')!;
    // Still charging, the stop running: the order waits.
    report({ batteryState: { batteryCharge: 90, charging: true }, actionStates: [{ actionId: stop, actionType: 'stopCharging', actionStatus: 'RUNNING' }] });
    expect(await settled(offCharger)).toBe('pending');
    report({ batteryState: { batteryCharge: 90, charging: false }, actionStates: [{ actionId: stop, actionType: 'stopCharging', actionStatus: 'FINISHED' }] });
    expect(await settled(offCharger)).toBeUndefined();
    // Stopped: the next order goes at once.
    expect(energy.untilOffCharger('robot-1')).toBeUndefined();
  });

  it('takes the stopCharging FINISHED as stopped, even in a state that still says charging', async () => {
    const { energy, report, sent, trip } = setUp();
    energy.checkTrip('robot-1', [trip]);
    const offCharger = energy.untilOffCharger('robot-1')!;
    report({ batteryState: { batteryCharge: 90, charging: true }, actionStates: [{ actionId: sent[0]!.actionId, actionType: 'stopCharging', actionStatus: 'FINISHED' }] });
    expect(await settled(offCharger)).toBeUndefined();
  });

  it('gives the reason instead when the stop fails or does not show within the timeout', async () => {
    const { energy, report, sent, advance, trip } = setUp();
    energy.checkTrip('robot-1', [trip]);
    const timedOut = energy.untilOffCharger('robot-1')!;
    advance(29_000);
    expect(await settled(timedOut)).toBe('pending');
    advance(1_000);
    expect(await settled(timedOut)).toBe(
      `robot-1 still charging 30 s after it was told to stop (${sent[0]!.actionId}); its order was not sent, as a robot refuses an order while stopCharging runs`,
    );
    const failed = energy.untilOffCharger('robot-1')!;
    report({
      batteryState: { batteryCharge: 90, charging: true },
      actionStates: [{ actionId: sent[0]!.actionId, actionType: 'stopCharging', actionStatus: 'FAILED', resultDescription: 'charger latch stuck' }],
    });
    expect(await settled(failed)).toBe(`robot-1 could not stop charging (${sent[0]!.actionId} FAILED: charger latch stuck); its order was not sent`);
  });
});
