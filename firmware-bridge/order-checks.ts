import { isRobotActionType, robotActionParameters, type ErrorReference, type Order, type OrderNode } from '../protocol/index.js';
import { unsupportedActions, type RobotDriver, type RobotStatus } from './driver.js';

/** Why an order is refused: the VDA errorType, a sentence, and what it refers to beyond the order's ids. */
export interface OrderRefusal {
  errorType: 'orderError' | 'validationError' | 'noRouteError' | 'orderUpdateError';
  description: string;
  references?: ErrorReference[];
}

/**
 * Checks that need no order state: the robot can run every action (types and parameters), it
 * is in a mode that takes orders, and its driver can run the route (VDA 5050 2.1 §6.6.2: a
 * vehicle checks before it accepts). The first problem found, or undefined.
 */
export function checkOrderOnRobot(order: Pick<Order, 'nodes' | 'edges'>, driver: RobotDriver, status: RobotStatus, bridgeActionTypes: readonly string[] = []): OrderRefusal | undefined {
  const actions = [...order.nodes, ...order.edges].flatMap((x) => x.actions);
  // Actions the bridge runs itself (a lift ride through its lift port) need nothing of the driver.
  const unsupported = unsupportedActions(
    driver,
    actions.map((a) => a.actionType).filter((type) => !bridgeActionTypes.includes(type)),
  );
  if (unsupported.length) {
    return {
      errorType: 'orderError',
      description: `unsupported actionType ${unsupported.join(', ')}`,
      references: actions.filter((a) => unsupported.includes(a.actionType)).map((a) => ({ referenceKey: 'actionId', referenceValue: a.actionId })),
    };
  }
  for (const action of actions) {
    if (!isRobotActionType(action.actionType)) continue;
    const parsed = robotActionParameters(action.actionType, action);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        errorType: 'validationError',
        description: `action ${action.actionId}: ${issue.path.join('.')}: ${issue.message}`,
        references: [{ referenceKey: 'actionId', referenceValue: action.actionId }],
      };
    }
  }
  // The same refusals as vda-5050-lib's AgvController: a robot under an e-stop, with a violated
  // field or switched out of automatic must not start an order it would then not run.
  if (status.eStop !== 'NONE') {
    return { errorType: 'orderError', description: `e-stop ${status.eStop} is active`, references: [{ referenceKey: 'safetyState.eStop', referenceValue: status.eStop }] };
  }
  if (status.fieldViolation) {
    return { errorType: 'orderError', description: 'a protective field is violated', references: [{ referenceKey: 'safetyState.fieldViolation', referenceValue: 'true' }] };
  }
  if (status.operatingMode !== 'AUTOMATIC' && status.operatingMode !== 'SEMIAUTOMATIC') {
    return {
      errorType: 'orderError',
      description: `operating mode ${status.operatingMode} takes no orders`,
      references: [{ referenceKey: 'operatingMode', referenceValue: status.operatingMode }],
    };
  }
  const problems = driver.checkRoute(order);
  if (problems.length) {
    return {
      errorType: 'noRouteError',
      description: problems.map((p) => p.description).join('; '),
      references: problems.flatMap((p) => [
        ...(p.nodeId ? [{ referenceKey: 'nodeId', referenceValue: p.nodeId }] : []),
        ...(p.edgeId ? [{ referenceKey: 'edgeId', referenceValue: p.edgeId }] : []),
      ]),
    };
  }
  return undefined;
}

/**
 * Whether a new order's first node is where the robot is (VDA 5050 Figure 8, "is start of new
 * order close enough to current position?"): the node it last reached, or a node whose
 * `allowedDeviationXY` (m) covers its position on the same map.
 */
export function startsAtRobot(first: OrderNode, lastNodeId: string, status: RobotStatus): boolean {
  if (first.nodeId === lastNodeId) return true;
  const p = first.nodePosition;
  if (!p?.allowedDeviationXY || !status.positionInitialized || p.mapId !== status.position.mapId) return false;
  return Math.hypot(p.x - status.position.x, p.y - status.position.y) <= p.allowedDeviationXY;
}
