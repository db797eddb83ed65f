import type { AlertPlace, SiteNode } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';

/** Within this many metres of a node a robot is "at" it. */
const AT_M = 1.5;

/**
 * Where a robot is, as people on the site say it: the floor and the landmark it stands at or is
 * nearest to — a room's door, a lift, the loading station, a charger — from its last node and
 * its position (metres in the level's frame). Corridor nodes are named after the nearest room.
 */
export function placeOf(graph: SiteGraph, robot: { node: string | null; position: { x: number; y: number; mapId: string } | null }): AlertPlace | undefined {
  const lastNode = robot.node ? graph.nodes.get(robot.node) : undefined;
  const level = robot.position?.mapId ?? lastNode?.level;
  if (level === undefined) return undefined;
  const from = robot.position ?? lastNode!;
  let nearest: { node: SiteNode; distanceM: number } | undefined;
  let nearestRoom: typeof nearest;
  for (const node of graph.nodes.values()) {
    if (node.level !== level) continue;
    const distanceM = Math.hypot(node.x - from.x, node.y - from.y);
    if (node.kind !== 'corridor' && (!nearest || distanceM < nearest.distanceM)) nearest = { node, distanceM };
    if (node.kind === 'room' && (!nearestRoom || distanceM < nearestRoom.distanceM)) nearestRoom = { node, distanceM };
  }
  const at = nearest !== undefined && nearest.distanceM <= AT_M;
  const landmark = at ? nearest!.node : (nearestRoom?.node ?? nearest?.node);
  if (!landmark) return { level, landmark: 'corridor', at: false, text: `${level}, in the corridor` };
  const kind = landmark.kind === 'corridor' ? 'corridor' : landmark.kind === 'liftLanding' ? 'lift' : landmark.kind;
  const name = landmark.room ?? landmark.lift;
  const what = {
    room: `the door of room ${name}`,
    lift: `lift ${name}`,
    loading: 'the loading station',
    charger: 'a charger',
    disinfection: 'the disinfection point',
    corridor: 'the corridor',
  }[kind];
  return {
    level,
    landmark: kind,
    ...(name !== undefined ? { name } : {}),
    at,
    text: at ? `${level}, at ${what}` : `${level}, in the corridor near ${kind === 'room' ? `room ${name}` : what}`,
  };
}
