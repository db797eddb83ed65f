import { describe, expect, it } from 'vitest';
import type { ActionStatus, State } from '../../protocol/index.js';
import { orderEvents, type OrderWatch } from './order-events.js';

/** A state on `orderId` with these action states (by id), driving with a node left unless `idle`. */
function state(over: { orderId?: string; actions?: [string, ActionStatus, string?][]; idle?: boolean; errors?: State['errors'] } = {}): State {
  return {
    headerId: 1,
    timestamp: '2026-11-29T12:00:00.000Z',
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 'r1',
    orderId: over.orderId ?? 'o1',
    orderUpdateId: 0,
    lastNodeId: 'a',
    lastNodeSequenceId: 0,
    nodeStates: over.idle ? [] : [{ nodeId: 'b', sequenceId: 2, released: true }],
    edgeStates: [],
    driving: !over.idle,
    actionStates: (over.actions ?? []).map(([actionId, actionStatus, resultDescription]) => ({
      actionId,
      actionType: 'x',
      actionStatus,
      ...(resultDescription ? { resultDescription } : {}),
    })),
    errors: over.errors ?? [],
    operatingMode: 'AUTOMATIC',
    batteryState: { batteryCharge: 80, charging: false },
    safetyState: { eStop: 'NONE', fieldViolation: false },
    information: [],
  } as State;
}

const watch: OrderWatch = { orderId: 'o1', ownsAction: (id) => id.startsWith('o1:n'), instantActionIds: ['o1:confirm'] };
const kinds = (events: { kind: string }[]) => events.map((e) => e.kind);

describe('orderEvents', () => {
  it("gives each of the order's actions in the state's order, leaving out other orders' and instant actions", () => {
    const events = orderEvents(
      state({
        actions: [
          ['o1:n1', 'FINISHED'],
          ['o0:n1', 'RUNNING'],
          ['o1:confirm', 'FINISHED'],
          ['o1:n2', 'FAILED', 'notCollected'],
          ['o1:n3', 'WAITING'],
        ],
      }),
      watch,
    );
    expect(events).toEqual([
      { kind: 'action', actionId: 'o1:n1', status: 'FINISHED', final: true },
      { kind: 'action', actionId: 'o1:n2', status: 'FAILED', final: true, resultDescription: 'notCollected' },
      { kind: 'action', actionId: 'o1:n3', status: 'WAITING', final: false },
    ]);
  });

  it('ends the order once its actions are final, no node is left and the robot stands; not while it drives or an action runs', () => {
    expect(kinds(orderEvents(state({ idle: true, actions: [['o1:n1', 'FINISHED']] }), watch))).toEqual(['action', 'orderEnded']);
    expect(kinds(orderEvents(state({ actions: [['o1:n1', 'FINISHED']] }), watch))).toEqual(['action']);
    expect(kinds(orderEvents(state({ idle: true, actions: [['o1:n1', 'RUNNING']] }), watch))).toEqual(['action']);
    // Another order's action still running does not hold this one's end.
    expect(
      kinds(
        orderEvents(
          state({
            idle: true,
            actions: [
              ['o1:n1', 'FINISHED'],
              ['o0:n1', 'RUNNING'],
            ],
          }),
          watch,
        ),
      ),
    ).toEqual(['action', 'orderEnded']);
  });

  it('reads a FATAL error as fatal while the order is alive, and as the reason of its end once it is over', () => {
    const fatal = { errorType: 'hardware', errorLevel: 'FATAL' as const, errorDescription: 'motor' };
    expect(orderEvents(state({ actions: [['o1:n1', 'RUNNING']], errors: [fatal] }), watch)).toEqual([
      { kind: 'fatalError', error: fatal },
      { kind: 'action', actionId: 'o1:n1', status: 'RUNNING', final: false },
    ]);
    expect(orderEvents(state({ idle: true, actions: [['o1:n1', 'FAILED']], errors: [fatal] }), watch)).toEqual([
      { kind: 'action', actionId: 'o1:n1', status: 'FAILED', final: true },
      { kind: 'orderEnded', fatal },
    ]);
  });

  it('names a watched instant action that failed, by an error referencing it or its FAILED state; not one that is not watched', () => {
    const refused = {
      errorType: 'confirmRefused',
      errorLevel: 'WARNING' as const,
      errorDescription: 'trays not detected',
      errorReferences: [{ referenceKey: 'actionId', referenceValue: 'o1:confirm' }],
    };
    expect(orderEvents(state({ errors: [refused] }), watch)).toEqual([{ kind: 'instantActionFailed', actionId: 'o1:confirm', description: 'trays not detected' }]);
    expect(orderEvents(state({ actions: [['o1:confirm', 'FAILED', 'tray 2 empty']] }), watch)).toEqual([
      { kind: 'instantActionFailed', actionId: 'o1:confirm', description: 'tray 2 empty' },
    ]);
    expect(orderEvents(state({ actions: [['o1:confirm', 'FAILED']] }), { ...watch, instantActionIds: [] })).toEqual([]);
  });

  it('gives a rejection for a state of another order with an error naming this one, and nothing for another order otherwise', () => {
    const rejected = { errorType: 'orderError', errorLevel: 'WARNING' as const, errorDescription: 'no route', errorReferences: [{ referenceKey: 'orderId', referenceValue: 'o1' }] };
    expect(orderEvents(state({ orderId: 'o0', idle: true, errors: [rejected] }), watch)).toEqual([{ kind: 'orderRejected', error: rejected }]);
    expect(orderEvents(state({ orderId: 'o0', idle: true, actions: [['o1:n1', 'FINISHED']] }), watch)).toEqual([]);
  });
});
