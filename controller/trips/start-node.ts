import type { AgvPosition } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';

/**
 * How far (m) a robot may stand from a site node and still start an order there: VDA 5050's
 * `allowedDeviationXY` for the first node, which we leave unset, so the robot's own default
 * applies; half a metre is well inside a corridor's width and well below the spacing of doors.
 */
export const START_DEVIATION_M = 0.5;

/**
 * The site node an order for this robot starts at: its `lastNodeId` when that is a node of the
 * site (our robots, and any robot that ran our orders before), else the node nearest its
 * `agvPosition` on the same map (`mapId` is the site level) within `deviationM`. A robot of
 * another maker reports its own node ids, or none, until it has run one of our orders.
 * Returns why not otherwise (HTTP 409).
 */
export function startNodeOf(
  graph: SiteGraph,
  robot: string,
  lastNodeId: string | null,
  position: Pick<AgvPosition, 'x' | 'y' | 'mapId'> | null,
  deviationM = START_DEVIATION_M,
): { ok: true; nodeId: string } | { ok: false; reason: string } {
  if (lastNodeId && graph.nodes.has(lastNodeId)) return { ok: true, nodeId: lastNodeId };
  const known = lastNodeId ? `its last node ${lastNodeId} is not on the site` : 'it reports no last node';
  if (!position) return { ok: false, reason: `cannot tell where robot ${robot} is: ${known} and it reports no position` };
  let best: { id: string; d: number } | undefined;
  for (const node of graph.nodes.values()) {
    if (node.level !== position.mapId) continue;
    const d = Math.hypot(node.x - position.x, node.y - position.y);
    if (!best || d < best.d) best = { id: node.id, d };
  }
  if (!best) return { ok: false, reason: `cannot tell where robot ${robot} is: ${known} and its map ${position.mapId} is no level of the site` };
  if (best.d > deviationM) {
    return { ok: false, reason: `robot ${robot} is ${best.d.toFixed(1)} m from the nearest site node ${best.id} on ${position.mapId} (more than ${deviationM} m): ${known}` };
  }
  return { ok: true, nodeId: best.id };
}
