import { LitElement, css, html, nothing } from 'lit';
import type { FeatureCollection, PlanLegProps, Position } from '../api/types.js';
import { store } from '../live/live-store.js';
import { LocalFrame, bboxOf, type ZoneRoleName } from '../map/geo.js';
import { Glides } from '../map/glides.js';
import { CoverageLayer, TileLayer, droneSamples, paintDrones, paintGrid, paintImage, paintPlan } from '../map/metric-painter.js';
import { flownLegs } from '../map/missed-cells.js';
import { PointerGestures, type Point } from '../map/pointer-gestures.js';
import { Viewport, lonLatToScreen, niceStep, screenToLonLat, type ViewState } from '../map/viewport.js';
import { drawingSvg, zonesSvg } from '../map/zone-svg.js';
import './coverage-legend.js';

/** Map background settings: an optional XYZ tile URL and an optional georeferenced site image. */
export interface MapSettings {
  tileUrl: string;
  imageUrl: string;
  /** [west, south, east, north] of the image. */
  imageBounds: [number, number, number, number] | null;
}

/** What a tap on the map does: select shapes, or draw a zone of that role. */
export type MapTool = 'select' | ZoneRoleName;

/** Zoom limits in pixels per metre: 40 km across an 800 px map at the widest, 2 cm a pixel at the closest. */
const MIN_SCALE = 0.02;
const MAX_SCALE = 50;

/**
 * The outdoor area on a metric grid (no internet needed), with optional tiles and site image.
 * Canvas: grid, background, coverage heat map, plan legs (unless `showPlan` is off), drones
 * (many, moving). SVG on top: the zones and their corner handles, which people click and drag;
 * while a coverage raster is shown the spray zones are outlines only, so their fill does not
 * tint it. A legend explains the heat map's colours and says how much is missed.
 *
 * Drag with one finger or the mouse to pan, pinch with two fingers or turn the wheel to zoom
 * about the fingers or the cursor. A tap that does not move adds a corner or a pad with a
 * drawing tool; with the select tool it selects the shape under it, or nothing. Corners and
 * pads are dragged with the select tool.
 *
 * @fires zones-change - detail `{zones}` after a shape was drawn, moved or deleted.
 * @fires feature-select - detail `{index}` (or -1) when a shape is tapped.
 */
export class MetricMap extends LitElement {
  static override properties = {
    zones: { attribute: false },
    plan: { attribute: false },
    missionId: { type: String, attribute: 'mission-id' },
    showPlan: { type: Boolean, attribute: 'show-plan' },
    assigned: { attribute: false },
    tool: { type: String },
    selected: { type: Number },
    settings: { attribute: false },
    drawing: { state: true },
  };
  static override styles = css`
    :host { display: block; position: relative; user-select: none; touch-action: none; }
    canvas, svg { position: absolute; inset: 0; width: 100%; height: 100%; touch-action: none; }
    .box { position: relative; height: 100%; min-height: 360px; border-radius: 8px; overflow: hidden; border: 1px solid #c5ccd6; background: #f7f9f6; }
    coverage-legend { position: absolute; right: 8px; bottom: 8px; pointer-events: none; }
    .scale { position: absolute; left: 8px; bottom: 8px; background: #fffd; padding: 2px 6px; border-radius: 4px; font: 12px system-ui; pointer-events: none; }
  `;

  declare zones: FeatureCollection;
  declare plan: FeatureCollection<PlanLegProps> | undefined;
  declare missionId: string | undefined;
  /** Draw the plan's legs (off: the coverage alone). */
  declare showPlan: boolean;
  /** Drone ids flying plan drones 0, 1, …: the plan's legs take their colours. */
  declare assigned: string[];
  declare tool: MapTool;
  declare selected: number;
  declare settings: MapSettings;

  frame = new LocalFrame(22.7225, 114.255);
  private readonly view = new Viewport(MIN_SCALE, MAX_SCALE);
  private dpr = 1;
  private canvas?: HTMLCanvasElement;
  private raf = 0;
  /** The view moved since the SVG was last rendered; the next frame re-renders it. */
  private viewMoved = false;
  /** Corners of the shape being drawn (drawn in the SVG, not on the canvas). */
  declare private drawing: Position[];
  private vertexDrag?: { pointerId: number; feature: number; vertex: number };
  /** The shape under the first pointer of the current gesture, or -1: a tap selects it, a drag pans. */
  private downOnShape = -1;
  private readonly gestures = new PointerGestures({
    transform: (from, to, factor) => {
      this.view.zoomAbout(factor, from.x, from.y);
      this.view.panBy(to.x - from.x, to.y - from.y);
      this.moved();
    },
    tap: (at) => this.tap(at),
  });
  private readonly glides = new Glides();
  private readonly tiles = new TileLayer(() => this.schedule());
  private readonly coverage = new CoverageLayer();
  private siteImage?: HTMLImageElement;
  private off?: () => void;
  private resize?: ResizeObserver;
  private framed = false;
  private readonly paintFrame = (now: number) => this.paint(now);

  constructor() {
    super();
    this.zones = { type: 'FeatureCollection', features: [] };
    this.tool = 'select';
    this.showPlan = true;
    this.assigned = [];
    this.selected = -1;
    this.settings = { tileUrl: '', imageUrl: '', imageBounds: null };
    this.drawing = [];
    this.view.resize(800, 500);
    this.view.scale = 0.5;
  }

  /** The current centre (metres in {@link frame}), scale (px per metre) and size (px), as a copy. */
  get viewState(): ViewState {
    return this.view.snapshot();
  }

  /** Where [lon, lat] is drawn, in CSS px from the map's top-left corner (inside its border). */
  toScreen(lon: number, lat: number): [number, number] {
    return lonLatToScreen(this.view, this.frame, [lon, lat]);
  }

  /** Corners of the shape being drawn so far. */
  get drawingCorners(): number {
    return this.drawing.length;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = store.subscribe(['drones', 'coverage', 'missions'], () => {
      // With no zones yet, the first drones to report frame the map.
      if (!this.framed && this.view.width > 0) this.fit();
      this.glides.update(droneSamples(store.drones, this.frame), store.dronesAt);
      this.schedule();
    });
    this.glides.update(droneSamples(store.drones, this.frame), performance.now());
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
    // A bare requestUpdate (the view moved, a shape dragged: from a frame) and new corners (SVG
    // only) change no pixel of the canvas.
    if ([...changed.keys()].some((key) => key !== 'drawing')) this.schedule();
  }

  /** Re-centres on the zones (or the drones) and picks the local frame there. */
  fit(): void {
    const zones = bboxOf(this.zones);
    let box = zones;
    if (!box && store.drones.length) {
      const lons = store.drones.map((d) => d.lon),
        lats = store.drones.map((d) => d.lat);
      box = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    }
    if (!box) return;
    this.framed = true;
    this.frame = new LocalFrame((box[1] + box[3]) / 2, (box[0] + box[2]) / 2);
    const [x0, y0] = this.frame.toXY(box[0], box[1]);
    const [x1, y1] = this.frame.toXY(box[2], box[3]);
    // Drones carry labels to their right: framed on drones alone, they need the room.
    this.view.fit({ x0, y0, x1, y1 }, 20, zones ? 1.1 : 1.5);
    this.glides.clear();
    this.glides.update(droneSamples(store.drones, this.frame), performance.now());
    this.moved();
  }

  /** Zooms about the centre by `factor`, within the zoom limits. */
  zoom(factor: number): void {
    this.view.zoomAbout(factor, this.view.width / 2, this.view.height / 2);
    this.moved();
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
  }

  override render() {
    const scaleM = niceStep(100 / this.view.scale);
    const toScreen = (p: Position) => lonLatToScreen(this.view, this.frame, p);
    return html`<div class="box"
        @wheel=${this.onWheel}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove}
        @pointerup=${this.onUp}
        @pointercancel=${this.onCancel}
        @dblclick=${() => this.finishShape()}>
      <canvas data-testid="metric-canvas"></canvas>
      <svg data-testid="zones-svg">
        ${zonesSvg(this.zones, { selected: this.selected, handles: this.tool === 'select', outlineSpray: this.coverage.shown, toScreen, onHandleDown: (e, index, vertex) => this.onHandleDown(e, index, vertex) })}
        ${drawingSvg(this.drawing, toScreen)}
      </svg>
      ${this.coverage.shown ? html`<coverage-legend data-testid="coverage-legend" .missedM2=${this.coverage.missed.areaM2}></coverage-legend>` : nothing}
      <div class="scale">${scaleM >= 1000 ? `${scaleM / 1000} km` : `${scaleM} m`} ≈ ${Math.round(scaleM * this.view.scale)} px</div>
    </div>`;
  }

  private layout(): void {
    const box = this.renderRoot.querySelector('.box') as HTMLElement;
    this.view.resize(box.clientWidth, box.clientHeight);
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    if (this.canvas) {
      this.canvas.width = Math.round(this.view.width * this.dpr);
      this.canvas.height = Math.round(this.view.height * this.dpr);
    }
    if (!this.framed) this.fit();
    this.moved();
  }

  /** Pointer position in the canvas's pixels (inside the box's border), where the view draws. */
  private local(e: MouseEvent): Point {
    const rect = (this.canvas ?? this).getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private lonLatAt(at: Point): [number, number] {
    const [lon, lat] = screenToLonLat(this.view, this.frame, at.x, at.y);
    return [Math.round(lon * 1e8) / 1e8, Math.round(lat * 1e8) / 1e8];
  }

  /** Corners and pads are dragged, so they are selected when the pointer goes down. */
  private onHandleDown(e: PointerEvent, index: number, vertex: number): void {
    if (this.tool !== 'select') return;
    e.stopPropagation();
    if (this.selected !== index) this.dispatchEvent(new CustomEvent('feature-select', { detail: { index }, bubbles: true, composed: true }));
    this.vertexDrag = { pointerId: e.pointerId, feature: index, vertex };
    capture(e.currentTarget as Element, e);
  }

  private onDown(e: PointerEvent): void {
    if (!this.gestures.active) this.downOnShape = Number((e.target as Element).closest('[data-zone]')?.getAttribute('data-zone') ?? -1);
    capture(e.currentTarget as Element, e);
    this.gestures.down(e.pointerId, this.local(e));
  }

  private onMove(e: PointerEvent): void {
    const drag = this.vertexDrag;
    if (drag?.pointerId !== e.pointerId) {
      this.gestures.move(e.pointerId, this.local(e));
      return;
    }
    const p = this.lonLatAt(this.local(e));
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

  private onUp(e: PointerEvent): void {
    if (this.vertexDrag?.pointerId === e.pointerId) {
      this.vertexDrag = undefined;
      this.emitZones([...this.zones.features]);
      return;
    }
    this.gestures.up(e.pointerId, this.local(e));
  }

  private onCancel(e: PointerEvent): void {
    if (this.vertexDrag?.pointerId === e.pointerId) {
      this.vertexDrag = undefined;
      this.emitZones([...this.zones.features]);
      return;
    }
    this.gestures.cancel(e.pointerId);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    // A mouse notch (~100 px) zooms by 1.25; trackpads send many small deltas and zoom smoothly.
    const px = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 33 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? e.deltaY * this.view.height : e.deltaY;
    const at = this.local(e);
    this.view.zoomAbout(1.25 ** (-px / 100), at.x, at.y);
    this.moved();
  }

  private tap(at: Point): void {
    if (this.tool === 'select') {
      const index = this.downOnShape;
      if (index !== this.selected) this.dispatchEvent(new CustomEvent('feature-select', { detail: { index }, bubbles: true, composed: true }));
      return;
    }
    const p = this.lonLatAt(at);
    if (this.tool === 'pad') {
      this.emitZones([...this.zones.features, { type: 'Feature', properties: { role: 'pad' }, geometry: { type: 'Point', coordinates: p } }]);
      return;
    }
    this.drawing = [...this.drawing, p];
  }

  private emitZones(features: FeatureCollection['features']): void {
    this.dispatchEvent(new CustomEvent('zones-change', { detail: { zones: { type: 'FeatureCollection', features } }, bubbles: true, composed: true }));
  }

  /** Pans and zooms only touch numbers; the canvas and the SVG follow on the next frame. */
  private moved(): void {
    this.viewMoved = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.raf && this.isConnected) this.raf = requestAnimationFrame(this.paintFrame);
  }

  private paint(now: number): void {
    this.raf = 0;
    if (this.viewMoved) {
      this.viewMoved = false;
      this.requestUpdate();
    }
    const canvas = this.canvas;
    if (!canvas) return;
    const g = canvas.getContext('2d')!;
    const view = this.view;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    g.fillStyle = '#f7f9f6';
    g.fillRect(0, 0, view.width, view.height);
    this.tiles.paint(g, view, this.frame, this.settings.tileUrl);
    paintImage(g, view, this.frame, this.siteImage, this.settings.imageBounds);
    paintGrid(g, view);
    const shown = this.coverage.shown,
      missed = this.coverage.missed.areaM2;
    const mission = this.missionId ? store.missions.get(this.missionId) : undefined;
    this.coverage.paint(g, view, this.frame, this.missionId ? store.coverage.get(this.missionId) : undefined, flownLegs(this.plan, mission), this.zones);
    // The legend and the zones' fill follow what the raster shows.
    if (shown !== this.coverage.shown || missed !== this.coverage.missed.areaM2) this.requestUpdate();
    if (this.showPlan) paintPlan(g, view, this.frame, this.plan, this.assigned);
    paintDrones(g, view, store.drones, this.glides, now);
    if (this.glides.moving(now)) this.schedule();
  }
}

/**
 * Keeps a pointer's moves coming to `target` when it leaves the map. Only for real pointers:
 * a synthetic event (a test, an assistive tool) carries an id of no active pointer, and
 * capturing that throws.
 */
function capture(target: Element, e: PointerEvent): void {
  if (e.isTrusted) target.setPointerCapture(e.pointerId);
}

customElements.define('metric-map', MetricMap);

declare global {
  interface HTMLElementTagNameMap {
    'metric-map': MetricMap;
  }
}
