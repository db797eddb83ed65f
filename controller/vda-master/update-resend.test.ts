import { describe, expect, it } from 'vitest';
import type { Order, State } from '../../protocol/index.js';
import { update, waiting } from './order-update.test-support.js';
import { UpdateResend, UPDATE_RESEND_AFTER_MS } from './update-resend.js';

const after = UPDATE_RESEND_AFTER_MS;

/** `order` sent to robot-2, and taken by the broker at `ms`. */
function taken(resend: UpdateResend, order: Order, ms: number): void {
  resend.sent('robot-2', order);
  resend.published('robot-2', order, ms);
}

describe('UpdateResend', () => {
  it('sends an update again when the robot still waits for it where it begins, once per interval', () => {
    const resend = new UpdateResend();
    taken(resend, update, 0);
    // Its states right after the send may be older than the update: not yet.
    expect(resend.onState('robot-2', waiting, after - 1)).toBeUndefined();
    expect(resend.onState('robot-2', waiting, after)).toBe(update);
    // Not again until the broker took the repeat, then counted from there.
    expect(resend.onState('robot-2', waiting, 3 * after)).toBeUndefined();
    resend.published('robot-2', update, 3 * after);
    expect(resend.onState('robot-2', waiting, 4 * after - 1)).toBeUndefined();
    expect(resend.onState('robot-2', waiting, 4 * after)).toBe(update);
    expect(resend.onState('robot-1', waiting, 5 * after)).toBeUndefined();
  });

  it('does not repeat an update the broker has not taken yet (the MQTT client still holds it and sends it once connected)', () => {
    const resend = new UpdateResend();
    resend.sent('robot-2', update);
    expect(resend.onState('robot-2', waiting, 10 * after)).toBeUndefined();
    // The broker's PUBACK of the update before does not start the wait for this one.
    resend.published('robot-2', { ...update, orderUpdateId: 2 }, 10 * after);
    expect(resend.onState('robot-2', waiting, 20 * after)).toBeUndefined();
    resend.published('robot-2', update, 20 * after);
    expect(resend.onState('robot-2', waiting, 21 * after)).toBe(update);
  });

  it('stops once a state shows the update (or a later one)', () => {
    const resend = new UpdateResend();
    taken(resend, update, 0);
    expect(resend.onState('robot-2', { ...waiting, orderUpdateId: 3 }, after)).toBeUndefined();
    expect(resend.onState('robot-2', waiting, 2 * after)).toBeUndefined();
    taken(resend, update, 0);
    expect(resend.onState('robot-2', { ...waiting, orderUpdateId: 4 }, after)).toBeUndefined();
    expect(resend.onState('robot-2', waiting, 2 * after)).toBeUndefined();
  });

  it('waits while the robot is not yet standing where the update begins', () => {
    const resend = new UpdateResend();
    taken(resend, update, 0);
    expect(resend.onState('robot-2', { ...waiting, driving: true }, after)).toBeUndefined();
    expect(resend.onState('robot-2', { ...waiting, lastNodeId: 'F2-c6', lastNodeSequenceId: 36 }, after)).toBeUndefined();
    // Same node, earlier pass (a loop in the order): not where the update begins.
    expect(resend.onState('robot-2', { ...waiting, lastNodeSequenceId: 12 }, after)).toBeUndefined();
    expect(resend.onState('robot-2', waiting, after)).toBe(update);
  });

  it('forgets an update the robot refused, one of an order it is not on or has nothing left of, and one replaced by a new order', () => {
    const refusal = {
      errorType: 'orderUpdateError',
      errorLevel: 'WARNING',
      errorReferences: [
        { referenceKey: 'orderId', referenceValue: 'trip-1' },
        { referenceKey: 'orderUpdateId', referenceValue: '3' },
      ],
    };
    const cases: [string, Partial<State>][] = [
      ['refused', { errors: [refusal] as State['errors'] }],
      ['another order', { orderId: 'trip-2', orderUpdateId: 0 }],
      ['nothing left (cancelled)', { nodeStates: [] }],
    ];
    for (const [why, change] of cases) {
      const resend = new UpdateResend();
      taken(resend, update, 0);
      expect(resend.onState('robot-2', { ...waiting, ...change }, after), why).toBeUndefined();
      expect(resend.onState('robot-2', waiting, 2 * after), why).toBeUndefined();
    }
    const replaced = new UpdateResend();
    taken(replaced, update, 0);
    taken(replaced, { ...update, orderId: 'charge-1', orderUpdateId: 0 }, 0);
    expect(replaced.onState('robot-2', waiting, after)).toBeUndefined();
  });

  it('forgets the update of an order cancelled on the robot or given up on', () => {
    const cancelled = new UpdateResend();
    taken(cancelled, update, 0);
    cancelled.cancelled('robot-2');
    expect(cancelled.onState('robot-2', waiting, after)).toBeUndefined();
    const abandoned = new UpdateResend();
    taken(abandoned, update, 0);
    abandoned.abandoned('trip-9');
    abandoned.abandoned('trip-1');
    expect(abandoned.onState('robot-2', waiting, after)).toBeUndefined();
  });
});
