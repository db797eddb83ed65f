import type { ActionStatus, State, VdaError } from '../../protocol/index.js';

/**
 * What one VDA 5050 state says about one order the master sent (section 6.10 of VDA 5050 2.1):
 * - `orderRejected`: the robot is not on the order and an error references its `orderId`
 *   (it refused the order: 6.6.3);
 * - `instantActionFailed`: an instant action the master watches failed (an error references its
 *   `actionId`, or its actionState is FAILED);
 * - `fatalError`: a FATAL error while the order is alive (nodes left, or an action not final);
 * - `action`: the status of one of the order's actions, in the state's order;
 * - `orderEnded`: every action of the order final, no node left and not driving, with the FATAL
 *   error if the robot has one.
 *
 * A state of another order gives `orderRejected` or nothing.
 */
export type OrderEvent =
  | { kind: 'orderRejected'; error: VdaError }
  | { kind: 'instantActionFailed'; actionId: string; description: string }
  | { kind: 'fatalError'; error: VdaError }
  | { kind: 'action'; actionId: string; status: ActionStatus; final: boolean; resultDescription?: string }
  | { kind: 'orderEnded'; fatal?: VdaError };

/** Which order {@link orderEvents} reads a state for. */
export interface OrderWatch {
  orderId: string;
  /** True for the actionIds of the order's node and edge actions (the others in the state belong to other orders or are instant). */
  ownsAction: (actionId: string) => boolean;
  /** Instant actions sent for this order whose failure the master must hear of. Default none. */
  instantActionIds?: readonly string[];
}

const isFinal = (status: ActionStatus) => status === 'FINISHED' || status === 'FAILED';

/** Turns a robot's state into the events of one order it was sent (see {@link OrderEvent}). Pure. */
export function orderEvents(state: State, watch: OrderWatch): OrderEvent[] {
  const { orderId } = watch;
  if (state.orderId !== orderId) {
    const rejection = state.errors.find((e) => e.errorReferences?.some((r) => r.referenceKey === 'orderId' && r.referenceValue === orderId));
    return rejection ? [{ kind: 'orderRejected', error: rejection }] : [];
  }
  const events: OrderEvent[] = [];
  for (const actionId of watch.instantActionIds ?? []) {
    const error = state.errors.find((e) => e.errorReferences?.some((r) => r.referenceKey === 'actionId' && r.referenceValue === actionId));
    const failed = state.actionStates.find((a) => a.actionId === actionId && a.actionStatus === 'FAILED');
    if (error) events.push({ kind: 'instantActionFailed', actionId, description: error.errorDescription ?? error.errorType });
    else if (failed) events.push({ kind: 'instantActionFailed', actionId, description: failed.resultDescription ?? 'FAILED' });
  }
  const fatal = state.errors.find((e) => e.errorLevel === 'FATAL');
  const alive = state.nodeStates.length > 0 || state.actionStates.some((a) => !isFinal(a.actionStatus));
  if (fatal && alive) events.push({ kind: 'fatalError', error: fatal });
  let allFinal = true;
  for (const action of state.actionStates) {
    if (!watch.ownsAction(action.actionId)) continue;
    const final = isFinal(action.actionStatus);
    allFinal &&= final;
    events.push({
      kind: 'action',
      actionId: action.actionId,
      status: action.actionStatus,
      final,
      ...(action.resultDescription !== undefined ? { resultDescription: action.resultDescription } : {}),
    });
  }
  if (allFinal && state.nodeStates.length === 0 && !state.driving) events.push(fatal ? { kind: 'orderEnded', fatal } : { kind: 'orderEnded' });
  return events;
}
