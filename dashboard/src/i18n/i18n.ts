import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, zh, type MessageKey } from './messages.js';

/** A screen's language (each browser its own; the robots' announcement language is a separate site setting). */
export type Language = 'en' | 'zh';
export type { MessageKey };

const STORAGE_KEY = 'isofleet.language';
const tables: Record<Language, Record<MessageKey, string>> = { en, zh };
const listeners = new Set<() => void>();

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // localStorage can be unavailable (private mode, file://): fall through.
  }
  return typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh' : 'en';
}

let current: Language = initialLanguage();

/** The language in use. */
export function language(): Language {
  return current;
}

/** Switches the language everywhere, persists it, and tells every subscriber. */
export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted; still switched for this page.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener();
}

/** Calls `listener` on every language change; returns the unsubscribe. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for `key` in the current language, with `{name}` parameters filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = tables[current][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Re-renders its host when the language changes. */
export class I18nController implements ReactiveController {
  private off?: () => void;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    this.off = onLanguageChange(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.off?.();
  }
}
