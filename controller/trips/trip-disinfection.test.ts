import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { siteSchema, type Clock, type ClockTimer, type Order, type State } from '../../protocol/index.js';
import { ADJACENT_ZONES_SITE } from '../../sim/adjacent-zones.test-support.js';
import { ContaminationWatch } from '../fleet/contamination.js';
import { SiteGraph } from '../site/index.js';
import type { AuditEntry } from '../storage/index.js';
import { buildTripOrder } from './order-builder.js';
import { TripDisinfection } from './trip-disinfection.js';

const graph = new SiteGraph(siteSchema.parse(ADJACENT_ZONES_SITE));

/** A clock that moves only when told: timers due by then run. */
class StepClock implements Clock {
  private ms = 0;
  private readonly timers = new Map<object, { at: number; fn: () => void }>();
  now = () => this.ms;
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer = { id: {} };
    this.timers.set(timer.id, { at: this.ms + ms, fn });
    return timer;
  }
  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer.id as object);
  }
  advance(ms: number): void {
    this.ms += ms;
    for (const [id, t] of [...this.timers]) {
      if (t.at > this.ms) continue;
      this.timers.delete(id);
      t.fn();
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

/** A stock robot's trip to red room 201 and back: held at the station (spray, 15 s). */
function setup() {
  const clock = new StepClock();
  const order = buildTripOrder({
    graph,
    orderId: 'o1',
    manufacturer: 'm',
    serialNumber: 'agv',
    headerId: 0,
    timestamp: new Date(0).toISOString(),
    startNodeId: 'load',
    stops: [{ tray: 1, room: '201' }],
    pickupTimeoutS: 120,
    disinfect: false,
    lifts: 'horizon',
  });
  const trip = { order, view: { id: 't1', robot: 'agv' } };
  const underway = new Map([['agv', new Set([trip])]]);
  const contamination = new ContaminationWatch(new EventEmitter<{ state: [string, State] }>(), (id) => graph.nodes.get(id)?.zone, { info: () => {}, warn: () => {} });
  const audit: Omit<AuditEntry, 'id'>[] = [];
  const updates: Order[] = [];
  const holds = new TripDisinfection({
    graph,
    clock,
    log: { info: () => {}, warn: () => {} },
    audit: (line) => audit.push({ at: line.at ?? '', ...line }),
    contamination,
    underway,
    nextOrderHeaderId: () => 7,
    sendUpdate: async (t, whole, update) => {
      t.order = whole;
      updates.push(update);
    },
  });
  /** The robot's state on node index `at` of the trip's order. */
  const on = (at: number, over: Partial<State> = {}): State =>
    ({ orderId: 'o1', lastNodeId: order.nodes[at]!.nodeId, lastNodeSequenceId: order.nodes[at]!.sequenceId, errors: [], nodeStates: [], actionStates: [], ...over }) as unknown as State;
  return { clock, trip, underway, contamination, audit, updates, holds, on };
}

describe('TripDisinfection: holding a robot without disinfect at the station', () => {
  it('times the station’s duration from the first state on it (repeats do not restart it), then releases, counts and audits', async () => {
    const { clock, trip, contamination, audit, updates, holds, on } = setup();
    holds.onTripState('agv', trip, on(5));
    expect(clock.pending).toBe(0);
    holds.onTripState('agv', trip, on(6));
    clock.advance(10_000);
    holds.onTripState('agv', trip, on(6));
    clock.advance(4_999);
    expect(updates).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ orderId: 'o1', orderUpdateId: 1, headerId: 7, nodes: [{ nodeId: 'dis' }, { nodeId: 'load' }] });
    expect(trip.order.edges.every((e) => e.released)).toBe(true);
    expect(contamination.isContaminated('agv')).toBe(false);
    expect(contamination.stationCounts()).toEqual([{ station: 'dis', count: 1, lastAt: new Date(15_000).toISOString() }]);
    expect(audit).toEqual([
      {
        at: new Date(15_000).toISOString(),
        actor: 'controller',
        action: 'robotDisinfected',
        subject: 'agv',
        detail: { trip: 't1', station: 'dis', method: 'spray', durationS: 15, heldByController: true, since: new Date(0).toISOString() },
      },
    ]);
    // Released: standing there again holds nothing.
    holds.onTripState('agv', trip, on(6));
    expect(clock.pending).toBe(0);
  });

  it('drops the hold when the trip ends or is no longer under way, releasing nothing', async () => {
    const { clock, trip, underway, updates, holds, on, contamination } = setup();
    holds.onTripState('agv', trip, on(6));
    holds.ended('agv');
    expect(clock.pending).toBe(0);
    holds.onTripState('agv', trip, on(6));
    underway.get('agv')!.clear();
    clock.advance(15_000);
    await Promise.resolve();
    expect(updates).toEqual([]);
    expect(contamination.isContaminated('agv')).toBeUndefined();
  });

  it('remembers a robot that refused an update of the order it runs, not one whose new order did not stitch on', () => {
    const { trip, holds, on } = setup();
    const refused = (orderId: string) => ({ errorType: 'orderUpdateError', errorLevel: 'WARNING', errorReferences: [{ referenceKey: 'orderId', referenceValue: orderId }] });
    expect(holds.cannotHold('agv')).toBeUndefined();
    holds.onTripState('agv', trip, on(6, { orderId: 'o0', errors: [refused('o1')] } as Partial<State>));
    expect(holds.cannotHold('agv')).toBeUndefined();
    holds.onTripState('agv', trip, on(6, { errors: [refused('o1')] } as Partial<State>));
    expect(holds.cannotHold('agv')).toMatch(/refused an order update \(orderUpdateError\)/);
    expect(holds.holdsForDisinfection(trip.order)).toBe(true);
  });
});
