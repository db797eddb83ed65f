import { describe, expect, it } from 'vitest';
import { doorView, judgeDoorOpen, type DoorState } from './door-core.js';
import { inQuietHours, minuteOfDay } from './quiet-hours.js';

const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  it('reads the time of day in the site’s zone, daylight saving included', () => {
    expect(minuteOfDay(at('2026-01-15T14:30:00Z'), 'UTC')).toBe(14 * 60 + 30);
    expect(minuteOfDay(at('2026-01-15T14:30:00Z'), 'Asia/Shanghai')).toBe(22 * 60 + 30);
    // Berlin: UTC+1 in January, UTC+2 in July.
    expect(minuteOfDay(at('2026-01-15T05:00:00Z'), 'Europe/Berlin')).toBe(6 * 60);
    expect(minuteOfDay(at('2026-07-15T05:00:00Z'), 'Europe/Berlin')).toBe(7 * 60);
  });

  it('holds from `from` up to but not at `to`, across midnight when `to` comes first', () => {
    const night = [{ from: '22:00', to: '06:30' }];
    expect(inQuietHours(at('2026-01-15T21:59:00Z'), night, 'UTC')).toBe(false);
    expect(inQuietHours(at('2026-01-15T22:00:00Z'), night, 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-01-16T03:00:00Z'), night, 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-01-16T06:29:00Z'), night, 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-01-16T06:30:00Z'), night, 'UTC')).toBe(false);
    const noon = [{ from: '12:00', to: '13:00' }];
    expect(inQuietHours(at('2026-01-15T12:30:00Z'), noon, 'UTC')).toBe(true);
    expect(inQuietHours(at('2026-01-15T13:00:00Z'), noon, 'UTC')).toBe(false);
    // 22:30 in Shanghai is 14:30 UTC.
    expect(inQuietHours(at('2026-01-15T14:30:00Z'), night, 'Asia/Shanghai')).toBe(true);
    expect(inQuietHours(at('2026-01-15T14:30:00Z'), [], 'UTC')).toBe(false);
  });
});

describe('judging a door that opened', () => {
  const red: DoorState = { room: '305', isolated: true };
  const context = { nowMs: at('2026-01-15T10:00:00Z'), traysDue: 0, graceAfterDeliveryS: 600, quietHours: false };

  it('an isolated room with nothing due, no mute, outside quiet hours: unexpected', () => {
    expect(judgeDoorOpen(red, context)).toBe('unexpected');
  });

  it('a tray on its way or just offered makes it expected, before anything else', () => {
    expect(judgeDoorOpen(red, { ...context, traysDue: 1, quietHours: true })).toBe('deliveryDue');
    expect(judgeDoorOpen({ ...red, lastOfferMs: context.nowMs - 600_000 }, context)).toBe('deliveryDue');
    expect(judgeDoorOpen({ ...red, lastOfferMs: context.nowMs - 601_000 }, context)).toBe('unexpected');
  });

  it('a room outside the red zone never alerts', () => {
    expect(judgeDoorOpen({ ...red, isolated: false }, context)).toBe('notIsolated');
  });

  it('a mute holds until its end, a mute without an end until lifted; quiet hours after it', () => {
    const muted = { ...red, mute: { by: 'nurse', untilMs: context.nowMs + 60_000 } };
    expect(judgeDoorOpen(muted, context)).toBe('muted');
    expect(judgeDoorOpen(muted, { ...context, nowMs: context.nowMs + 60_000 })).toBe('unexpected');
    expect(judgeDoorOpen({ ...red, mute: { by: 'nurse' } }, { ...context, nowMs: context.nowMs + 86_400_000 })).toBe('muted');
    expect(judgeDoorOpen(red, { ...context, quietHours: true })).toBe('quietHours');
  });

  it('shows an expired mute as none', () => {
    const door = { ...red, mute: { by: 'nurse', untilMs: context.nowMs + 60_000 } };
    expect(doorView(door, context.nowMs)).toMatchObject({ muted: true, mutedBy: 'nurse', mutedUntil: '2026-01-15T10:01:00.000Z' });
    expect(doorView(door, context.nowMs + 60_000)).toEqual({ room: '305', isolated: true, muted: false });
  });
});
