import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FleetRegistry } from '../../controller/fleet/fleet-registry.js';
import { generateHotel } from '../../controller/site/hotel-generator.js';
import { SiteGraph } from '../../controller/site/site-graph.js';
import { siteSchema, type State } from '../../protocol/index.js';
import { VirtualClock } from '../virtual-clock.js';
import { DayWatch, queueOf } from './day-watch.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 2, roomsPerFloor: 4, lifts: 1, chargers: 1 })));

/** A state at `at` with the order's nodes still to go (`released` each), as a bridge reports it. */
function state(at: string, next: { nodeId: string; released: boolean }[], options: { driving?: boolean; chargePct?: number; charging?: boolean } = {}): State {
  return {
    lastNodeId: at,
    driving: options.driving ?? false,
    nodeStates: next.map((n, i) => ({ ...n, sequenceId: 2 * (i + 1) })),
    edgeStates: [],
    actionStates: [],
    batteryState: { batteryCharge: options.chargePct ?? 80, charging: options.charging ?? false },
  } as unknown as State;
}

describe('queueOf', () => {
  it('tells a robot held short of an unreleased way, one at a lift, and one driving or with nothing to do', () => {
    expect(queueOf(state('G-c0', [{ nodeId: 'G-c1', released: false }]), graph)).toBe('held');
    expect(queueOf(state('G-c0', [{ nodeId: 'G-c1', released: true }]), graph)).toBeUndefined();
    expect(queueOf(state('G-liftA', [{ nodeId: 'F1-liftA', released: true }]), graph)).toBe('lift');
    expect(queueOf(state('G-c0', [{ nodeId: 'G-c1', released: false }], { driving: true }), graph)).toBeUndefined();
    expect(queueOf(state('G-loading', []), graph)).toBeUndefined();
  });
});

describe('DayWatch', () => {
  function setUp(tripSinceMs: (robot: string) => number | undefined = () => 0) {
    const clock = new VirtualClock();
    const emitter = new EventEmitter();
    const watch = new DayWatch({ fleet: emitter as unknown as FleetRegistry, graph, clock, tripSinceMs });
    const stop = watch.start();
    const report = (robot: string, s: State) => emitter.emit('state', robot, s);
    const run = (ms: number) => {
      const until = clock.now() + ms;
      return clock.until(() => clock.now() >= until, { wallLimitMs: 5000, what: 'time' });
    };
    return { clock, watch, report, run, stop };
  }

  it('counts a robot on a trip that makes no progress for 10 minutes outside a lift as one deadlock, not one that moves on or waits for a lift', async () => {
    const onTrip = new Set(['robot-1', 'robot-2', 'robot-3']);
    const { watch, report, run, stop } = setUp((robot) => (onTrip.has(robot) ? 0 : undefined));
    const stuck = state('G-c0', [{ nodeId: 'G-c1', released: false }]);
    report('robot-1', stuck);
    report('robot-2', state('G-liftA', [{ nodeId: 'F1-liftA', released: true }]));
    report('robot-3', state('G-c0', [{ nodeId: 'G-c1', released: true }], { driving: true }));
    await run(5 * 60_000);
    // robot-3 reaches its next node: progress.
    report('robot-3', state('G-c1', [{ nodeId: 'G-e', released: true }], { driving: true }));
    // The same state again (a heartbeat) is no progress.
    report('robot-1', stuck);
    await run(6 * 60_000);
    expect(watch.stalls.map((s) => [s.robot, s.node])).toEqual([['robot-1', 'G-c0']]);
    // robot-3's trip ends; robot-1 still stuck later: the same stall, not a second.
    onTrip.delete('robot-3');
    await run(20 * 60_000);
    expect(watch.stalls).toHaveLength(1);
    // robot-1 held 31 minutes, robot-2 at the lift as long.
    const wait = watch.queueWaitS();
    expect(wait.held).toBeCloseTo(31 * 60, 0);
    expect(wait.lift).toBeCloseTo(31 * 60, 0);
    expect(wait.total).toBeCloseTo(62 * 60, 0);
    stop();
  });

  it('counts no deadlock for a robot standing without a trip, and keeps the lowest charge and the hours charging', async () => {
    const { watch, report, run, stop } = setUp(() => undefined);
    report('robot-1', state('G-charger1', [], { chargePct: 40, charging: true }));
    await run(30 * 60_000);
    report('robot-1', state('G-charger1', [], { chargePct: 50, charging: false }));
    await run(30 * 60_000);
    expect(watch.stalls).toEqual([]);
    expect(watch.lowestChargePct().get('robot-1')).toBe(40);
    expect(watch.chargingH()).toBeCloseTo(0.5, 5);
    stop();
  });

  it('counts stillness from the trip at the earliest: a robot given a trip after half an hour on its charger is no deadlock before its first state on the trip', async () => {
    let tripSince: number | undefined;
    const { clock, watch, report, run, stop } = setUp(() => tripSince);
    report('robot-1', state('G-charger1', [], { charging: true }));
    await run(30 * 60_000);
    // The trip is made; the robot's state on it has not come yet (on a broker in another process it takes a moment).
    tripSince = clock.now();
    await run(2 * 60_000);
    expect(watch.stalls).toEqual([]);
    // Still nothing from it 10 minutes into the trip: that is a stall, counted from the trip.
    await run(9 * 60_000);
    expect(watch.stalls).toEqual([{ robot: 'robot-1', node: 'G-charger1', sinceMs: tripSince }]);
    stop();
  });
});
