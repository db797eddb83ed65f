/**
 * Metres ↔ screen pixels for a map drawn on a canvas: a centre in metres, a scale in pixels per
 * metre and a size in pixels; y points north in metres and down on screen. Shared by the floor map
 * (fitted once) and the metric map (panned and zoomed by the operator).
 */
import type { Position } from '../api/types.js';
import type { LocalFrame } from './geo.js';

/** A rectangle in metres. */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What a viewport shows: centre (metres), scale (pixels per metre), size (pixels). */
export interface ViewState {
  readonly cx: number;
  readonly cy: number;
  readonly scale: number;
  readonly width: number;
  readonly height: number;
}

/** A mutable view of a metric plane; zooming is clamped to `[minScale, maxScale]` pixels per metre. */
export class Viewport implements ViewState {
  cx = 0;
  cy = 0;
  scale = 1;
  width = 1;
  height = 1;

  constructor(
    readonly minScale = 0,
    readonly maxScale = Infinity,
  ) {}

  /** A `width` × `height` pixel view showing all of `bounds`, centred. */
  static fitting(bounds: Bounds, width: number, height: number): Viewport {
    const view = new Viewport();
    view.resize(width, height);
    view.fit(bounds);
    return view;
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  /**
   * Centres on `bounds` and scales so that it, grown by `pad` (1.1 = 10 % margin) and at least
   * `minSpanM` metres on each axis, fits. Not clamped to the zoom limits.
   */
  fit(bounds: Bounds, minSpanM = 0, pad = 1): void {
    this.cx = (bounds.x0 + bounds.x1) / 2;
    this.cy = (bounds.y0 + bounds.y1) / 2;
    this.scale = Math.min(this.width / Math.max(minSpanM, (bounds.x1 - bounds.x0) * pad), this.height / Math.max(minSpanM, (bounds.y1 - bounds.y0) * pad));
  }

  /** East metres → screen x. */
  px(x: number): number {
    return this.width / 2 + (x - this.cx) * this.scale;
  }
  /** North metres → screen y. */
  py(y: number): number {
    return this.height / 2 - (y - this.cy) * this.scale;
  }
  /** Screen x → east metres. */
  toX(sx: number): number {
    return this.cx + (sx - this.width / 2) / this.scale;
  }
  /** Screen y → north metres. */
  toY(sy: number): number {
    return this.cy - (sy - this.height / 2) / this.scale;
  }

  /** The metres on screen. */
  visible(): Bounds {
    return { x0: this.toX(0), y0: this.toY(this.height), x1: this.toX(this.width), y1: this.toY(0) };
  }

  /** Moves the content by (`dxPx`, `dyPx`) screen pixels, as a finger dragging the map would. */
  panBy(dxPx: number, dyPx: number): void {
    this.cx -= dxPx / this.scale;
    this.cy += dyPx / this.scale;
  }

  /** Scales by `factor` (clamped to the limits) keeping the point under screen (`sx`, `sy`) where it is. */
  zoomAbout(factor: number, sx: number, sy: number): void {
    const x = this.toX(sx),
      y = this.toY(sy);
    this.scale = Math.min(this.maxScale, Math.max(this.minScale, this.scale * factor));
    this.cx = x - (sx - this.width / 2) / this.scale;
    this.cy = y + (sy - this.height / 2) / this.scale;
  }

  /** A copy that later pans and zooms do not change. */
  snapshot(): ViewState {
    return { cx: this.cx, cy: this.cy, scale: this.scale, width: this.width, height: this.height };
  }
}

/** [lon, lat] → screen [x, y] through `frame`'s metres. */
export function lonLatToScreen(view: Viewport, frame: LocalFrame, p: Position): [number, number] {
  const [x, y] = frame.toXY(p[0], p[1]);
  return [view.px(x), view.py(y)];
}

/** Screen [x, y] → [lon, lat] through `frame`'s metres. */
export function screenToLonLat(view: Viewport, frame: LocalFrame, sx: number, sy: number): [number, number] {
  return frame.toLonLat(view.toX(sx), view.toY(sy));
}

/** 1, 2, 5 × 10^n at or above `x`: steps for grid lines and scale bars. */
export function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-6)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
