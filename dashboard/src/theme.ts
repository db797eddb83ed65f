/**
 * The colour theme of this device: `standard`, or `outdoor` for a screen in the sun (black ink,
 * no grey text, bold type, vivid chip fills, heavier borders). Kept by the browser, like the
 * screen's language. The theme sets `--isofleet-*` custom properties on the document; they
 * inherit into every shadow root, where the shared styles read them (with the standard values
 * as fallbacks), so no component needs to know about themes.
 */
export type Theme = 'standard' | 'outdoor';

const STORAGE_KEY = 'isofleet.theme';
const listeners = new Set<() => void>();

/** The outdoor theme's values; every text colour on its background is at least 7:1 (WCAG AAA), most over 15:1. */
const OUTDOOR: Record<string, string> = {
  '--isofleet-ink': '#000000',
  '--isofleet-muted': '#000000',
  '--isofleet-paper': '#ffffff',
  '--isofleet-bg': '#ffffff',
  '--isofleet-line': '#000000',
  '--isofleet-accent': '#002b66',
  '--isofleet-ok': '#000000',
  '--isofleet-ok-bg': '#8df0a6',
  '--isofleet-warn': '#000000',
  '--isofleet-warn-bg': '#ffd25a',
  '--isofleet-bad': '#6b000c',
  '--isofleet-bad-bg': '#ffb3ba',
  '--isofleet-info-bg': '#a9ccff',
  '--isofleet-weight': '600',
  '--isofleet-border': '3px',
  '--isofleet-header': '#000000',
};

function stored(): Theme {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'outdoor' ? 'outdoor' : 'standard';
  } catch {
    return 'standard';
  }
}

let current: Theme = stored();

/** The theme in use. */
export function theme(): Theme {
  return current;
}

/** Puts the current theme's properties on the document (at start, and after every switch). */
export function applyTheme(): void {
  const root = document.documentElement;
  root.dataset.theme = current;
  for (const [name, value] of Object.entries(OUTDOOR)) {
    if (current === 'outdoor') root.style.setProperty(name, value);
    else root.style.removeProperty(name);
  }
}

/** Switches the theme, keeps it on this device and tells every subscriber. */
export function setTheme(next: Theme): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not kept; still switched for this page.
  }
  applyTheme();
  for (const listener of listeners) listener();
}

/** Calls `listener` on every theme change; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
