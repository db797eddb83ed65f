import type { Logger } from '../../common/index.js';
import type { IsolationZone, State, StationDisinfectionsView } from '../../protocol/index.js';

/** A `disinfect` action's id names its node's sequenceId (`ORDER:disinfect:14`; see `tripActionId`). */
const DISINFECT_SEQUENCE = /:disinfect:(\d+)$/;

/** The parts of a VDA state the contamination is read from. */
export type ContaminationInput = Pick<State, 'orderId' | 'lastNodeId' | 'lastNodeSequenceId' | 'nodeStates' | 'actionStates'>;

/** Where robots' states come from (the `FleetRegistry`). */
export interface StateSource {
  on(event: 'state', listener: (robot: string, state: State) => void): unknown;
}

/** What one state message says about a robot's contamination. */
export interface ContaminationStep {
  /** Contaminated after this state; `undefined` while the robot has stood on no site node. */
  contaminated: boolean | undefined;
  /** Nodes where a `disinfect` finished in this state, in order. */
  disinfectedAt: string[];
  /** Green nodes it entered contaminated in this state (the isolation rule broken). */
  breaches: string[];
}

/**
 * How a robot's contamination changes with one state message (pure). A robot is contaminated
 * once it enters a red node and clean again once a `disinfect` action FINISHED; the nodes it
 * passed since the `previous` state (the base nodes of the same order whose sequenceId it has
 * now reached) and the disinfections that finished since are taken in sequenceId order, so a
 * state that reports several steps at once counts them as they happened. A robot not tracked
 * yet (`contaminated` undefined) is taken as contaminated unless it stands in green: after a
 * restart the controller cannot tell whether a robot in buffer came from red, and an extra
 * disinfection is the safe mistake. Entering green contaminated is a breach (reported, and the
 * robot counts as clean from then on: nothing routes a robot contaminated out of green).
 */
export function contaminationOnState(
  zoneOf: (nodeId: string) => IsolationZone | undefined,
  contaminated: boolean | undefined,
  previous: ContaminationInput | undefined,
  state: ContaminationInput,
): ContaminationStep {
  type Event = { sequenceId: number; nodeId: string; disinfect: boolean };
  const events: Event[] = [];
  const sameOrder = previous !== undefined && previous.orderId === state.orderId && state.orderId !== '';
  if (sameOrder) {
    for (const node of previous.nodeStates) {
      if (node.sequenceId > previous.lastNodeSequenceId && node.sequenceId < state.lastNodeSequenceId) {
        events.push({ sequenceId: node.sequenceId, nodeId: node.nodeId, disinfect: false });
      }
    }
  }
  if (!sameOrder || previous.lastNodeSequenceId !== state.lastNodeSequenceId || previous.lastNodeId !== state.lastNodeId) {
    events.push({ sequenceId: state.lastNodeSequenceId, nodeId: state.lastNodeId, disinfect: false });
  }
  const finishedBefore = new Set((previous?.actionStates ?? []).filter((a) => a.actionStatus === 'FINISHED').map((a) => a.actionId));
  for (const action of state.actionStates) {
    if (action.actionType !== 'disinfect' || action.actionStatus !== 'FINISHED' || finishedBefore.has(action.actionId)) continue;
    const named = DISINFECT_SEQUENCE.exec(action.actionId);
    const sequenceId = named ? Number(named[1]) : state.lastNodeSequenceId;
    const nodeId = events.find((e) => e.sequenceId === sequenceId)?.nodeId ?? previous?.nodeStates.find((n) => n.sequenceId === sequenceId)?.nodeId ?? state.lastNodeId;
    events.push({ sequenceId, nodeId, disinfect: true });
  }
  // Arriving at a node comes before what is done there.
  events.sort((a, b) => a.sequenceId - b.sequenceId || Number(a.disinfect) - Number(b.disinfect));
  const step: ContaminationStep = { contaminated, disinfectedAt: [], breaches: [] };
  for (const event of events) {
    if (event.disinfect) {
      step.disinfectedAt.push(event.nodeId);
      step.contaminated = false;
      continue;
    }
    const zone = zoneOf(event.nodeId);
    if (zone === undefined) continue;
    if (zone === 'red') step.contaminated = true;
    else if (zone === 'green') {
      if (step.contaminated === true) step.breaches.push(event.nodeId);
      step.contaminated = false;
    } else step.contaminated ??= true;
  }
  return step;
}

/** A robot seen entering a green node contaminated: `at` is the ISO time of the state that showed it. */
export interface IsolationBreach {
  robot: string;
  node: string;
  at: string;
}

/**
 * Per robot, whether it is contaminated, followed from the state messages it sends (see
 * {@link contaminationOnState}), so an order starts from what the robot did, not from what it
 * was told; and per disinfection station how many disinfections finished there. Kept in memory:
 * after a restart a robot counts as contaminated until it stands in green or is disinfected.
 */
export class ContaminationWatch {
  private readonly contaminated = new Map<string, boolean>();
  private readonly previous = new Map<string, State>();
  private readonly stations = new Map<string, StationDisinfectionsView>();
  private readonly listeners = new Set<(robot: string) => void>();
  private readonly breachListeners = new Set<(breach: IsolationBreach) => void>();

  constructor(
    fleet: StateSource,
    private readonly zoneOf: (nodeId: string) => IsolationZone | undefined,
    private readonly log: Logger,
  ) {
    fleet.on('state', (robot, state) => this.observe(robot, state));
  }

  /** Whether the robot entered red since its last disinfection; `undefined` before it stood on a site node. */
  isContaminated(robot: string): boolean | undefined {
    return this.contaminated.get(robot);
  }

  /** Disinfections per station, most first. */
  stationCounts(): StationDisinfectionsView[] {
    return [...this.stations.values()].sort((a, b) => b.count - a.count || a.station.localeCompare(b.station));
  }

  /** Calls `listener` with the robot whenever its contamination or a station's count changes. Returns the teardown. */
  onChange(listener: (robot: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` once for each green node a robot is seen entering contaminated. Returns the teardown. */
  onBreach(listener: (breach: IsolationBreach) => void): () => void {
    this.breachListeners.add(listener);
    return () => this.breachListeners.delete(listener);
  }

  /**
   * The robot was disinfected at `station` without a `disinfect` action of its own (the
   * controller held it there for the station's duration, see `TripDisinfection`): it counts as
   * clean, and the station's count goes up, at ISO time `at`.
   */
  disinfectedAt(robot: string, station: string, at: string): void {
    this.contaminated.set(robot, false);
    this.countAt(station, at);
    for (const listener of this.listeners) listener(robot);
  }

  private countAt(station: string, at: string): void {
    const seen = this.stations.get(station) ?? { station, count: 0, lastAt: at };
    this.stations.set(station, { station, count: seen.count + 1, lastAt: at });
  }

  private observe(robot: string, state: State): void {
    const before = this.contaminated.get(robot);
    const step = contaminationOnState(this.zoneOf, before, this.previous.get(robot), state);
    this.previous.set(robot, state);
    if (step.contaminated === undefined) this.contaminated.delete(robot);
    else this.contaminated.set(robot, step.contaminated);
    for (const station of step.disinfectedAt) this.countAt(station, state.timestamp);
    for (const node of step.breaches) {
      this.log.warn({ robot, node }, 'robot entered the green zone contaminated (no disinfection since red)');
      for (const listener of this.breachListeners) listener({ robot, node, at: state.timestamp });
    }
    if (before !== step.contaminated || step.disinfectedAt.length > 0) for (const listener of this.listeners) listener(robot);
  }
}
