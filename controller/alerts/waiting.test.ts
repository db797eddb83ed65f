import { describe, expect, it } from 'vitest';
import type { State } from '../../protocol/index.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { placeOf } from './place.js';
import { stuckBudgetMs } from './robot-watch.js';
import { liftTurnMs, waitingOf } from './waiting.js';
import { idleRobotStateBody } from '../../test-support/device-messages.js';

const graph = new SiteGraph(await loadSite('hotel'));

function state(over: Partial<State>): State {
  return {
    headerId: 1,
    timestamp: '2026-11-29T08:00:00.000Z',
    version: '2.1.0',
    manufacturer: 'isofleet',
    serialNumber: 'robot-1',
    ...idleRobotStateBody({ orderId: 'trip-x', batteryState: { batteryCharge: 90, charging: false }, ...over }),
  };
}
const node = (nodeId: string, sequenceId: number) => ({ nodeId, sequenceId, released: true });

describe('waitingOf: where an order has a robot wait', () => {
  it('a robot at a lift landing whose next node is another landing of that lift is in the lift queue (or riding)', () => {
    expect(waitingOf(state({ lastNodeId: 'G-liftA', driving: true, nodeStates: [node('F5-liftA', 4), node('F5-w', 6)] }), graph)).toEqual({ kind: 'lift', lift: 'A' });
    // Driving along the corridor to the lift is not waiting for it.
    expect(waitingOf(state({ lastNodeId: 'G-w', driving: true, nodeStates: [node('G-liftA', 4), node('F5-liftA', 6)] }), graph)).toBeUndefined();
    // Leaving the car on the arrival floor is not either.
    expect(waitingOf(state({ lastNodeId: 'F5-liftA', driving: true, nodeStates: [node('F5-w', 6)] }), graph)).toBeUndefined();
  });

  it('loading trays (the loading queue, the medic), a door (announcement, pickup) and a pause are waits too', () => {
    const running = (actionId: string, actionType: string) => ({ actionId, actionType, actionStatus: 'RUNNING' as const });
    expect(waitingOf(state({ nodeStates: [node('G-w', 2)], actionStates: [running('trip-x:load', 'loadTrays')] }), graph)).toEqual({ kind: 'loading' });
    expect(waitingOf(state({ lastNodeId: 'R305', actionStates: [running('trip-x:pickup:2', 'waitForPickup')] }), graph)).toEqual({ kind: 'pickup' });
    expect(waitingOf(state({ lastNodeId: 'R305', actionStates: [running('trip-x:announce:2', 'announce')] }), graph)).toEqual({ kind: 'pickup' });
    expect(waitingOf(state({ paused: true, driving: false, nodeStates: [node('G-w', 2)] }), graph)).toEqual({ kind: 'paused' });
    // Being disinfected at the hotel's station (a 20 s UV tunnel).
    expect(waitingOf(state({ lastNodeId: 'G-disinfect', actionStates: [running('trip-x:disinfect:76', 'disinfect')] }), graph)).toEqual({ kind: 'disinfection', durationS: 20 });
    // Held there by the order's horizon (a stock AGV without disinfect): the way on not released yet.
    expect(waitingOf(state({ lastNodeId: 'G-disinfect', nodeStates: [{ nodeId: 'G-loading', sequenceId: 78, released: false }] }), graph)).toEqual({ kind: 'disinfection', durationS: 20 });
    // Passing the station with the way on released is not waiting there.
    expect(waitingOf(state({ lastNodeId: 'G-disinfect', driving: true, nodeStates: [node('G-loading', 78)] }), graph)).toBeUndefined();
    // At the tunnel's corridor end, its order held there until the controller grants it the tunnel: its turn.
    expect(waitingOf(state({ lastNodeId: 'G-c6', nodeStates: [{ nodeId: 'G-disinfect', sequenceId: 4, released: false }] }), graph)).toEqual({ kind: 'way', way: 'G-tunnel' });
    // Granted (the way released), it goes on: no wait.
    expect(waitingOf(state({ lastNodeId: 'G-c6', driving: true, nodeStates: [node('G-disinfect', 4)] }), graph)).toBeUndefined();
    // A finished pickup is no reason to stand still.
    expect(waitingOf(state({ lastNodeId: 'R305', actionStates: [{ actionId: 'trip-x:pickup:2', actionType: 'waitForPickup', actionStatus: 'FINISHED' }] }), graph)).toBeUndefined();
  });
});

describe('stuckBudgetMs', () => {
  const limits = { stuckAfterMs: 60_000, pickupTimeoutMs: 120_000, liftTurnMs: liftTurnMs(graph, 'A'), queued: 1 };
  it('gives a lift queue a lift cycle per robot waiting for that lift, so five robots queueing are not stuck', () => {
    // A cycle of the hotel's lifts: 8 floors there and back at 3 s, doors twice, in and out.
    expect(liftTurnMs(graph, 'A')).toBe((2 * 8 * 3 + 2 * 8 + 2 * 10) * 1000);
    expect(stuckBudgetMs({ kind: 'lift', lift: 'A' }, { ...limits, queued: 5 })).toBe(60_000 + 5 * 84_000);
    expect(stuckBudgetMs({ kind: 'lift', lift: 'A' }, { ...limits, queued: 5 })).toBeGreaterThan(stuckBudgetMs({ kind: 'lift', lift: 'A' }, limits));
  });
  it('never calls the loading queue, a turn for a single-width way or a pause stuck, a door only past its pickup timeout, anything else after a minute', () => {
    expect(stuckBudgetMs({ kind: 'loading' }, limits)).toBe(Infinity);
    expect(stuckBudgetMs({ kind: 'paused' }, limits)).toBe(Infinity);
    expect(stuckBudgetMs({ kind: 'way', way: 'G-tunnel' }, limits)).toBe(Infinity);
    expect(stuckBudgetMs({ kind: 'pickup' }, limits)).toBe(180_000);
    // A person wiping a robot down for 5 minutes is no stuck robot.
    expect(stuckBudgetMs({ kind: 'disinfection', durationS: 300 }, limits)).toBe(360_000);
    expect(stuckBudgetMs(undefined, limits)).toBe(60_000);
  });
});

describe('placeOf: where a robot is, as people say it', () => {
  it('names the floor and the landmark it stands at or is nearest to', () => {
    expect(placeOf(graph, { node: 'F3-liftA', position: { x: -3, y: 0, mapId: 'F3' } })).toMatchObject({ level: 'F3', landmark: 'lift', name: 'A', at: true, text: 'F3, at lift A' });
    expect(placeOf(graph, { node: 'R305', position: null })).toMatchObject({ level: 'F3', landmark: 'room', name: '305', at: true, text: 'F3, at the door of room 305' });
    expect(placeOf(graph, { node: 'G-loading', position: { x: 26, y: 2.4, mapId: 'G' } })).toMatchObject({ text: 'G, at the loading station' });
    const corridor = placeOf(graph, { node: 'F3-c4', position: { x: 18, y: 0, mapId: 'F3' } })!;
    expect(corridor).toMatchObject({ level: 'F3', landmark: 'room', at: false });
    expect(corridor.text).toMatch(/^F3, in the corridor near room 3\d\d$/);
    expect(placeOf(graph, { node: null, position: null })).toBeUndefined();
  });
});
