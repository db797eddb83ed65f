import type { TripRecord } from '../storage/index.js';
import type { TripPlan } from './capabilities.js';
import { buildContactlessOrders } from './contactless-order.js';
import { buildTripOrder, type TripOrderInput } from './order-builder.js';

/**
 * The orders of a trip for the robot's plan: one order (`isofleet`), or the approach order and
 * the delivery held back until the medic confirms (`contactless`). A site whose graph leaves the
 * robot's node unconnected gives the reason instead (a 409, not a 500).
 */
export function tripOrdersFor(plan: TripPlan, input: TripOrderInput): { ok: true; orders: Pick<TripRecord, 'order' | 'pending'> } | { ok: false; reason: string } {
  try {
    if (plan.kind === 'isofleet') return { ok: true, orders: { order: buildTripOrder(input) } };
    const { approach, delivery } = buildContactlessOrders(input, plan);
    return { ok: true, orders: { order: approach, pending: delivery } };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
