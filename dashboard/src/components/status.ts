/** Status → chip tone and symbol, so a status never relies on colour alone. */
import type { RobotState, RoundRoomStatus, TrayStatus, TripStatus, TripView } from '../api/types.js';
import type { MessageKey } from '../i18n/messages.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | '';

export const trayTone: Record<TrayStatus, [Tone, string]> = {
  loaded: ['info', '●'],
  delivered: ['ok', '✓'],
  notCollected: ['warn', '↩'],
  returned: ['warn', '↩'],
  failed: ['bad', '✕'],
};

export const tripTone: Record<TripStatus, [Tone, string]> = {
  planned: ['', '…'],
  running: ['info', '➜'],
  done: ['ok', '✓'],
  failed: ['bad', '✕'],
};

export const robotTone: Record<RobotState, [Tone, string]> = {
  offline: ['bad', '✕'],
  unknown: ['', '?'],
  idle: ['ok', '●'],
  driving: ['info', '➜'],
  working: ['info', '⚙'],
  paused: ['warn', 'Ⅱ'],
  error: ['bad', '!'],
};

export const roundRoomTone: Record<RoundRoomStatus, [Tone, string]> = {
  pending: ['', '…'],
  loaded: ['info', '●'],
  enRoute: ['info', '➜'],
  delivered: ['ok', '✓'],
  notCollected: ['warn', '↩'],
  failed: ['bad', '✕'],
};

/** Battery percent → tone. */
export function batteryTone(pct: number | null | undefined): Tone {
  if (pct == null) return '';
  return pct < 20 ? 'bad' : pct < 40 ? 'warn' : 'ok';
}

/**
 * True while a trip waits at the loading station for trays to be confirmed: only before it
 * leaves (`planned`). Once it runs the robot has left, whatever was confirmed (the robot's own
 * screen confirms without the dashboard), and the server refuses a confirmation with 409.
 */
export function waitsForLoading(trip: TripView): boolean {
  if (!trip.loading || trip.status !== 'planned') return false;
  return trip.trays.some((tray) => !trip.loading!.confirmedTrays.includes(tray.tray));
}

/**
 * A tray's status in a medic's words for where its trip is: the server says `loaded` from the
 * moment a trip is created, but nothing is on the tray until the medic puts it there; and a
 * tray not collected is "coming back" only while the robot is still out.
 */
export function trayPhase(trip: TripView, tray: TripView['trays'][number]): { key: MessageKey; tone: Tone; symbol: string } {
  if (tray.status === 'loaded' && trip.status === 'planned') {
    return trip.loading?.confirmedTrays.includes(tray.tray) ? { key: 'tray.confirmed', tone: 'ok', symbol: '✓' } : { key: 'tray.toLoad', tone: 'warn', symbol: '○' };
  }
  if (tray.status === 'notCollected' && (trip.status === 'done' || trip.status === 'failed')) return { key: 'tray.status.notCollectedBack', tone: 'warn', symbol: '↩' };
  const [tone, symbol] = trayTone[tray.status];
  return { key: `tray.status.${tray.status}` as MessageKey, tone, symbol };
}
