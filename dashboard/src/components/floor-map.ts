import { LitElement, css, html } from 'lit';
import type { RobotSummary, Site } from '../api/types.js';
import { I18nController, t } from '../i18n/i18n.js';
import { store } from '../live/live-store.js';
import { paintDisinfections, paintLevel, paintRobots, robotSamples, siteBounds } from '../map/floor-painter.js';
import { Glides } from '../map/glides.js';
import { Viewport } from '../map/viewport.js';

/**
 * One level of the site on a canvas with the robots on it, moving smoothly between reports, and
 * at each disinfection station the number of robots disinfected there.
 * The static drawing is cached; a frame is drawn only while something moves. Robots come
 * from the live store (or `source`, for the benchmark).
 *
 * @fires map-frame - never; frames are counted by the benchmark with requestAnimationFrame.
 */
export class FloorMap extends LitElement {
  static override properties = {
    site: { attribute: false },
    level: { type: String },
    selected: { type: String },
  };
  static override styles = css`
    :host { display: block; position: relative; }
    canvas { display: block; width: 100%; border-radius: 8px; border: 1px solid #c5ccd6; }
  `;

  declare site: Site | undefined;
  declare level: string;
  declare selected: string | undefined;
  private readonly i18n = new I18nController(this);
  private readonly glides = new Glides();
  private canvas?: HTMLCanvasElement;
  private staticLayer?: HTMLCanvasElement;
  private view?: Viewport;
  private frame = 0;
  private off?: () => void;
  private resize?: ResizeObserver;
  private readonly draw = (now: number) => this.paint(now);

  constructor() {
    super();
    this.level = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = store.subscribe(['fleet', 'disinfections'], () => {
      this.glides.update(robotSamples(store.robots), store.robotsAt);
      this.schedule();
    });
    this.glides.update(robotSamples(store.robots), performance.now());
  }

  override disconnectedCallback(): void {
    this.off?.();
    this.resize?.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    super.disconnectedCallback();
  }

  override firstUpdated(): void {
    this.canvas = this.renderRoot.querySelector('canvas')!;
    this.resize = new ResizeObserver(() => this.layout());
    this.resize.observe(this);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('site') || changed.has('level')) this.layout();
    else {
      // Language change: labels on the static layer.
      this.staticLayer = undefined;
      this.schedule();
    }
  }

  override render() {
    return html`<canvas data-testid="floor-canvas" role="img" aria-label=${this.level}></canvas>`;
  }

  private layout(): void {
    if (!this.canvas || !this.site) return;
    const bounds = siteBounds(this.site);
    const width = Math.max(200, this.clientWidth);
    const aspect = (bounds.y1 - bounds.y0) / (bounds.x1 - bounds.x0);
    const height = Math.max(160, Math.min(window.innerHeight * 0.6, width * aspect));
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.height = `${height}px`;
    this.view = Viewport.fitting(bounds, this.canvas.width, this.canvas.height);
    this.staticLayer = undefined;
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame && this.isConnected) this.frame = requestAnimationFrame(this.draw);
  }

  private paint(now: number): void {
    this.frame = 0;
    const canvas = this.canvas,
      view = this.view,
      site = this.site;
    if (!canvas || !view || !site) return;
    if (!this.staticLayer) {
      const layer = document.createElement('canvas');
      layer.width = canvas.width;
      layer.height = canvas.height;
      paintLevel(layer.getContext('2d')!, site, this.level, view, { lift: (id) => t('map.lift', { id }), loading: t('map.loading') });
      this.staticLayer = layer;
    }
    const g = canvas.getContext('2d')!;
    g.drawImage(this.staticLayer, 0, 0);
    paintDisinfections(g, site, this.level, view, store.disinfections);
    const robots: RobotSummary[] = store.robots;
    paintRobots(g, robots, this.glides, this.level, view, now, this.selected);
    const moving = this.glides.moving(now);
    if (moving) this.schedule();
  }
}
customElements.define('floor-map', FloorMap);

declare global {
  interface HTMLElementTagNameMap {
    'floor-map': FloorMap;
  }
}
