import { describe, expect, it } from 'vitest';
import { reduceLiftSessions, type LiftEffect, type LiftEvent, type LiftRequest, type LiftSessions } from './lift-session-core.js';

const ask = (robot: string, lift = 'A', session = `${robot}:ride`): LiftRequest => ({ session, robot, lift, fromLevel: 'G', toLevel: 'F2', since: 0 });

/** Feeds events in turn from empty sessions; the sessions at the end and every effect. */
function run(events: LiftEvent[]): { sessions: LiftSessions; effects: LiftEffect[] } {
  let sessions: LiftSessions = new Map();
  const effects: LiftEffect[] = [];
  events.forEach((event, i) => {
    const next = reduceLiftSessions(sessions, event, i * 1000);
    sessions = next.sessions;
    effects.push(...next.effects);
  });
  return { sessions, effects };
}

const granted = (effects: LiftEffect[]) => effects.flatMap((e) => (e.type === 'grant' ? [e.holder.robot] : []));
const holderOf = (sessions: LiftSessions, lift = 'A') => sessions.get(lift)?.holder?.robot;
const queueOf = (sessions: LiftSessions, lift = 'A') => sessions.get(lift)?.queue.map((r) => r.robot) ?? [];

describe('lift sessions', () => {
  it('grants a free car at once and queues the next robots first come, first served', () => {
    const { sessions, effects } = run([
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r2') },
      { type: 'request', request: ask('r3') },
    ]);
    expect(granted(effects)).toEqual(['r1']);
    expect(holderOf(sessions)).toBe('r1');
    expect(queueOf(sessions)).toEqual(['r2', 'r3']);
  });

  it('ignores a repeated request: one grant per session', () => {
    const { sessions, effects } = run([
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r2') },
      { type: 'request', request: ask('r2') },
    ]);
    expect(granted(effects)).toEqual(['r1']);
    expect(queueOf(sessions)).toEqual(['r2']);
  });

  it('keeps cars apart: a robot for car B does not wait for car A', () => {
    const { effects } = run([
      { type: 'request', request: ask('r1', 'A') },
      { type: 'request', request: ask('r2', 'B') },
    ]);
    expect(granted(effects)).toEqual(['r1', 'r2']);
  });

  it('hands the car to the next robot when the ride ends, and frees it when nobody waits', () => {
    const first = run([
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r2') },
      { type: 'riding', request: ask('r1') },
      { type: 'ended', session: 'r1:ride' },
    ]);
    expect(granted(first.effects)).toEqual(['r1', 'r2']);
    expect(first.effects).toContainEqual({ type: 'released', lift: 'A', session: 'r1:ride', robot: 'r1', reason: 'ended' });
    expect(holderOf(first.sessions)).toBe('r2');
    const after = reduceLiftSessions(first.sessions, { type: 'ended', session: 'r2:ride' }, 9000);
    expect(after.sessions.size).toBe(0);
  });

  it('drops a cancelled robot from the queue at once; a car it was granted stays its own until it reports the ride over', () => {
    const cancelled = run([
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r2') },
      { type: 'request', request: ask('r3') },
      { type: 'cancelled', robot: 'r2' },
      { type: 'cancelled', robot: 'r1' },
    ]);
    expect(granted(cancelled.effects)).toEqual(['r1']);
    expect(holderOf(cancelled.sessions)).toBe('r1');
    expect(queueOf(cancelled.sessions)).toEqual(['r3']);
    // Its state shows the ride over (FAILED by its cancelOrder): the car goes to the next robot.
    const over = reduceLiftSessions(cancelled.sessions, { type: 'ended', session: 'r1:ride' }, 9000);
    expect(over.effects).toContainEqual({ type: 'released', lift: 'A', session: 'r1:ride', robot: 'r1', reason: 'ended' });
    expect(granted(over.effects)).toEqual(['r3']);
  });

  it('a cancel naming one trip’s sessions leaves the robot’s sessions of another order alone', () => {
    const { sessions } = run([
      { type: 'request', request: ask('r2', 'A') },
      { type: 'request', request: ask('r1', 'A', 'trip-new:lift:9') },
      { type: 'cancelled', robot: 'r1', sessionPrefix: 'trip-old:' },
    ]);
    expect(queueOf(sessions)).toEqual(['r1']);
    const cancelled = reduceLiftSessions(sessions, { type: 'cancelled', robot: 'r1', sessionPrefix: 'trip-new:' }, 9000);
    expect(queueOf(cancelled.sessions)).toEqual([]);
  });

  it('drops an offline robot from the queue; a car it was granted stays held (it may be calling or riding it) until it reports the ride over', () => {
    const offline = run([
      { type: 'request', request: ask('r1') },
      { type: 'request', request: ask('r2') },
      { type: 'request', request: ask('r3') },
      { type: 'offline', robot: 'r2' },
      { type: 'offline', robot: 'r1' },
    ]);
    expect(granted(offline.effects)).toEqual(['r1']);
    expect(holderOf(offline.sessions)).toBe('r1');
    expect(queueOf(offline.sessions)).toEqual(['r3']);
    const over = reduceLiftSessions(offline.sessions, { type: 'ended', session: 'r1:ride' }, 9000);
    expect(holderOf(over.sessions)).toBe('r3');
  });

  it('takes a ride reported under way with no session (a controller restarted mid-ride) as holding the car, or as next when it is held', () => {
    const { sessions } = run([
      { type: 'riding', request: ask('r1') },
      { type: 'request', request: ask('r2') },
    ]);
    expect(sessions.get('A')?.holder).toMatchObject({ robot: 'r1', aboard: true });
    const both = run([
      { type: 'request', request: ask('r2') },
      { type: 'request', request: ask('r3') },
      { type: 'riding', request: ask('r1') },
    ]);
    expect(holderOf(both.sessions)).toBe('r2');
    expect(queueOf(both.sessions)).toEqual(['r1', 'r3']);
  });

  it('ends a robot’s older session when it asks for another car', () => {
    const { sessions, effects } = run([
      { type: 'request', request: ask('r1', 'A', 'r1:first') },
      { type: 'request', request: ask('r2', 'A') },
      { type: 'request', request: ask('r1', 'B', 'r1:second') },
    ]);
    expect(effects).toContainEqual({ type: 'released', lift: 'A', session: 'r1:first', robot: 'r1', reason: 'superseded' });
    expect(holderOf(sessions, 'A')).toBe('r2');
    expect(holderOf(sessions, 'B')).toBe('r1');
  });

  it('does not change the sessions it is given', () => {
    const start = run([{ type: 'request', request: ask('r1') }]).sessions;
    const snapshot = JSON.stringify([...start]);
    reduceLiftSessions(start, { type: 'ended', session: 'r1:ride' }, 5);
    reduceLiftSessions(start, { type: 'request', request: ask('r2') }, 5);
    expect(JSON.stringify([...start])).toBe(snapshot);
  });
});
