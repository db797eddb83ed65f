import { language } from './i18n.js';

/** A time of day in the screen's language (`14:05:09`, Chinese `14:05:09` in zh-CN's form). */
export function timeText(at: string | number | Date, options: Intl.DateTimeFormatOptions = {}): string {
  return new Date(at).toLocaleTimeString(language() === 'zh' ? 'zh-CN' : 'en-GB', options);
}

/** A date and time in the screen's language (`2026/11/29 14:05` in Chinese). */
export function dateTimeText(at: string | number | Date): string {
  return new Date(at).toLocaleString(language() === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
}
