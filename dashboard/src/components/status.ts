/** Status → chip tone and symbol, so a status never relies on colour alone. */
import type { RobotState, RoundRoomStatus, TrayStatus, TripStatus } from '../api/types.js';

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
