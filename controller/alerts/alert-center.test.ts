import { describe, expect, it } from 'vitest';
import type { Clock } from '../../protocol/index.js';
import { AlertCenter } from './alert-center.js';

/** A clock the test moves by hand (the center only reads it). */
function handClock(startMs = Date.parse('2026-11-29T08:00:00Z')) {
  let now = startMs;
  const clock: Clock = { now: () => now, setTimeout: () => ({ id: 0 }), clearTimeout: () => {} };
  return { clock, advance: (ms: number) => (now += ms) };
}

describe('AlertCenter', () => {
  it('keeps one alert per cause: a repeat counts, updates last seen and asks for a new acknowledgement', () => {
    const { clock, advance } = handClock();
    const center = new AlertCenter(clock);
    const first = center.raise({ kind: 'trayNotCollected', subject: 'robot-1', room: '305', tray: 2, message: 'room 305 did not collect' });
    center.acknowledge(first.id);
    advance(60_000);
    const again = center.raise({ kind: 'trayNotCollected', subject: 'robot-1', room: '305', tray: 2, message: 'room 305 did not collect again' });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ count: 2, acknowledged: false, message: 'room 305 did not collect again', at: '2026-11-29T08:00:00.000Z', lastSeenAt: '2026-11-29T08:01:00.000Z' });
    // Another tray or room is another cause.
    expect(center.raise({ kind: 'trayNotCollected', subject: 'robot-1', room: '305', tray: 3, message: '' }).id).not.toBe(first.id);
    expect(center.list()).toHaveLength(2);
  });

  it('writes who acknowledged an alert to the audit log; nothing for an alert that does not exist', () => {
    const { clock } = handClock();
    const audited: unknown[] = [];
    const center = new AlertCenter(clock, { audit: (entry) => audited.push(entry) });
    const alert = center.raise({ kind: 'robotOffline', subject: 'robot-1', message: 'robot-1 is offline' });
    expect(center.acknowledge(alert.id, 'nurse-li')?.acknowledged).toBe(true);
    expect(center.acknowledge('nope', 'nurse-li')).toBeUndefined();
    expect(audited).toEqual([{ actor: 'nurse-li', action: 'alertAcknowledged', subject: 'robot-1', detail: { alert: alert.id, kind: 'robotOffline' } }]);
  });

  it('resolves an alert when its cause is gone, keeping it in the history with when and why', () => {
    const { clock, advance } = handClock();
    const center = new AlertCenter(clock);
    const changes: string[] = [];
    center.on('alert', (a) => changes.push(`${a.id}:${a.status}`));
    const offline = center.raise({ kind: 'robotOffline', subject: 'robot-2', message: 'robot-2 is offline', roomsOnBoard: ['101'] });
    advance(5_000);
    expect(center.resolve({ kind: 'robotOffline', subject: 'robot-1' }, 'robot-1 is back online')).toEqual([]);
    expect(center.resolve({ kind: 'robotOffline', subject: 'robot-2' }, 'robot-2 is back online')).toHaveLength(1);
    expect(center.list()).toEqual([]);
    expect(center.list({ status: 'resolved' })).toEqual([
      expect.objectContaining({ id: offline.id, status: 'resolved', resolvedAt: '2026-11-29T08:00:05.000Z', resolution: 'robot-2 is back online', roomsOnBoard: ['101'] }),
    ]);
    expect(changes).toEqual([`${offline.id}:open`, `${offline.id}:resolved`]);
    // Resolving again changes nothing.
    expect(center.resolve({ kind: 'robotOffline', subject: 'robot-2' }, 'again')).toEqual([]);
  });

  it('reopens a cause that comes back soon after it resolved (a flapping link is one alert), and makes a new one later', () => {
    const { clock, advance } = handClock();
    const center = new AlertCenter(clock, { reopenWithinMs: 600_000 });
    const cause = { kind: 'robotOffline' as const, subject: 'robot-2' };
    const first = center.raise({ ...cause, message: 'offline' });
    center.resolve(cause, 'back');
    advance(60_000);
    const again = center.raise({ ...cause, message: 'offline' });
    expect(again).toMatchObject({ id: first.id, count: 2, status: 'open' });
    expect(again.resolvedAt).toBeUndefined();
    expect(again.resolution).toBeUndefined();
    center.resolve(cause, 'back');
    advance(600_001);
    expect(center.raise({ ...cause, message: 'offline' })).toMatchObject({ count: 1, status: 'open' });
    expect(center.list({ status: 'all' })).toHaveLength(2);
  });

  it('resolves by a partial cause: a room collecting later clears its not-collected alerts from any robot and tray', () => {
    const { clock } = handClock();
    const center = new AlertCenter(clock);
    center.raise({ kind: 'trayNotCollected', subject: 'robot-1', room: '305', tray: 2, message: '' });
    center.raise({ kind: 'trayNotCollected', subject: 'robot-3', room: '305', tray: 1, message: '' });
    center.raise({ kind: 'trayNotCollected', subject: 'robot-3', room: '306', tray: 2, message: '' });
    expect(center.resolve({ kind: 'trayNotCollected', room: '305' }, 'room 305 collected').map((a) => a.subject)).toEqual(['robot-1', 'robot-3']);
    expect(center.list().map((a) => a.room)).toEqual(['306']);
  });

  it('pages the history newest first with limit and before', () => {
    const { clock, advance } = handClock();
    const center = new AlertCenter(clock);
    const ids = Array.from({ length: 7 }, (_, i) => {
      advance(1000);
      const a = center.raise({ kind: 'robotStuck', subject: `robot-${i}`, message: '' });
      if (i % 2 === 0) center.resolve({ kind: 'robotStuck', subject: `robot-${i}` }, 'moving again');
      return a.id;
    });
    const page1 = center.list({ status: 'all', limit: 3 });
    expect(page1.map((a) => a.id)).toEqual([ids[6], ids[5], ids[4]]);
    const page2 = center.list({ status: 'all', limit: 3, before: page1.at(-1)!.id });
    expect(page2.map((a) => a.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(center.list({ status: 'resolved', limit: 2, before: ids[4] }).map((a) => a.id)).toEqual([ids[2], ids[0]]);
    expect(center.list().map((a) => a.id)).toEqual([ids[5], ids[3], ids[1]]);
  });

  it('keeps memory bounded: beyond the limit the oldest resolved alerts go first', () => {
    const { clock } = handClock();
    const center = new AlertCenter(clock, { keep: 10 });
    for (let i = 0; i < 30; i++) {
      center.raise({ kind: 'robotStuck', subject: `robot-${i}`, message: '' });
      if (i < 25) center.resolve({ kind: 'robotStuck', subject: `robot-${i}` }, 'moving again');
    }
    expect(center.list({ status: 'all' })).toHaveLength(10);
    expect(center.list()).toHaveLength(5);
  });
});
