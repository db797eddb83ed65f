import { LitElement, css, html, nothing, svg } from 'lit';
import type { Drone, FeatureCollection, PlanLegProps, Position } from '../api/types.js';
import { store } from '../live/live-store.js';
import { colourOf } from '../live/site.js';
import { LocalFrame, bboxOf, lonLatToTile, tileToLonLat, type ZoneRoleName } from '../map/geo.js';

/** Map background settings: an optional XYZ tile URL and an optional georeferenced site image. */
export interface MapSettings {
  tileUrl: string;
  imageUrl: string;
  /** [west, south, east, north] of the image. */
  imageBounds: [number, number, number, number] | null;
}

export type MapTool = 'select' | ZoneRoleName;

export const ROLE_STYLE: Record<ZoneRoleName, { fill: string; stroke: string }> = {
  spray: { fill: '#2e9d4f33', stroke: '#1b7a36' },
  keepout: { fill: '#d0303c55', stroke: '#a3121f' },
  geofence: { fill: 'none', stroke: '#0b4fa3' },
  pad: { fill: '#ffb000', stroke: '#0d1117' },
};

interface DroneGlide { fx: number; fy: number; tx: number; ty: number; t0: number; ms: number }

/**
 * The outdoor area on a metric grid (no internet needed), with optional tiles and site image.
 * Canvas: grid, background, plan legs, coverage heat map, drones (many, moving). SVG on top:
 * the zones and their corner handles, which people click and drag.
 *
 * @fires zones-change - detail `{zones}` after a shape was drawn, moved or deleted.
 * @fires feature-select - detail `{index}` (or -1) when a shape is tapped.
 */
export class MetricMap extends LitElement {
  static override properties = {
    zones: { attribute: false },
    plan: { attribute: false },
    missionId: { type: String, attribute: 'mission-id' },
    tool: { type: String },
    selected: { type: Number },
    settings: { attribute: false },
  };
  static override styles = css`
    :host { display: block; position: relative; user-select: none; touch-action: none; }
    canvas, svg { position: absolute; inset: 0; width: 100%; height: 100%; }
    .box { position: relative; height: 100%; min-height: 360px; border-radius: 8px; overflow: hidden; border: 1px solid #c5ccd6; background: #f7f9f6; }
    .scale { position: absolute; left: 8px; bottom: 8px; background: #fffd; padding: 2px 6px; border-radius: 4px; font: 12px system-ui; pointer-events: none; }
  `;

  declare zones: FeatureCollection;
  declare plan: (FeatureCollection<PlanLegProps>) | undefined;
  declare missionId: string | undefined;
  declare tool: MapTool;
  declare selected: number;
  declare settings: MapSettings;

  frame = new LocalFrame(22.7225, 114.255);
  private cx = 0;
  private cy = 0;
  /** Pixels per metre. */
  private scale = 0.5;
  private width = 800;
  private height = 500;
  private dpr = 1;
  private canvas?: HTMLCanvasElement;
  private raf = 0;
  private drawing: Position[] = [];
  private drag?: { kind: 'pan'; x: number; y: number; cx: number; cy: number } | { kind: 'vertex'; feature: number; vertex: number };
  private readonly glides = new Map<string, DroneGlide>();
  private lastDrones = 0;
  private readonly tiles = new Map<string, HTMLImageElement>();
  private siteImage?: HTMLImageElement;
  private coverageCanvas?: HTMLCanvasElement;
  private coverageVersion = -1;
  private off?: () => void;
  private resize?: ResizeObserver;
  private framed = false;
  private readonly paintFrame = (now: number) => this.paint(now);

  constructor() {
    super();
    this.zones = { type: 'FeatureCollection', features: [] };
    this.tool = 'select';
    this.selected = -1;
    this.settings = { tileUrl: '', imageUrl: '', imageBounds: null };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = store.subscribe(['drones', 'coverage'], () => {
      this.updateGlides(store.drones, store.dronesAt);
      this.schedule();
    });
    this.updateGlides(store.drones, performance.now());
  }

  override disconnectedCallback(): void {
    this.off?.();
    this.resize?.disconnect();
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    super.disconnectedCallback();
  }

  override firstUpdated(): void {
    this.canvas = this.renderRoot.querySelector('canvas')!;
    this.resize = new ResizeObserver(() => this.layout());
    this.resize.observe(this.renderRoot.querySelector('.box')!);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('zones') && !this.framed && this.zones.features.length) this.fit();
    if (changed.has('settings')) {
      this.siteImage = undefined;
      if (this.settings.imageUrl) {
        const img = new Image();
        img.onload = () => this.schedule();
        img.src = this.settings.imageUrl;
        this.siteImage = img;
      }
    }
    this.schedule();
  }

  /** Re-centres on the zones (or the drones) and picks the local frame there. */
  fit(): void {
    let box = bboxOf(this.zones);
    if (!box && store.drones.length) {
      const lons = store.drones.map((d) => d.lon), lats = store.drones.map((d) => d.lat);
      box = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    }
    if (!box) return;
    this.framed = true;
    this.frame = new LocalFrame((box[1] + box[3]) / 2, (box[0] + box[2]) / 2);
    const [x0, y0] = this.frame.toXY(box[0], box[1]);
    const [x1, y1] = this.frame.toXY(box[2], box[3]);
    this.cx = (x0 + x1) / 2;
    this.cy = (y0 + y1) / 2;
    this.scale = Math.min(this.width / Math.max(20, (x1 - x0) * 1.1), this.height / Math.max(20, (y1 - y0) * 1.1));
    this.glides.clear();
    this.updateGlides(store.drones, performance.now());
    this.requestUpdate();
  }

  private layout(): void {
    const box = this.renderRoot.querySelector('.box') as HTMLElement;
    this.width = box.clientWidth;
    this.height = box.clientHeight;
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    if (this.canvas) {
      this.canvas.width = Math.round(this.width * this.dpr);
      this.canvas.height = Math.round(this.height * this.dpr);
    }
    if (!this.framed) this.fit();
    this.requestUpdate();
  }

  private sx(x: number): number {
    return this.width / 2 + (x - this.cx) * this.scale;
  }
  private sy(y: number): number {
    return this.height / 2 - (y - this.cy) * this.scale;
  }
  private px(p: Position): [number, number] {
    const [x, y] = this.frame.toXY(p[0], p[1]);
    return [this.sx(x), this.sy(y)];
  }
  private toLonLat(clientX: number, clientY: number): [number, number] {
    const rect = this.getBoundingClientRect();
    const x = this.cx + (clientX - rect.left - this.width / 2) / this.scale;
    const y = this.cy - (clientY - rect.top - this.height / 2) / this.scale;
    const [lon, lat] = this.frame.toLonLat(x, y);
    return [Math.round(lon * 1e8) / 1e8, Math.round(lat * 1e8) / 1e8];
  }

  override render() {
    const scaleM = niceStep(100 / this.scale);
    return html`<div class="box"
        @wheel=${this.onWheel}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove}
        @pointerup=${this.onUp}
        @pointercancel=${this.onUp}
        @dblclick=${() => this.finishShape()}>
      <canvas data-testid="metric-canvas"></canvas>
      <svg data-testid="zones-svg">
        ${this.zones.features.map((f, i) => this.renderZone(f, i))}
        ${this.drawing.length
          ? svg`<polyline points=${this.drawing.map((p) => this.px(p).join(',')).join(' ')} fill="none" stroke="#0d1117" stroke-width="2" stroke-dasharray="6 4" />
            ${this.drawing.map((p) => { const [x, y] = this.px(p); return svg`<circle cx=${x} cy=${y} r="6" fill="#fff" stroke="#0d1117" stroke-width="2" />`; })}`
          : nothing}
      </svg>
      <div class="scale">${scaleM >= 1000 ? `${scaleM / 1000} km` : `${scaleM} m`} ≈ ${Math.round(scaleM * this.scale)} px</div>
    </div>`;
  }

  private renderZone(f: FeatureCollection['features'][number], index: number) {
    const role = ((f.properties as { role?: ZoneRoleName }).role ?? 'spray') as ZoneRoleName;
    const style = ROLE_STYLE[role];
    const selected = index === this.selected;
    if (f.geometry.type === 'Point') {
      const [x, y] = this.px(f.geometry.coordinates);
      return svg`<g data-zone=${index} data-role=${role}><rect x=${x - 9} y=${y - 9} width="18" height="18" fill=${style.fill} stroke=${selected ? '#ffb000' : style.stroke} stroke-width=${selected ? 4 : 2}
        @pointerdown=${(e: PointerEvent) => this.onShapeDown(e, index, 0)} /><text x=${x} y=${y + 4} text-anchor="middle" font-size="11" font-weight="700" pointer-events="none">H</text></g>`;
    }
    if (f.geometry.type !== 'Polygon') return nothing;
    const ring = f.geometry.coordinates[0] ?? [];
    const points = ring.map((p) => this.px(p).join(',')).join(' ');
    return svg`<g data-zone=${index} data-role=${role}>
      <polygon points=${points} fill=${style.fill} stroke=${selected ? '#ffb000' : style.stroke} stroke-width=${selected ? 4 : role === 'geofence' ? 3 : 2}
        stroke-dasharray=${role === 'geofence' ? '10 6' : ''} fill-rule="evenodd" @pointerdown=${(e: PointerEvent) => this.onShapeDown(e, index, -1)} />
      ${selected && this.tool === 'select'
        ? ring.slice(0, -1).map((p, v) => {
            const [x, y] = this.px(p);
            return svg`<circle cx=${x} cy=${y} r="12" fill="#fff" stroke="#0d1117" stroke-width="3" data-vertex=${v} @pointerdown=${(e: PointerEvent) => this.onShapeDown(e, index, v)} />`;
          })
        : nothing}
    </g>`;
  }

  private onShapeDown(e: PointerEvent, index: number, vertex: number): void {
    if (this.tool !== 'select') return;
    e.stopPropagation();
    if (this.selected !== index) this.dispatchEvent(new CustomEvent('feature-select', { detail: { index }, bubbles: true, composed: true }));
    const isPoint = this.zones.features[index]?.geometry.type === 'Point';
    if (vertex >= 0 || isPoint) {
      this.drag = { kind: 'vertex', feature: index, vertex: Math.max(0, vertex) };
      (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    }
  }

  private onDown(e: PointerEvent): void {
    if (this.tool === 'select') {
      this.drag = { kind: 'pan', x: e.clientX, y: e.clientY, cx: this.cx, cy: this.cy };
      if (this.selected !== -1) this.dispatchEvent(new CustomEvent('feature-select', { detail: { index: -1 }, bubbles: true, composed: true }));
      return;
    }
    const p = this.toLonLat(e.clientX, e.clientY);
    if (this.tool === 'pad') {
      this.emitZones([...this.zones.features, { type: 'Feature', properties: { role: 'pad' }, geometry: { type: 'Point', coordinates: p } }]);
      return;
    }
    this.drawing = [...this.drawing, p];
    this.requestUpdate();
  }

  private onMove(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    if (drag.kind === 'pan') {
      this.cx = drag.cx - (e.clientX - drag.x) / this.scale;
      this.cy = drag.cy + (e.clientY - drag.y) / this.scale;
      this.requestUpdate();
      return;
    }
    const p = this.toLonLat(e.clientX, e.clientY);
    const f = this.zones.features[drag.feature];
    if (!f) return;
    if (f.geometry.type === 'Point') f.geometry = { type: 'Point', coordinates: p };
    else if (f.geometry.type === 'Polygon') {
      const ring = [...(f.geometry.coordinates[0] ?? [])];
      ring[drag.vertex] = p;
      if (drag.vertex === 0) ring[ring.length - 1] = p;
      f.geometry = { type: 'Polygon', coordinates: [ring, ...f.geometry.coordinates.slice(1)] };
    }
    this.requestUpdate();
  }

  private onUp(): void {
    if (this.drag?.kind === 'vertex') this.emitZones([...this.zones.features]);
    this.drag = undefined;
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    this.zoom(e.deltaY < 0 ? 1.25 : 0.8);
  }

  /** Zooms about the centre by `factor`. */
  zoom(factor: number): void {
    this.scale = Math.min(50, Math.max(0.02, this.scale * factor));
    this.requestUpdate();
  }

  /** Closes the shape being drawn (3 corners or more) into a zone of the current tool's role. */
  finishShape(): void {
    if (this.tool === 'select' || this.tool === 'pad' || this.drawing.length < 3) return;
    const ring = [...this.drawing, this.drawing[0]!];
    this.drawing = [];
    this.emitZones([...this.zones.features, { type: 'Feature', properties: { role: this.tool }, geometry: { type: 'Polygon', coordinates: [ring] } }]);
  }

  /** Forgets the corners of an unfinished shape. */
  cancelShape(): void {
    this.drawing = [];
    this.requestUpdate();
  }

  get drawingCorners(): number {
    return this.drawing.length;
  }

  private emitZones(features: FeatureCollection['features']): void {
    this.dispatchEvent(new CustomEvent('zones-change', { detail: { zones: { type: 'FeatureCollection', features } }, bubbles: true, composed: true }));
  }

  private updateGlides(drones: Drone[], now: number): void {
    const interval = this.lastDrones ? Math.min(1000, Math.max(80, now - this.lastDrones)) : 200;
    this.lastDrones = now;
    for (const d of drones) {
      const [x, y] = this.frame.toXY(d.lon, d.lat);
      const g = this.glides.get(d.id);
      if (g) {
        const f = Math.min(1, (now - g.t0) / g.ms);
        g.fx += (g.tx - g.fx) * f; g.fy += (g.ty - g.fy) * f; g.tx = x; g.ty = y; g.t0 = now; g.ms = interval;
      } else this.glides.set(d.id, { fx: x, fy: y, tx: x, ty: y, t0: now, ms: interval });
    }
  }

  private schedule(): void {
    if (!this.raf && this.isConnected) this.raf = requestAnimationFrame(this.paintFrame);
  }

  private paint(now: number): void {
    this.raf = 0;
    const canvas = this.canvas;
    if (!canvas) return;
    const g = canvas.getContext('2d')!;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    g.fillStyle = '#f7f9f6';
    g.fillRect(0, 0, this.width, this.height);
    this.paintTiles(g);
    this.paintImage(g);
    this.paintGrid(g);
    this.paintCoverage(g);
    this.paintPlan(g);
    const moving = this.paintDrones(g, now);
    if (moving) this.schedule();
  }

  private paintGrid(g: CanvasRenderingContext2D): void {
    const step = niceStep(60 / this.scale);
    const x0 = this.cx - this.width / 2 / this.scale, x1 = this.cx + this.width / 2 / this.scale;
    const y0 = this.cy - this.height / 2 / this.scale, y1 = this.cy + this.height / 2 / this.scale;
    g.lineWidth = 1;
    g.beginPath();
    for (let x = Math.floor(x0 / step) * step; x <= x1; x += step) { g.moveTo(this.sx(x), 0); g.lineTo(this.sx(x), this.height); }
    for (let y = Math.floor(y0 / step) * step; y <= y1; y += step) { g.moveTo(0, this.sy(y)); g.lineTo(this.width, this.sy(y)); }
    g.strokeStyle = '#0d111718';
    g.stroke();
  }

  private paintTiles(g: CanvasRenderingContext2D): void {
    const template = this.settings.tileUrl;
    if (!template) return;
    const metresPerPixel = 1 / this.scale;
    const z = Math.max(0, Math.min(20, Math.round(Math.log2((156_543.03 * Math.cos((this.frame.lat0 * Math.PI) / 180)) / metresPerPixel))));
    const [w, n] = this.frame.toLonLat(this.cx - this.width / 2 / this.scale, this.cy + this.height / 2 / this.scale);
    const [e, s] = this.frame.toLonLat(this.cx + this.width / 2 / this.scale, this.cy - this.height / 2 / this.scale);
    const [tx0, ty0] = lonLatToTile(w, n, z).map(Math.floor) as [number, number];
    const [tx1, ty1] = lonLatToTile(e, s, z).map(Math.floor) as [number, number];
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 64) return;
    for (let tx = tx0; tx <= tx1; tx++) {
      for (let ty = ty0; ty <= ty1; ty++) {
        const url = template.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty));
        let img = this.tiles.get(url);
        if (!img) {
          img = new Image();
          img.crossOrigin = 'anonymous';
          img.onload = () => this.schedule();
          img.src = url;
          this.tiles.set(url, img);
        }
        if (!img.complete || !img.naturalWidth) continue;
        const [ax, ay] = this.px(tileToLonLat(tx, ty, z));
        const [bx, by] = this.px(tileToLonLat(tx + 1, ty + 1, z));
        g.drawImage(img, ax, ay, bx - ax, by - ay);
      }
    }
  }

  private paintImage(g: CanvasRenderingContext2D): void {
    const img = this.siteImage, b = this.settings.imageBounds;
    if (!img || !b || !img.complete || !img.naturalWidth) return;
    const [ax, ay] = this.px([b[0], b[3]]);
    const [bx, by] = this.px([b[2], b[1]]);
    g.globalAlpha = 0.8;
    g.drawImage(img, ax, ay, bx - ax, by - ay);
    g.globalAlpha = 1;
  }

  private paintCoverage(g: CanvasRenderingContext2D): void {
    const state = this.missionId ? store.coverage.get(this.missionId) : undefined;
    const grid = state?.grid;
    if (!grid) return;
    if (!this.coverageCanvas || this.coverageVersion !== state.version) {
      // One pixel per cell; row 0 is the southern row (origin at the grid's south-west corner).
      const c = (this.coverageCanvas ??= document.createElement('canvas'));
      c.width = grid.width;
      c.height = grid.height;
      const image = new ImageData(grid.width, grid.height);
      const target = grid.targetDoseLPerHa || 1;
      for (let j = 0; j < grid.height; j++) {
        for (let i = 0; i < grid.width; i++) {
          const dose = grid.dose[j * grid.width + i] ?? 0;
          if (!(dose > 0)) continue;
          const o = ((grid.height - 1 - j) * grid.width + i) * 4;
          const f = dose / target;
          // Under-dosed: yellow; on target: green; over 1.5×: purple (overspray).
          const [r, gg, b] = f < 0.8 ? [240, 200, 40] : f <= 1.5 ? [30, 150, 70] : [130, 50, 170];
          image.data[o] = r; image.data[o + 1] = gg; image.data[o + 2] = b; image.data[o + 3] = 150;
        }
      }
      c.getContext('2d')!.putImageData(image, 0, 0);
      this.coverageVersion = state.version;
    }
    const frame = new LocalFrame(grid.originLat, grid.originLon);
    const [lon1, lat1] = frame.toLonLat(grid.width * grid.cellM, grid.height * grid.cellM);
    const [ax, ay] = this.px([grid.originLon, lat1]);
    const [bx, by] = this.px([lon1, grid.originLat]);
    g.imageSmoothingEnabled = false;
    g.drawImage(this.coverageCanvas, ax, ay, bx - ax, by - ay);
    g.imageSmoothingEnabled = true;
  }

  private paintPlan(g: CanvasRenderingContext2D): void {
    if (!this.plan) return;
    g.lineWidth = 2;
    for (const leg of this.plan.features) {
      if (leg.geometry.type !== 'LineString') continue;
      g.strokeStyle = colourOf(String(leg.properties.drone));
      g.setLineDash(leg.properties.spray ? [] : [6, 5]);
      g.globalAlpha = leg.properties.spray ? 0.9 : 0.55;
      g.beginPath();
      leg.geometry.coordinates.forEach((p, i) => {
        const [x, y] = this.px(p);
        if (i) g.lineTo(x, y);
        else g.moveTo(x, y);
      });
      g.stroke();
    }
    g.setLineDash([]);
    g.globalAlpha = 1;
  }

  private paintDrones(g: CanvasRenderingContext2D, now: number): boolean {
    let moving = false;
    const drones = store.drones;
    const labels = drones.length <= 40;
    // One path per (colour, pump) group: 200 drones cost a handful of fill/stroke calls, not 400.
    const groups = new Map<string, { fill: string; pump: boolean; path: Path2D }>();
    const placed: [Drone, number, number][] = [];
    const pump = new Path2D();
    for (const d of drones) {
      const glide = this.glides.get(d.id);
      if (!glide) continue;
      const f = Math.min(1, (now - glide.t0) / glide.ms);
      if (f < 1 && (glide.fx !== glide.tx || glide.fy !== glide.ty)) moving = true;
      const x = this.sx(glide.fx + (glide.tx - glide.fx) * f);
      const y = this.sy(glide.fy + (glide.ty - glide.fy) * f);
      const fill = d.online ? colourOf(d.id) : '#8a8f98';
      const key = fill;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { fill, pump: d.pumpOn, path: new Path2D() }));
      const a = (d.headingDeg * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
      // Arrow pointing along the heading (0° = north, clockwise), in screen coordinates.
      const pt = (u: number, v: number): [number, number] => [x + u * c - v * s, y + u * s + v * c];
      const path = group.path;
      path.moveTo(...pt(0, -11));
      path.lineTo(...pt(8, 8));
      path.lineTo(...pt(0, 4));
      path.lineTo(...pt(-8, 8));
      path.closePath();
      // Pump on: a spray mark behind the drone (a fill; stroking 200 outlines costs more than the rest of the frame in software raster).
      if (d.pumpOn) {
        const [bx, by] = pt(0, 12);
        pump.moveTo(bx + 4, by);
        pump.arc(bx, by, 4, 0, Math.PI * 2);
      }
      if (labels) placed.push([d, x, y]);
    }
    g.fillStyle = '#12a150';
    g.fill(pump);
    for (const group of groups.values()) {
      g.fillStyle = group.fill;
      g.fill(group.path);
    }
    if (labels) {
      g.font = 'bold 12px system-ui, sans-serif';
      g.textAlign = 'left';
      g.textBaseline = 'middle';
      g.fillStyle = '#0d1117';
      for (const [d, x, y] of placed) g.fillText(`${d.id} ${Math.round(d.batteryPct)}% ${d.tankL.toFixed(0)}L`, x + 12, y);
    }
    return moving;
  }
}

/** 1, 2, 5 × 10^n at or above `x`. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-6)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

customElements.define('metric-map', MetricMap);

declare global {
  interface HTMLElementTagNameMap {
    'metric-map': MetricMap;
  }
}
