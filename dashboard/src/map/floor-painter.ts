/**
 * Draws one level of a site on a 2D canvas: the static layer (lanes, rooms coloured by
 * isolation zone, lifts, loading station) once into an offscreen canvas, then robots on top
 * every frame, gliding between reports.
 */
import type { RobotSummary, Site, SiteNode } from '../api/types.js';
import { colourOf, robotNumber } from '../live/site.js';

export const ZONE_FILL: Record<SiteNode['zone'], string> = { green: '#7cc98a', buffer: '#f0c64a', red: '#e5787f' };

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function siteBounds(site: Site, marginM = 2): Bounds {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of site.nodes) {
    x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y);
  }
  return { x0: x0 - marginM, y0: y0 - marginM, x1: x1 + marginM, y1: y1 + marginM };
}

/** Metres ↔ canvas pixels for one canvas size (y up in metres, down on screen). */
export class View {
  readonly scale: number;
  readonly ox: number;
  readonly oy: number;
  constructor(readonly bounds: Bounds, readonly width: number, readonly height: number) {
    this.scale = Math.min(width / (bounds.x1 - bounds.x0), height / (bounds.y1 - bounds.y0));
    this.ox = (width - (bounds.x1 - bounds.x0) * this.scale) / 2;
    this.oy = (height - (bounds.y1 - bounds.y0) * this.scale) / 2;
  }
  px(x: number): number {
    return this.ox + (x - this.bounds.x0) * this.scale;
  }
  py(y: number): number {
    return this.oy + (this.bounds.y1 - y) * this.scale;
  }
}

export interface Labels {
  lift: (id: string) => string;
  loading: string;
}

/** Paints the static layer of `level` into `g` (already sized). */
export function paintLevel(g: CanvasRenderingContext2D, site: Site, level: string, view: View, labels: Labels): void {
  const byId = new Map(site.nodes.map((n) => [n.id, n]));
  g.fillStyle = '#fbfcfd';
  g.fillRect(0, 0, view.width, view.height);
  const s = view.scale;
  // Lanes, tinted by the zone they run through.
  g.lineCap = 'round';
  for (const lane of site.lanes) {
    const a = byId.get(lane.from), b = byId.get(lane.to);
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
    const x = view.px(n.x), y = view.py(n.y);
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
    } else if (n.kind === 'loading') {
      g.font = `bold ${font}px system-ui, sans-serif`;
      g.fillText(labels.loading, x, y - size);
    } else if (n.kind === 'charger') {
      g.font = `bold ${font * 0.8}px system-ui, sans-serif`;
      g.fillText('⚡', x, y);
    } else if (n.kind === 'disinfection') {
      g.font = `bold ${font}px system-ui, sans-serif`;
      g.fillText('✚', x, y);
    }
  }
}

interface Glide {
  fx: number;
  fy: number;
  tx: number;
  ty: number;
  t0: number;
  durationMs: number;
  level: string;
}

/** Robot positions between reports: each glides from where it was drawn to its newest report. */
export class RobotGlides {
  private readonly glides = new Map<string, Glide>();
  private lastUpdate = 0;

  /** Takes a new fleet snapshot received at `now` (performance.now()). */
  update(robots: RobotSummary[], now: number): void {
    // Glide over the interval between snapshots, so motion is continuous at any push rate.
    const interval = this.lastUpdate ? Math.min(1000, Math.max(80, now - this.lastUpdate)) : 200;
    this.lastUpdate = now;
    for (const r of robots) {
      if (!r.position) continue;
      const old = this.glides.get(r.id);
      if (old && old.level === r.position.mapId) {
        const [x, y] = this.at(old, now);
        old.fx = x; old.fy = y; old.tx = r.position.x; old.ty = r.position.y; old.t0 = now; old.durationMs = interval;
      } else {
        this.glides.set(r.id, { fx: r.position.x, fy: r.position.y, tx: r.position.x, ty: r.position.y, t0: now, durationMs: interval, level: r.position.mapId });
      }
    }
  }

  /** True while any robot is still between two reports. */
  moving(now: number): boolean {
    for (const g of this.glides.values()) if (now - g.t0 < g.durationMs && (g.fx !== g.tx || g.fy !== g.ty)) return true;
    return false;
  }

  at(g: Glide, now: number): [number, number] {
    const f = Math.min(1, Math.max(0, (now - g.t0) / g.durationMs));
    return [g.fx + (g.tx - g.fx) * f, g.fy + (g.ty - g.fy) * f];
  }

  get(id: string): Glide | undefined {
    return this.glides.get(id);
  }
}

/** Paints the robots on `level` at `now`. */
export function paintRobots(g: CanvasRenderingContext2D, robots: RobotSummary[], glides: RobotGlides, level: string, view: View, now: number, selected?: string): void {
  const many = robots.length > 60;
  const r = many ? 5 : Math.max(7, Math.min(12, view.scale * 0.8));
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.font = `bold ${Math.round(r * 1.1)}px system-ui, sans-serif`;
  for (const robot of robots) {
    const glide = glides.get(robot.id);
    if (!glide || glide.level !== level) continue;
    const [mx, my] = glides.at(glide, now);
    const x = view.px(mx), y = view.py(my);
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
