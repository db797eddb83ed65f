import { disinfectionAt, type State } from '../../protocol/index.js';
import type { SiteGraph } from '../site/index.js';
import { narrowWaysOf } from '../traffic/narrow-ways.js';

/**
 * Where a robot's order tells it to wait, read from its VDA state:
 * - `lift`: on a lift edge — queueing for the car at the landing, or riding it;
 * - `loading`: at the loading station running `loadTrays` — in the loading queue or being
 *   loaded; it waits for the medic, as long as that takes;
 * - `pickup`: at a door running `waitForPickup` (or the announcement before it), which ends by
 *   itself after its timeout;
 * - `disinfection`: at a disinfection station running `disinfect`, or held there by the order's
 *   horizon (the way on not released), which ends after the station's `durationS`;
 * - `way`: at an end of a single-width way, its order held there (the way on not released)
 *   until the controller grants it the way (`TripNarrow`): its turn in the way's queue, which ends
 *   as the robots ahead get through (a robot that stops inside is `wayBlocked`'s alert);
 * - `paused`: paused by an instant action.
 * Undefined when the order asks it to be moving or doing something quick.
 */
export type Waiting =
  | { kind: 'lift'; lift: string }
  | { kind: 'loading' }
  | { kind: 'pickup' }
  | { kind: 'disinfection'; durationS: number }
  | { kind: 'way'; way: string }
  | { kind: 'paused' };

/** See {@link Waiting}. */
export function waitingOf(state: State, graph: SiteGraph): Waiting | undefined {
  if (state.paused) return { kind: 'paused' };
  const running = state.actionStates.filter((a) => a.actionStatus === 'RUNNING' || a.actionStatus === 'INITIALIZING');
  if (running.some((a) => a.actionType === 'loadTrays' || a.actionId.endsWith(':load'))) return { kind: 'loading' };
  if (running.some((a) => ['waitForPickup', 'announce'].includes(a.actionType ?? '') || /:(pickup|announce):\d+$/.test(a.actionId))) return { kind: 'pickup' };
  if (running.some((a) => a.actionType === 'disinfect' || /:disinfect:\d+$/.test(a.actionId))) {
    const station = graph.nodes.get(state.lastNodeId);
    return { kind: 'disinfection', durationS: (station && disinfectionAt(station)?.durationS) ?? 0 };
  }
  const next = [...state.nodeStates].sort((a, b) => a.sequenceId - b.sequenceId)[0];
  const from = graph.nodes.get(state.lastNodeId);
  // Held at a station by the order's horizon (a robot without `disinfect`): the controller releases it after the duration.
  const held = from && next && !next.released ? disinfectionAt(from) : undefined;
  if (held) return { kind: 'disinfection', durationS: held.durationS };
  const way = next && !next.released ? narrowWaysOf(graph.site).wayOf(state.lastNodeId, next.nodeId) : undefined;
  if (way?.ends.has(state.lastNodeId)) return { kind: 'way', way: way.id };
  const to = next && graph.nodes.get(next.nodeId);
  if (from?.kind === 'liftLanding' && to?.kind === 'liftLanding' && from.lift === to.lift && from.level !== to.level) return { kind: 'lift', lift: from.lift! };
  return undefined;
}

/** Longest expected wait for one robot's turn in a lift, ms: the car comes from the far end, doors, in, the whole shaft, out. */
export function liftTurnMs(graph: SiteGraph, liftId: string): number {
  const lift = graph.site.lifts.find((l) => l.id === liftId);
  if (!lift) return 0;
  const floors = lift.levels.length - 1;
  return (2 * floors * lift.perFloorS + 2 * lift.doorS + 2 * lift.enterS) * 1000;
}
