import { api } from '../api/client.js';
import type { Site } from '../api/types.js';

let cached: Promise<Site | undefined> | undefined;

/** The site map, fetched once per page. */
export function siteMap(): Promise<Site | undefined> {
  cached ??= api.siteMap().then((r) => (r.ok ? r.value : undefined));
  return cached;
}

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
