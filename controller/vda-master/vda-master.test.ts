import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { VdaMaster } from './vda-master.js';

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
