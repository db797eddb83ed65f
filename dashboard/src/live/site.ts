import { api } from '../api/client.js';
import { session } from '../api/session.js';
import type { Site } from '../api/types.js';
import { t, type MessageKey } from '../i18n/i18n.js';

let cached: Promise<Site | undefined> | undefined;

/**
 * The site map, fetched once per session. A failed fetch is not kept: the page asks for it
 * before anyone signs in (a 401), and the room check and floor maps need it after sign-in.
 */
export function siteMap(): Promise<Site | undefined> {
  if (cached) return cached;
  const pending = api.siteMap().then((r) => {
    if (!r.ok && cached === pending) cached = undefined;
    return r.ok ? r.value : undefined;
  });
  cached = pending;
  return pending;
}

// Another user may see another site; and whatever came before sign-in was a refusal.
session.onChange(() => {
  cached = undefined;
});

/** Room numbers of a site, in site order. */
export function roomsOf(site: Site): string[] {
  return site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
}

/** The robot's short label: `robot-3` → `3`. */
export function robotNumber(id: string): string {
  const match = /(\d+)$/.exec(id);
  return match ? match[1]! : id;
}

const PALETTE = ['#1f6fd1', '#d1341f', '#178a3b', '#7b3fc4', '#c46a00', '#0a8a9a', '#8c564b', '#c2399b', '#5a6b00', '#333f99'];
const colours = new Map<string, string>();
/** A stable colour per robot or drone id (cached: the maps ask for it every frame). */
export function colourOf(id: string): string {
  let colour = colours.get(id);
  if (!colour) {
    colour = computeColour(id);
    colours.set(id, colour);
  }
  return colour;
}

function computeColour(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  const n = Number(robotNumber(id));
  return PALETTE[(Number.isFinite(n) ? n : Math.abs(h)) % PALETTE.length]!;
}

/** Marks a screen as shown with its data, for the first-load benchmark. */
export function markReady(screen: string): void {
  if (!performance.getEntriesByName(`ready:${screen}`).length) performance.mark(`ready:${screen}`);
}

/** Where a robot is, as a person says it: `3 · Room 305`, `G · Loading station`. */
export function placeText(site: Site | undefined, level: string | null | undefined, nodeId: string | null | undefined): string {
  const node = site?.nodes.find((n) => n.id === nodeId);
  if (!node) return [level, nodeId].filter(Boolean).join(' · ') || '–';
  const what =
    node.kind === 'room' && node.room
      ? t('place.room', { room: node.room })
      : node.kind === 'loading'
        ? t('map.loading')
        : node.kind === 'liftLanding'
          ? t('map.lift', { id: node.lift ?? '' })
          : t(`place.${node.kind}` as MessageKey);
  return `${node.level} · ${what}`;
}
