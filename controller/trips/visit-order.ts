import type { SiteGraph } from '../site/index.js';

/**
 * Orders the rooms of one trip by nearest neighbour from `fromNodeId`, in travel time over
 * the site (lifts included). Ties keep the input order, so the result is deterministic.
 */
export function nearestNeighbourOrder<T extends { room: string }>(graph: SiteGraph, fromNodeId: string, stops: T[]): T[] {
  const left = [...stops];
  const ordered: T[] = [];
  let at = fromNodeId;
  while (left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++) {
      if (graph.timeS(at, roomNode(graph, left[i]!.room)) < graph.timeS(at, roomNode(graph, left[best]!.room))) best = i;
    }
    const [next] = left.splice(best, 1);
    ordered.push(next!);
    at = roomNode(graph, next!.room);
  }
  return ordered;
}

function roomNode(graph: SiteGraph, room: string): string {
  const node = graph.roomNodes.get(room);
  if (!node) throw new Error(`unknown room ${room}`);
  return node.id;
}
