import { describe, expect, it } from 'vitest';
import { availableForWork, chargingStep, DEFAULT_CHARGING_POLICY, emptyChargingState, type ChargingRobot, type ChargingState } from './charging-core.js';

const chargers = ['C1', 'C2'];
// C1 is nearer the station than C2.
const distanceS = (from: string, charger: string) => (from === 'C1' || from === 'C2' ? (from === charger ? 0 : 5) : charger === 'C1' ? 10 : 20);

function robot(id: string, chargePct: number, more: Partial<ChargingRobot> = {}): ChargingRobot {
  return { id, online: true, free: true, freeSinceMs: 0, node: 'station', chargePct, charging: false, actionStatus: () => undefined, ...more };
}

const step = (state: ChargingState, robots: ChargingRobot[], demand: boolean, nowMs = 0) => chargingStep(state, robots, chargers, demand, nowMs, DEFAULT_CHARGING_POLICY, distanceS);
const sent = (effects: ReturnType<typeof step>) => effects.flatMap((e) => (e.kind === 'goCharge' ? [[e.robot, e.charger, e.here] as const] : []));

describe('charging policy', () => {
  it('while rounds run, only a robot under 30 % goes; the emptiest gets the nearest charger', () => {
    const state = emptyChargingState();
    const effects = step(state, [robot('r1', 25), robot('r2', 10), robot('r3', 60)], true);
    expect(sent(effects)).toEqual([
      ['r2', 'C1', false],
      ['r1', 'C2', false],
    ]);
  });

  it('between services every robot under 95 % free for 10 minutes goes, one per charger; the rest wait for one', () => {
    const state = emptyChargingState();
    const tenMinutes = DEFAULT_CHARGING_POLICY.topUpAfterMs;
    expect(sent(step(state, [robot('r1', 80, { freeSinceMs: 1 }), robot('r2', 70)], false, tenMinutes))).toEqual([['r2', 'C1', false]]);
    state.assigned.clear();
    expect(sent(step(state, [robot('r1', 80), robot('r2', 70), robot('r3', 90), robot('r4', 99)], false, tenMinutes))).toEqual([
      ['r2', 'C1', false],
      ['r1', 'C2', false],
    ]);
    // Nothing free: r3 is not sent anywhere, nor twice to a taken one.
    expect(sent(step(state, [robot('r1', 80, { free: false }), robot('r2', 70, { free: false }), robot('r3', 90)], false, tenMinutes))).toEqual([]);
  });

  it('a robot already on a free charger is told to charge there (instant action), and holds it', () => {
    const state = emptyChargingState();
    expect(sent(step(state, [robot('r1', 50, { node: 'C2' }), robot('r2', 50)], false, DEFAULT_CHARGING_POLICY.topUpAfterMs))).toEqual([
      ['r1', 'C2', true],
      ['r2', 'C1', false],
    ]);
  });

  it('a robot standing on a charger with a full battery keeps others off it', () => {
    const state = emptyChargingState();
    expect(sent(step(state, [robot('r1', 100, { node: 'C1' }), robot('r2', 50)], false, DEFAULT_CHARGING_POLICY.topUpAfterMs))).toEqual([['r2', 'C2', false]]);
  });

  it('follows a robot to its charger, takes it off at 50 % when a round needs it, and frees the charger once it stops', () => {
    const state = emptyChargingState();
    step(state, [robot('r1', 20)], true);
    expect(state.assigned.get('r1')?.phase).toBe('going');
    expect(availableForWork(state, { id: 'r1', chargePct: 20, charging: false }, DEFAULT_CHARGING_POLICY)).toBe(false);
    step(state, [robot('r1', 20, { node: 'C1', charging: true })], true);
    expect(state.assigned.get('r1')?.phase).toBe('charging');
    expect(step(state, [robot('r1', 49, { node: 'C1', charging: true })], true).some((e) => e.kind === 'stopCharging')).toBe(false);
    expect(availableForWork(state, { id: 'r1', chargePct: 49, charging: true }, DEFAULT_CHARGING_POLICY)).toBe(false);
    // No round: it stays on, whatever its charge.
    expect(step(state, [robot('r1', 60, { node: 'C1', charging: true })], false).some((e) => e.kind === 'stopCharging')).toBe(false);
    expect(step(state, [robot('r1', 60, { node: 'C1', charging: true })], true).filter((e) => e.kind === 'stopCharging')).toEqual([{ kind: 'stopCharging', robot: 'r1' }]);
    expect(state.assigned.get('r1')?.phase).toBe('stopping');
    // Told once.
    expect(step(state, [robot('r1', 60, { node: 'C1', charging: true })], true).some((e) => e.kind === 'stopCharging')).toBe(false);
    step(state, [robot('r1', 60, { node: 'C1', charging: false })], true);
    expect(state.assigned.has('r1')).toBe(false);
    expect(availableForWork(state, { id: 'r1', chargePct: 60, charging: false }, DEFAULT_CHARGING_POLICY)).toBe(true);
  });

  it('a startCharging that fails frees the charger and the robot is not sent again before the retry time', () => {
    const state = emptyChargingState();
    step(state, [robot('r1', 20)], true, 0);
    const actionId = state.assigned.get('r1')!.actionId;
    const failed = robot('r1', 20, { node: 'C1', actionStatus: (id) => (id === actionId ? 'FAILED' : undefined) });
    const effects = step(state, [failed], true, 1000);
    expect(effects.some((e) => e.kind === 'log' && e.level === 'warn')).toBe(true);
    expect(state.assigned.has('r1')).toBe(false);
    expect(sent(step(state, [robot('r1', 20)], true, 2000))).toEqual([]);
    expect(sent(step(state, [robot('r1', 20)], true, DEFAULT_CHARGING_POLICY.retryAfterMs + 1000))).toEqual([['r1', 'C1', false]]);
  });

  it('forgets a robot that goes offline, and adopts one found charging on a charger', () => {
    const state = emptyChargingState();
    step(state, [robot('r1', 20)], true);
    step(state, [robot('r1', 20, { online: false })], true);
    expect(state.assigned.has('r1')).toBe(false);
    step(state, [robot('r2', 40, { node: 'C2', charging: true, free: true })], true);
    expect(state.assigned.get('r2')).toMatchObject({ charger: 'C2', phase: 'charging' });
  });

  it('a robot refused a trip for its battery goes to charge under 50 % and takes no round work before', () => {
    const state = emptyChargingState();
    expect(availableForWork(state, { id: 'r1', chargePct: 45, charging: false, refusedForBattery: true }, DEFAULT_CHARGING_POLICY)).toBe(false);
    expect(availableForWork(state, { id: 'r1', chargePct: 45, charging: false }, DEFAULT_CHARGING_POLICY)).toBe(true);
    // Charging, sent there by anyone (or its assignment lost while it was silent): not before 50 % either.
    expect(availableForWork(state, { id: 'r1', chargePct: 45, charging: true }, DEFAULT_CHARGING_POLICY)).toBe(false);
    expect(sent(step(state, [robot('r1', 45, { refusedForBattery: true }), robot('r2', 55, { refusedForBattery: true })], true))).toEqual([['r1', 'C1', false]]);
  });

  it('no robot busy, unknown or unreachable from any charger is sent', () => {
    const state = emptyChargingState();
    const unreachable = chargingStep(state, [robot('r1', 10)], chargers, true, 0, DEFAULT_CHARGING_POLICY, () => Infinity);
    expect(sent(unreachable)).toEqual([]);
    expect(sent(step(state, [robot('r2', 10, { free: false }), robot('r3', 10, { chargePct: null })], true))).toEqual([]);
  });
});
