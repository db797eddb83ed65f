import { describe, expect, it } from 'vitest';
import { PICKUP_RESULT, siteSchema, type State } from '../../protocol/index.js';
import { generateHotel } from '../site/hotel-generator.js';
import { SiteGraph } from '../site/site-graph.js';
import { buildTripOrder, tripActionId } from './order-builder.js';
import { abandonTrip, confirmTrayOf, stallTrip, tripOnDoorOpen, tripOnState, type Trip, type TripEffect } from './trip-core.js';

const graph = new SiteGraph(siteSchema.parse(generateHotel({ name: 'small', floors: 1, roomsPerFloor: 4, lifts: 1, chargers: 1 })));
const [roomA, roomB] = [...graph.roomNodes.keys()];
const T0 = '2026-11-29T12:00:00.000Z';

/** A planned trip `t1` of robot `r1`: tray 1 to room A, tray 2 to room B, from the loading station. */
function trip(): Trip {
  const stops = [
    { tray: 1, room: roomA! },
    { tray: 2, room: roomB! },
  ];
  const order = buildTripOrder({
    graph,
    orderId: 'trip-t1',
    manufacturer: 'm',
    serialNumber: 'r1',
    headerId: 0,
    timestamp: T0,
    startNodeId: graph.loadingStation.id,
    stops,
    pickupTimeoutS: 120,
    lifts: 'action',
  });
  return {
    view: {
      id: 't1',
      robot: 'r1',
      status: 'planned',
      visits: stops.map((s) => s.room),
      trays: stops.map((s) => ({ ...s, status: 'loaded' })),
      loading: { confirmedTrays: [] },
      createdAt: T0,
    },
    orderId: 'trip-t1',
    order,
  };
}

type ActionStatus = State['actionStates'][number]['actionStatus'];
/** A state of `r1` on `orderId` with these action states (by id), driving unless `idle`. */
function state(over: { orderId?: string; actions?: [string, ActionStatus, string?][]; idle?: boolean; errors?: State['errors']; lastNodeId?: string; at?: string } = {}): State {
  return {
    orderId: over.orderId ?? 'trip-t1',
    lastNodeId: over.lastNodeId ?? graph.loadingStation.id,
    nodeStates: over.idle ? [] : [{ nodeId: 'x', sequenceId: 2, released: true }],
    driving: !over.idle,
    actionStates: (over.actions ?? []).map(([actionId, actionStatus, resultDescription]) => ({
      actionId,
      actionType: 'x',
      actionStatus,
      ...(resultDescription ? { resultDescription } : {}),
    })),
    errors: over.errors ?? [],
    timestamp: over.at ?? T0,
  } as unknown as State;
}

const id = (a: Parameters<typeof tripActionId>[1]) => tripActionId('trip-t1', a);
const kinds = (effects: TripEffect[]) => effects.map((e) => e.kind);

describe('trip core: a trip followed through fixed sequences of its robot states', () => {
  it('runs once loaded, delivers one tray, marks the other not collected, and ends done when the order is over (audit line per tray)', () => {
    const t = trip();
    expect(kinds(tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'RUNNING']] })).effects)).toEqual([]);
    expect(t.view.status).toBe('planned');
    expect(kinds(tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] })).effects)).toEqual(['save', 'push']);
    expect(t.view.status).toBe('running');

    const delivered = tripOnState(
      t,
      state({
        at: '2026-11-29T12:05:00.000Z',
        actions: [
          [id({ kind: 'load' }), 'FINISHED'],
          [id({ kind: 'pickup', tray: 1 }), 'FINISHED'],
        ],
      }),
    ).effects;
    expect(delivered[0]).toEqual({
      kind: 'audit',
      line: { at: '2026-11-29T12:05:00.000Z', actor: 'r1', action: 'tray delivered', subject: `room ${roomA}`, detail: { trip: 't1', tray: 1 } },
    });
    expect(t.view.trays[0]).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-29T12:05:00.000Z' });
    // The same state again changes nothing: no second audit line, no save.
    expect(
      tripOnState(
        t,
        state({
          actions: [
            [id({ kind: 'load' }), 'FINISHED'],
            [id({ kind: 'pickup', tray: 1 }), 'FINISHED'],
          ],
        }),
      ).effects,
    ).toEqual([]);

    const over = state({
      idle: true,
      at: '2026-11-29T12:09:00.000Z',
      actions: [
        [id({ kind: 'load' }), 'FINISHED'],
        [id({ kind: 'pickup', tray: 1 }), 'FINISHED'],
        [id({ kind: 'pickup', tray: 2 }), 'FAILED', PICKUP_RESULT.notCollected],
      ],
    });
    expect(kinds(tripOnState(t, over).effects)).toEqual(['audit', 'finished', 'save', 'push']);
    expect(t.view.trays.map((tray) => tray.status)).toEqual(['delivered', 'notCollected']);
    expect(t.view).toMatchObject({ status: 'done', finishedAt: '2026-11-29T12:09:00.000Z' });
    expect(t.view.reason).toBeUndefined();
  });

  it('fails an order that ends with a tray never offered, and returns the trays of an order the robot rejected (watching for it)', () => {
    const t = trip();
    tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    tripOnState(t, state({ idle: true, actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    expect(t.view.trays.map((tray) => tray.status)).toEqual(['returned', 'returned']);
    // Both returned, none failed: done.
    expect(t.view.status).toBe('done');

    const rejected = trip();
    const effects = tripOnState(
      rejected,
      state({
        orderId: '',
        idle: true,
        errors: [{ errorType: 'orderError', errorLevel: 'WARNING', errorDescription: 'no route', errorReferences: [{ referenceKey: 'orderId', referenceValue: 'trip-t1' }] }],
      }),
    ).effects;
    expect(kinds(effects)).toEqual(['finished', 'watchAbandoned', 'save', 'push']);
    expect(rejected.view).toMatchObject({ status: 'failed', reason: 'robot rejected the order: no route' });
    expect(rejected.view.trays.map((tray) => tray.status)).toEqual(['returned', 'returned']);
  });

  it('stops a trip on a FATAL error mid-order and tells the robot that still holds the order to cancel it', () => {
    const t = trip();
    tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    const effects = tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']], errors: [{ errorType: 'hardware', errorLevel: 'FATAL', errorDescription: 'motor' }] })).effects;
    expect(kinds(effects)).toEqual(['finished', 'cancelOrder', 'save', 'push']);
    expect(t.view).toMatchObject({ status: 'failed', reason: 'r1 stopped with a FATAL error: motor' });
    expect(t.view.trays.map((tray) => tray.status)).toEqual(['failed', 'failed']);
  });

  it('returns the trays when the robot refuses confirmLoaded, and only while the trip is still at the station', () => {
    const t = trip();
    const effects = tripOnState(t, state({ actions: [['trip-t1:confirm', 'FAILED', 'tray 2 empty']] })).effects;
    expect(kinds(effects)).toEqual(['finished', 'cancelOrder', 'save', 'push']);
    expect(t.view.reason).toBe('robot refused confirmLoaded: tray 2 empty; the trays are still at the station');
    expect(t.view.trays.map((tray) => tray.status)).toEqual(['returned', 'returned']);
  });

  it('reconciles after a restart: same order carries on, an order that never arrived is sent again, an order the robot lost fails the trip', () => {
    const same = { ...trip(), reconcilePending: true };
    const carried = tripOnState(same, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    expect(carried.reconciled).toBe(false);
    expect(same.view.status).toBe('running');
    expect(same.reconcilePending).toBeUndefined();

    const neverArrived = { ...trip(), reconcilePending: true };
    const resent = tripOnState(neverArrived, state({ orderId: 'older', idle: true, lastNodeId: neverArrived.order.nodes[0]!.nodeId }));
    expect(resent).toEqual({ reconciled: true, effects: [{ kind: 'resendOrder' }] });
    expect(neverArrived.view.status).toBe('planned');

    const lost = { ...trip(), reconcilePending: true };
    const failed = tripOnState(lost, state({ orderId: 'other', at: '2026-11-29T13:00:00.000Z' }));
    expect(failed.reconciled).toBe(true);
    expect(kinds(failed.effects)).toEqual(['finished', 'save', 'push']);
    expect(lost.view).toMatchObject({ status: 'failed', finishedAt: '2026-11-29T13:00:00.000Z', reason: 'r1 no longer has order trip-t1 (it is on other)' });
    // Idle on another order but not where this one starts: the order did not just get lost in the crash, the trip failed.
    const again = { ...trip(), reconcilePending: true };
    tripOnState(again, state({ orderId: 'other', idle: true, lastNodeId: 'elsewhere' }));
    expect(again.view.status).toBe('failed');
  });

  it('confirms trays one by one and lets the robot go once all are confirmed; refuses unknown trips and trays, and trips that left', () => {
    const t = trip();
    expect(confirmTrayOf(undefined, 'nope', 1, 'medic', T0)).toEqual({ ok: false, kind: 'notFound', message: 'no trip nope' });
    expect(confirmTrayOf(t, 't1', 3, 'medic', T0)).toEqual({ ok: false, kind: 'conflict', message: 'trip t1 has nothing on tray 3' });
    const first = confirmTrayOf(t, 't1', 2, 'medic', T0);
    expect(Array.isArray(first) && kinds(first)).toEqual(['save', 'audit', 'push']);
    const last = confirmTrayOf(t, 't1', 1, 'medic', T0);
    expect(Array.isArray(last) && last.find((e) => e.kind === 'confirmLoaded')).toEqual({ kind: 'confirmLoaded', trays: [1, 2] });
    const contactless = { ...trip(), pending: trip().order };
    confirmTrayOf(contactless, 't1', 1, 'medic', T0);
    const released = confirmTrayOf(contactless, 't1', 2, 'medic', T0);
    expect(Array.isArray(released) && kinds(released)).toEqual(['save', 'audit', 'releaseDelivery', 'push']);
    tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    expect(confirmTrayOf(t, 't1', 1, 'medic', T0)).toEqual({ ok: false, kind: 'conflict', message: 'trip t1 has already left (running)' });
  });

  it('abandons a trip under way (trays on board failed, the order watched) and stalls only a running one, cancelling when the robot is on it', () => {
    const t = trip();
    const abandoned = abandonTrip(t, 'robot offline', T0)!;
    expect(kinds(abandoned)).toEqual(['finished', 'watchAbandoned', 'save', 'audit', 'push']);
    expect(t.view.trays.map((tray) => tray.status)).toEqual(['failed', 'failed']);
    expect(abandonTrip(t, 'again', T0)).toBeUndefined();

    const planned = trip();
    expect(stallTrip(planned, 'stuck', T0, 'trip-t1')).toBeUndefined();
    tripOnState(planned, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    expect(kinds(stallTrip(planned, 'stuck', T0, 'trip-t1')!)).toEqual(['finished', 'cancelOrder', 'watchAbandoned', 'save', 'audit', 'push']);
    const elsewhere = trip();
    tripOnState(elsewhere, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    expect(kinds(stallTrip(elsewhere, 'stuck', T0, 'other')!)).toEqual(['finished', 'watchAbandoned', 'save', 'audit', 'push']);
  });
});

describe('trip core: the room’s door sensor', () => {
  const running = (tray: number, kind: 'announce' | 'pickup' = 'pickup') =>
    state({
      actions: [
        [id({ kind: 'load' }), 'FINISHED'],
        [id({ kind, tray }), 'RUNNING'],
      ],
    });
  const loaded = () => {
    const t = trip();
    tripOnState(t, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }));
    return t;
  };

  it('an open while the tray waits at that door makes a not-collected pickup count as delivered, at the open', () => {
    const t = loaded();
    const effects = tripOnDoorOpen(t, roomA!, '2026-11-29T12:04:00.000Z', running(1));
    expect(kinds(effects)).toEqual(['save', 'audit', 'push']);
    // A second open while it still waits keeps the first.
    expect(tripOnDoorOpen(t, roomA!, '2026-11-29T12:04:30.000Z', running(1))).toEqual([]);
    const ended = tripOnState(
      t,
      state({
        at: '2026-11-29T12:06:00.000Z',
        actions: [
          [id({ kind: 'load' }), 'FINISHED'],
          [id({ kind: 'pickup', tray: 1 }), 'FAILED', PICKUP_RESULT.notCollected],
        ],
      }),
    ).effects;
    expect(t.view.trays[0]).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-29T12:04:00.000Z', doorOpenedAt: '2026-11-29T12:04:00.000Z' });
    expect(ended.find((e) => e.kind === 'audit')).toMatchObject({ line: { action: 'tray delivered', detail: { confirmedBy: 'doorSensor' } } });
  });

  it('counts an open during the announcement too', () => {
    const t = loaded();
    expect(kinds(tripOnDoorOpen(t, roomA!, T0, running(1, 'announce')))).toEqual(['save', 'audit', 'push']);
  });

  it('marks nothing when the tray is not at that door: on the way, at another room, or another order running', () => {
    const t = loaded();
    expect(tripOnDoorOpen(t, roomA!, T0, state({ actions: [[id({ kind: 'load' }), 'FINISHED']] }))).toEqual([]);
    expect(tripOnDoorOpen(t, roomA!, T0, running(2))).toEqual([]);
    expect(tripOnDoorOpen(t, roomB!, T0, running(1))).toEqual([]);
    expect(tripOnDoorOpen(t, roomA!, T0, { ...running(1), orderId: 'other' })).toEqual([]);
    expect(tripOnDoorOpen(t, roomA!, T0, undefined)).toEqual([]);
    expect(t.view.trays.every((tray) => tray.doorOpenedAt === undefined)).toBe(true);
    // Not collected, and no open seen: stays not collected.
    tripOnState(t, state({ actions: [[id({ kind: 'pickup', tray: 1 }), 'FAILED', PICKUP_RESULT.notCollected]] }));
    expect(t.view.trays[0]!.status).toBe('notCollected');
  });
});
