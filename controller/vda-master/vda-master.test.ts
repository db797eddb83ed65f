import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Order, State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { VdaMaster } from './vda-master.js';
import { update, waiting } from './order-update.test-support.js';

/** A robot back on an order the controller gave up on, with one node still to go. */
const runningState = { orderId: 'trip-7', nodeStates: [{ nodeId: 'r101', sequenceId: 2, released: true }], actionStates: [] } as unknown as State;

function master(failures: number) {
  const published: { topic: string; actionType: string }[] = [];
  const warnings: object[] = [];
  let left = failures;
  const client = {
    publishAsync: async (topic: string, payload: string) => {
      if (left-- > 0) throw new Error('client disconnecting');
      published.push({ topic, actionType: JSON.parse(payload).actions[0].actionType });
    },
  };
  const fleet = Object.assign(new EventEmitter(), { ownManufacturer: 'isofleet', get: () => undefined, factsheet: () => undefined });
  const vda = new VdaMaster({
    client: client as never,
    fleet: fleet as unknown as FleetRegistry,
    clock: { now: () => 0 } as never,
    log: { info: () => {}, warn: (o) => warnings.push(o) },
  });
  return { vda, fleet, published, warnings };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('VdaMaster’s own instant actions', () => {
  it('logs a cancelOrder that could not be sent, without an unhandled rejection, and sends it on the next state', async () => {
    const { vda, published, warnings } = master(1);
    vda.watchAbandoned('trip-7');
    vda.observe('robot-1', runningState);
    await settle();
    expect(published).toEqual([]);
    expect(warnings.at(-1)).toMatchObject({ robot: 'robot-1', actionType: 'cancelOrder' });
    vda.observe('robot-1', runningState);
    await settle();
    expect(published).toEqual([{ topic: 'uagv/v2/isofleet/robot-1/instantActions', actionType: 'cancelOrder' }]);
    // Sent once: the order is no longer watched.
    vda.observe('robot-1', runningState);
    await settle();
    expect(published).toHaveLength(1);
  });

  it('asks a robot for its state again when the first stateRequest could not be sent', async () => {
    const { vda, fleet, published, warnings } = master(1);
    vda.start();
    fleet.emit('robot', { id: 'robot-1', online: true });
    await settle();
    expect(warnings).toHaveLength(1);
    fleet.emit('robot', { id: 'robot-1', online: true });
    await settle();
    expect(published.map((p) => p.actionType)).toEqual(['stateRequest']);
  });
});

describe('VdaMaster’s order updates', () => {
  /**
   * A broker that restarted without the robot's session acknowledges an update published before
   * the robot subscribed again, and delivers it to nobody: `delivered` holds what reached the robot.
   */
  function restartedBroker() {
    let nowMs = 0;
    const delivered: Order[] = [];
    let subscribed = false;
    const client = {
      publishAsync: async (topic: string, payload: string) => {
        if (subscribed && topic.endsWith('/order')) delivered.push(JSON.parse(payload) as Order);
      },
    };
    const fleet = Object.assign(new EventEmitter(), { ownManufacturer: 'isofleet', get: () => undefined, factsheet: () => undefined });
    const vda = new VdaMaster({
      client: client as never,
      fleet: fleet as unknown as FleetRegistry,
      clock: { now: () => nowMs } as never,
      log: { info: () => {}, warn: () => {} },
    });
    return { vda, delivered, subscribe: () => (subscribed = true), at: (ms: number) => (nowMs = ms) };
  }

  it('sends an update lost by a restarted broker again, unchanged but for its header, once the robot’s states show it still waiting for it', async () => {
    const { vda, delivered, subscribe, at } = restartedBroker();
    await vda.order('robot-2', update);
    subscribe();
    // Its first state after it reconnected: the update was sent a moment ago, it may still be on its way.
    at(1_000);
    vda.observe('robot-2', waiting);
    expect(delivered).toEqual([]);
    // Its heartbeat 30 s on: still on update 2 where update 3 begins.
    at(31_000);
    vda.observe('robot-2', waiting);
    expect(delivered).toHaveLength(1);
    const { headerId, timestamp, ...again } = delivered[0]!;
    const { headerId: _, timestamp: __, ...sent } = update;
    expect(again).toEqual(sent);
    expect(timestamp).toBe(new Date(31_000).toISOString());
    // Taken: never again.
    at(61_000);
    vda.observe('robot-2', { ...waiting, orderUpdateId: 3 });
    at(91_000);
    vda.observe('robot-2', waiting);
    expect(delivered).toHaveLength(1);
  });

  it('does not send again an update of an order it told the robot to cancel', async () => {
    const { vda, delivered, subscribe, at } = restartedBroker();
    await vda.order('robot-2', update);
    subscribe();
    await vda.cancelOrder('robot-2', 'trip-1');
    at(31_000);
    vda.observe('robot-2', waiting);
    expect(delivered).toEqual([]);
  });
});
