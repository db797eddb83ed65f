import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { siteSchema, type IsolationZone, type Order, type SiteInput, type State } from '../../protocol/index.js';
import { SiteGraph } from '../site/site-graph.js';
import { orderAlong, type Waypoint } from '../trips/order-builder.js';
import { ContaminationWatch, contaminationOnState, type ContaminationInput } from './contamination.js';

/**
 * One floor: the loading station (green), a red room `r1` behind a red hall, a buffer hall
 * `bh` beside it, and the disinfection station `dis` (buffer, UV 30 s) between the buffer hall
 * and the station. The red hall also gives straight onto the green corridor: only the rule
 * sends a robot from red round through the station.
 */
const site: SiteInput = {
  name: 'ward',
  levels: [{ name: 'L1' }],
  nodes: [
    { id: 'load', kind: 'loading', level: 'L1', x: 0, y: 0, zone: 'green' },
    { id: 'gc', kind: 'corridor', level: 'L1', x: 5, y: 0, zone: 'green' },
    { id: 'rh', kind: 'corridor', level: 'L1', x: 10, y: 0, zone: 'red' },
    { id: 'r1', kind: 'room', level: 'L1', x: 10, y: 3, zone: 'red', room: '101' },
    { id: 'bh', kind: 'corridor', level: 'L1', x: 10, y: -6, zone: 'buffer' },
    { id: 'dis', kind: 'disinfection', level: 'L1', x: 5, y: -6, zone: 'buffer', disinfection: { method: 'uv', durationS: 30 } },
  ],
  lanes: [
    { from: 'load', to: 'gc' },
    { from: 'gc', to: 'rh' },
    { from: 'rh', to: 'r1' },
    { from: 'rh', to: 'bh' },
    { from: 'bh', to: 'dis' },
    { from: 'dis', to: 'load' },
  ],
};
const graph = new SiteGraph(siteSchema.parse(site));
const zoneOf = (id: string): IsolationZone | undefined => graph.nodes.get(id)?.zone;

function order(orderId: string, start: string, waypoints: string[], startContaminated = false): Order {
  const stops: Waypoint[] = waypoints.map((nodeId) => ({ nodeId, actions: [] }));
  return orderAlong({ graph, orderId, manufacturer: 'm', serialNumber: 'r', headerId: 0, timestamp: new Date(0).toISOString(), startContaminated }, start, stops);
}

/**
 * The states a robot reports running `order` to its end, one per node reached and one per
 * action finished (as the bridge publishes them), each with the node states still ahead.
 */
function statesRunning(o: Order): ContaminationInput[] {
  const states: ContaminationInput[] = [];
  const finished = new Set<string>();
  const at = (i: number): ContaminationInput => ({
    orderId: o.orderId,
    lastNodeId: o.nodes[i]!.nodeId,
    lastNodeSequenceId: o.nodes[i]!.sequenceId,
    nodeStates: o.nodes.slice(i + 1).map((n) => ({ nodeId: n.nodeId, sequenceId: n.sequenceId, released: true })),
    actionStates: o.nodes.flatMap((n) => n.actions).map((a) => ({ actionId: a.actionId, actionType: a.actionType, actionStatus: finished.has(a.actionId) ? 'FINISHED' : 'WAITING' })),
  });
  o.nodes.forEach((node, i) => {
    states.push(at(i));
    for (const action of node.actions) {
      finished.add(action.actionId);
      states.push(at(i));
    }
  });
  return states;
}

/** Runs states through the pure step from `contaminated`; the contamination at the end and every breach. */
function follow(states: ContaminationInput[], contaminated: boolean | undefined, previous?: ContaminationInput) {
  const breaches: string[] = [];
  const disinfectedAt: string[] = [];
  for (const state of states) {
    const step = contaminationOnState(zoneOf, contaminated, previous, state);
    contaminated = step.contaminated;
    breaches.push(...step.breaches);
    disinfectedAt.push(...step.disinfectedAt);
    previous = state;
  }
  return { contaminated, breaches, disinfectedAt, last: previous };
}

describe("a robot's contamination, from what it reports", () => {
  it('carries from one order to the next: an order from the buffer hall after red takes the robot through the station', () => {
    // First order: out to the red room, then to the buffer hall; nothing needs disinfecting yet.
    const first = order('o1', 'load', ['r1', 'bh']);
    expect(first.nodes.flatMap((n) => n.actions)).toEqual([]);
    const afterFirst = follow(statesRunning(first), false);
    expect(afterFirst.contaminated).toBe(true);

    // Next order from the buffer hall, as the controller builds it from that: disinfected at the station, then home.
    const second = order('o2', 'bh', ['load'], afterFirst.contaminated);
    expect(second.nodes.map((n) => n.nodeId)).toEqual(['bh', 'dis', 'load']);
    expect(second.nodes[1]!.actions.map((a) => [a.actionType, a.actionId, a.actionParameters])).toEqual([
      [
        'disinfect',
        'o2:disinfect:2',
        [
          { key: 'method', value: 'uv' },
          { key: 'durationS', value: 30 },
        ],
      ],
    ]);
    const afterSecond = follow(statesRunning(second), afterFirst.contaminated, afterFirst.last);
    expect(afterSecond).toMatchObject({ contaminated: false, breaches: [], disinfectedAt: ['dis'] });

    // Taken as clean (as before the robot's contamination was kept), the same order has no stop, and the robot enters green contaminated.
    const forgetful = order('o2', 'bh', ['load'], false);
    expect(forgetful.nodes.flatMap((n) => n.actions)).toEqual([]);
    expect(follow(statesRunning(forgetful), true, afterFirst.last).breaches).toEqual(['load']);
  });

  it('carries from one leg to the next within an order: red room, then a buffer place, then green', () => {
    const o = order('o3', 'load', ['r1', 'bh', 'load']);
    expect(o.nodes.flatMap((n) => n.actions.map((a) => `${a.actionType}@${n.nodeId}`))).toEqual(['disinfect@dis']);
    expect(follow(statesRunning(o), false)).toMatchObject({ contaminated: false, breaches: [] });
  });

  it('takes steps reported in one state in their order: red, then the disinfection, then green', () => {
    const o = order('o4', 'r1', ['load']);
    const [first] = statesRunning(o);
    const done: ContaminationInput = {
      ...first!,
      lastNodeId: 'load',
      lastNodeSequenceId: o.nodes.at(-1)!.sequenceId,
      nodeStates: [],
      actionStates: first!.actionStates.map((a) => ({ ...a, actionStatus: 'FINISHED' })),
    };
    expect(contaminationOnState(zoneOf, true, first, done)).toEqual({ contaminated: false, disinfectedAt: ['dis'], breaches: [] });
    // The same jump without the disinfection: the robot went through red into green.
    const undisinfected = { ...done, actionStates: first!.actionStates };
    expect(contaminationOnState(zoneOf, true, first, undisinfected)).toEqual({ contaminated: false, disinfectedAt: [], breaches: ['load'] });
  });

  it('takes a robot first seen in buffer as contaminated, in green as clean, off the site as unknown', () => {
    const standing = (lastNodeId: string): ContaminationInput => ({ orderId: '', lastNodeId, lastNodeSequenceId: 0, nodeStates: [], actionStates: [] });
    expect(contaminationOnState(zoneOf, undefined, undefined, standing('bh')).contaminated).toBe(true);
    expect(contaminationOnState(zoneOf, undefined, undefined, standing('load')).contaminated).toBe(false);
    expect(contaminationOnState(zoneOf, undefined, undefined, standing('home')).contaminated).toBeUndefined();
  });

  it('keeps it per robot from the fleet’s states, and counts disinfections per station', () => {
    const fleet = new EventEmitter<{ state: [string, State] }>();
    const warnings: object[] = [];
    const watch = new ContaminationWatch(fleet, zoneOf, { info: () => {}, warn: (o) => warnings.push(o) });
    const changed: string[] = [];
    watch.onChange((robot) => changed.push(robot));
    const full = (s: ContaminationInput): State => ({ ...(s as State), timestamp: '2026-11-29T12:00:00.000Z' });
    for (const s of statesRunning(order('o5', 'load', ['r1', 'bh']))) fleet.emit('state', 'a', full(s));
    expect(watch.isContaminated('a')).toBe(true);
    expect(watch.isContaminated('b')).toBeUndefined();
    for (const s of statesRunning(order('o6', 'bh', ['load'], true))) fleet.emit('state', 'a', full(s));
    expect(watch.isContaminated('a')).toBe(false);
    expect(watch.stationCounts()).toEqual([{ station: 'dis', count: 1, lastAt: '2026-11-29T12:00:00.000Z' }]);
    expect(changed.length).toBeGreaterThanOrEqual(2);
    expect(warnings).toEqual([]);
  });

  it('tells breach listeners once per green node entered contaminated, and counts a robot the controller held at a station as disinfected', () => {
    const fleet = new EventEmitter<{ state: [string, State] }>();
    const watch = new ContaminationWatch(fleet, zoneOf, { info: () => {}, warn: () => {} });
    const breaches: object[] = [];
    const stop = watch.onBreach((b) => breaches.push(b));
    const changed: string[] = [];
    watch.onChange((robot) => changed.push(robot));
    const full = (s: ContaminationInput): State => ({ ...(s as State), timestamp: '2026-11-29T12:00:00.000Z' });
    // Into red, then straight back into green by the red hall (an order not built by the planner).
    for (const s of statesRunning(order('o7', 'load', ['r1']))) fleet.emit('state', 'a', full(s));
    const shortcut: ContaminationInput = { orderId: 'o8', lastNodeId: 'gc', lastNodeSequenceId: 2, nodeStates: [], actionStates: [] };
    fleet.emit('state', 'a', full({ ...shortcut, lastNodeId: 'rh', lastNodeSequenceId: 0 }));
    fleet.emit('state', 'a', full(shortcut));
    fleet.emit('state', 'a', full(shortcut));
    expect(breaches).toEqual([{ robot: 'a', node: 'gc', at: '2026-11-29T12:00:00.000Z' }]);

    // Held at the station without a disinfect action of its own: the controller says so.
    for (const s of statesRunning(order('o9', 'load', ['r1', 'dis']))) fleet.emit('state', 'b', full(s));
    expect(watch.isContaminated('b')).toBe(true);
    changed.length = 0;
    watch.disinfectedAt('b', 'dis', '2026-11-29T12:01:00.000Z');
    expect(watch.isContaminated('b')).toBe(false);
    expect(watch.stationCounts()).toEqual([{ station: 'dis', count: 1, lastAt: '2026-11-29T12:01:00.000Z' }]);
    expect(changed).toEqual(['b']);
    stop();
    fleet.emit('state', 'a', full({ ...shortcut, orderId: 'o10', lastNodeId: 'rh', lastNodeSequenceId: 0 }));
    fleet.emit('state', 'a', full({ ...shortcut, orderId: 'o10' }));
    expect(breaches).toHaveLength(1);
  });
});
