import type { QuietHours } from '../../protocol/index.js';

/** Minutes since midnight of `ms` in the IANA `timeZone` (Intl: the zone's rules, daylight saving included). */
export function minuteOfDay(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `ms` falls in one of the spans (local time in `timeZone`): `from` inclusive, `to`
 * exclusive; a span whose `to` is before its `from` runs past midnight; `from` equal to `to` is
 * the whole day.
 */
export function inQuietHours(ms: number, spans: readonly QuietHours[], timeZone: string): boolean {
  if (spans.length === 0) return false;
  const now = minuteOfDay(ms, timeZone);
  return spans.some(({ from, to }) => {
    const start = minutes(from);
    const end = minutes(to);
    if (start === end) return true;
    return start < end ? now >= start && now < end : now >= start || now < end;
  });
}
