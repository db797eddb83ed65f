/**
 * Draws one level of a site on a 2D canvas: the static layer (lanes tinted and places coloured
 * by isolation zone, lifts, loading station, disinfection stations) once into an offscreen
 * canvas, then on top every frame the disinfections counted at each station and the robots,
 * gliding between reports.
 */
import type { RobotSummary, Site, SiteNode } from '../api/types.js';
import { colourOf, robotNumber } from '../live/site.js';
import type { GlideSample, Glides } from './glides.js';
import type { Bounds, Viewport } from './viewport.js';

export const ZONE_FILL: Record<SiteNode['zone'], string> = { green: '#7cc98a', buffer: '#f0c64a', red: '#e5787f' };
/** The disinfection count badge's fill (no zone, robot or lift uses it). */
export const DISINFECTED_FILL = '#0f6b5c';

export function siteBounds(site: Site, marginM = 2): Bounds {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const n of site.nodes) {
    x0 = Math.min(x0, n.x);
    y0 = Math.min(y0, n.y);
    x1 = Math.max(x1, n.x);
    y1 = Math.max(y1, n.y);
  }
  return { x0: x0 - marginM, y0: y0 - marginM, x1: x1 + marginM, y1: y1 + marginM };
}

export interface Labels {
  lift: (id: string) => string;
  loading: string;
}

/** Paints the static layer of `level` into `g` (already sized). */
export function paintLevel(g: CanvasRenderingContext2D, site: Site, level: string, view: Viewport, labels: Labels): void {
  const byId = new Map(site.nodes.map((n) => [n.id, n]));
  g.fillStyle = '#fbfcfd';
  g.fillRect(0, 0, view.width, view.height);
  const s = view.scale;
  // Lanes, tinted by the zone they run through.
  g.lineCap = 'round';
  for (const lane of site.lanes) {
    const a = byId.get(lane.from),
      b = byId.get(lane.to);
    if (!a || !b || a.level !== level || b.level !== level) continue;
    g.strokeStyle = a.zone === 'red' || b.zone === 'red' ? '#e7b3b7' : a.zone === 'buffer' || b.zone === 'buffer' ? '#ead9a0' : '#b9c4d0';
    g.lineWidth = Math.max(2, s * 0.9);
    g.beginPath();
    g.moveTo(view.px(a.x), view.py(a.y));
    g.lineTo(view.px(b.x), view.py(b.y));
    g.stroke();
  }
  const font = Math.max(9, Math.min(14, s * 0.9));
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  for (const n of site.nodes) {
    if (n.level !== level || n.kind === 'corridor') continue;
    const x = view.px(n.x),
      y = view.py(n.y);
    const size = n.kind === 'room' ? Math.max(8, s * 1.6) : Math.max(10, s * 1.8);
    g.fillStyle = ZONE_FILL[n.zone];
    g.strokeStyle = '#23303d';
    g.lineWidth = 1;
    if (n.kind === 'liftLanding') {
      g.fillStyle = '#50657d';
      g.fillRect(x - size / 2, y - size / 2, size, size);
      g.fillStyle = '#fff';
      g.font = `bold ${font}px system-ui, sans-serif`;
      g.fillText(n.lift ?? '', x, y);
      continue;
    }
    g.fillRect(x - size / 2, y - size / 2, size, size);
    g.strokeRect(x - size / 2, y - size / 2, size, size);
    g.fillStyle = '#111';
    if (n.kind === 'room' && n.room && s > 9) {
      g.font = `${font * 0.85}px system-ui, sans-serif`;
      g.fillText(n.room, x, y + (n.y > 0 ? -size : size));
    } else if (n.kind === 'charger') {
      g.font = `bold ${font * 0.8}px system-ui, sans-serif`;
      g.fillText('⚡', x, y);
    } else if (n.kind === 'disinfection') {
      g.font = `bold ${font}px system-ui, sans-serif`;
      g.fillText('✚', x, y);
    }
  }
  // Last, left of the node and haloed: the chargers beside the station would paint over it.
  for (const n of site.nodes) {
    if (n.level !== level || n.kind !== 'loading') continue;
    const size = Math.max(10, s * 1.8);
    g.font = `bold ${font}px system-ui, sans-serif`;
    g.textAlign = 'right';
    g.lineWidth = 4;
    g.strokeStyle = '#fff';
    g.strokeText(labels.loading, view.px(n.x) - size, view.py(n.y));
    g.fillStyle = '#111';
    g.fillText(labels.loading, view.px(n.x) - size, view.py(n.y));
  }
}

/**
 * Paints, at each disinfection station of `level` where robots were disinfected, a badge with
 * how many times (`counts` by station node id): where robots came out of red.
 */
export function paintDisinfections(g: CanvasRenderingContext2D, site: Site, level: string, view: Viewport, counts: ReadonlyMap<string, number>): void {
  if (counts.size === 0) return;
  const s = view.scale;
  const size = Math.max(10, s * 1.8);
  const r = Math.max(8, Math.min(13, s * 0.8));
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = `bold ${Math.round(r * 1.05)}px system-ui, sans-serif`;
  for (const n of site.nodes) {
    const count = counts.get(n.id);
    if (n.level !== level || n.kind !== 'disinfection' || !count) continue;
    const text = `✚ ${count > 999 ? '999+' : count}`;
    const w = Math.max(2 * r, g.measureText(text).width + r);
    // Above and right of the station, clear of its own mark.
    const x = view.px(n.x) + size / 2 + w / 2 - 2;
    const y = view.py(n.y) - size / 2 - r + 2;
    g.fillStyle = DISINFECTED_FILL;
    g.strokeStyle = '#fff';
    g.lineWidth = 2;
    g.beginPath();
    g.roundRect(x - w / 2, y - r, w, 2 * r, r);
    g.fill();
    g.stroke();
    g.fillStyle = '#fff';
    g.fillText(text, x, y + 0.5);
  }
}

/** Where each robot with a position is, for {@link Glides}. */
export function robotSamples(robots: RobotSummary[]): GlideSample[] {
  return robots.flatMap((r) => (r.position ? [{ id: r.id, x: r.position.x, y: r.position.y, level: r.position.mapId }] : []));
}

/** Paints the robots on `level` at `now`. */
export function paintRobots(g: CanvasRenderingContext2D, robots: RobotSummary[], glides: Glides, level: string, view: Viewport, now: number, selected?: string): void {
  const many = robots.length > 60;
  const r = many ? 5 : Math.max(7, Math.min(12, view.scale * 0.8));
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = `bold ${Math.round(r * 1.1)}px system-ui, sans-serif`;
  for (const robot of robots) {
    const glide = glides.get(robot.id);
    if (!glide || glide.level !== level) continue;
    const [mx, my] = glides.at(glide, now);
    const x = view.px(mx),
      y = view.py(my);
    g.fillStyle = robot.online ? colourOf(robot.id) : '#8a8f98';
    g.beginPath();
    g.arc(x, y, r, 0, Math.PI * 2);
    g.fill();
    if (robot.id === selected || robot.state === 'error' || !robot.online) {
      g.lineWidth = 3;
      g.strokeStyle = robot.id === selected ? '#ffb000' : '#a3121f';
      g.stroke();
    }
    if (!many) {
      g.fillStyle = '#fff';
      g.fillText(robot.online ? robotNumber(robot.id) : '✕', x, y + 0.5);
    }
  }
}
