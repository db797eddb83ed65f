/**
 * The canvas layers of the metric map, bottom to top: XYZ tiles, the georeferenced site image,
 * the metric grid, the coverage heat map, the planned legs and the drones. Each paints the whole
 * view from scratch; the caches (tiles, coverage raster) live in the layer objects.
 */
import type { Drone, FeatureCollection, PlanLegProps } from '../api/types.js';
import type { CoverageState } from '../live/live-store.js';
import { colourOf } from '../live/site.js';
import { DOSE_RGBA, doseClass, hatchTile } from './coverage-scale.js';
import { flownCells, missedCells, sprayableTest, type DoseGrid, type FlownLegs } from './missed-cells.js';
import { LocalFrame, lonLatToTile, tileToLonLat } from './geo.js';
import type { GlideSample, Glides } from './glides.js';
import { lonLatToScreen, niceStep, type Viewport } from './viewport.js';

/** Grid lines every 1, 2 or 5 × 10^n metres, at least 60 px apart. */
export function paintGrid(g: CanvasRenderingContext2D, view: Viewport): void {
  const step = niceStep(60 / view.scale);
  const { x0, y0, x1, y1 } = view.visible();
  g.lineWidth = 1;
  g.beginPath();
  for (let x = Math.floor(x0 / step) * step; x <= x1; x += step) {
    g.moveTo(view.px(x), 0);
    g.lineTo(view.px(x), view.height);
  }
  for (let y = Math.floor(y0 / step) * step; y <= y1; y += step) {
    g.moveTo(0, view.py(y));
    g.lineTo(view.width, view.py(y));
  }
  g.strokeStyle = '#0d111718';
  g.stroke();
}

/** Slippy-map tiles from a `{z}/{x}/{y}` URL template, loaded on demand and kept. */
export class TileLayer {
  private readonly tiles = new Map<string, HTMLImageElement>();

  /** `onLoad` runs when a tile arrives, to repaint. */
  constructor(private readonly onLoad: () => void) {}

  paint(g: CanvasRenderingContext2D, view: Viewport, frame: LocalFrame, template: string): void {
    if (!template) return;
    const metresPerPixel = 1 / view.scale;
    const z = Math.max(0, Math.min(20, Math.round(Math.log2((156_543.03 * Math.cos((frame.lat0 * Math.PI) / 180)) / metresPerPixel))));
    const { x0, y0, x1, y1 } = view.visible();
    const [w, n] = frame.toLonLat(x0, y1);
    const [e, s] = frame.toLonLat(x1, y0);
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
          img.onload = this.onLoad;
          img.src = url;
          this.tiles.set(url, img);
        }
        if (!img.complete || !img.naturalWidth) continue;
        const [ax, ay] = lonLatToScreen(view, frame, tileToLonLat(tx, ty, z));
        const [bx, by] = lonLatToScreen(view, frame, tileToLonLat(tx + 1, ty + 1, z));
        g.drawImage(img, ax, ay, bx - ax, by - ay);
      }
    }
  }
}

/** The site image over `bounds` ([west, south, east, north]), once it has loaded. */
export function paintImage(g: CanvasRenderingContext2D, view: Viewport, frame: LocalFrame, img: HTMLImageElement | undefined, bounds: [number, number, number, number] | null): void {
  if (!img || !bounds || !img.complete || !img.naturalWidth) return;
  const [ax, ay] = lonLatToScreen(view, frame, [bounds[0], bounds[3]]);
  const [bx, by] = lonLatToScreen(view, frame, [bounds[2], bounds[1]]);
  g.globalAlpha = 0.8;
  g.drawImage(img, ax, ay, bx - ax, by - ay);
  g.globalAlpha = 1;
}

/**
 * A mission's coverage raster, one pixel per cell in the colours of {@link DOSE_RGBA}, rebuilt
 * when its version, the legs flown or the zones change; missed cells are red, hatched white.
 */
export class CoverageLayer {
  private canvas?: HTMLCanvasElement;
  private missedMask?: HTMLCanvasElement;
  private scratch?: HTMLCanvasElement;
  private hatch?: HTMLCanvasElement;
  private version = -1;
  private grid?: DoseGrid;
  private flownKey = '';
  private zones?: FeatureCollection;
  private flown: Int32Array = new Int32Array(0);
  private sprayable: (k: number) => boolean = () => false;
  /** Missed cells at the last rebuild, and their area in m². */
  missed = { cells: 0, areaM2: 0 };

  /** True when the last paint drew a raster (the legend has something to explain). */
  get shown(): boolean {
    return !!this.grid;
  }

  paint(g: CanvasRenderingContext2D, view: Viewport, frame: LocalFrame, state: CoverageState | undefined, flown: FlownLegs, zones: FeatureCollection): void {
    const grid = state?.grid;
    this.grid = grid;
    if (!grid) return;
    const gridChanged = this.version === -1 || this.flownKey !== flown.key || this.zones !== zones || this.canvas?.width !== grid.width || this.canvas.height !== grid.height;
    if (gridChanged) {
      this.flown = flownCells(grid, flown.legs);
      this.sprayable = sprayableTest(grid, zones);
      this.flownKey = flown.key;
      this.zones = zones;
    }
    if (gridChanged || this.version !== state.version) this.rebuild(grid);
    this.version = state.version;
    // The raster's origin is the centre of its south-west cell: the image starts half a cell before it.
    const gridFrame = new LocalFrame(grid.originLat, grid.originLon);
    const half = grid.cellM / 2;
    const [lon0, lat0] = gridFrame.toLonLat(-half, -half);
    const [lon1, lat1] = gridFrame.toLonLat(grid.width * grid.cellM - half, grid.height * grid.cellM - half);
    const [ax, ay] = lonLatToScreen(view, frame, [lon0, lat1]);
    const [bx, by] = lonLatToScreen(view, frame, [lon1, lat0]);
    g.imageSmoothingEnabled = false;
    g.drawImage(this.canvas!, ax, ay, bx - ax, by - ay);
    if (this.missed.cells) this.paintHatch(g, [ax, ay, bx - ax, by - ay]);
    g.imageSmoothingEnabled = true;
  }

  private rebuild(grid: DoseGrid): void {
    // One pixel per cell; row 0 is the southern row (origin at the grid's south-west corner).
    const image = new ImageData(grid.width, grid.height);
    const mask = new ImageData(grid.width, grid.height);
    const target = grid.targetDoseLPerHa || 1;
    const put = (data: Uint8ClampedArray, k: number, rgba: readonly number[]) => {
      const o = ((grid.height - 1 - Math.floor(k / grid.width)) * grid.width + (k % grid.width)) * 4;
      data.set(rgba, o);
    };
    for (let k = 0; k < grid.dose.length; k++) {
      const c = doseClass((grid.dose[k] ?? 0) / target);
      if (c) put(image.data, k, DOSE_RGBA[c]);
    }
    const missed = missedCells(grid, this.flown, this.sprayable);
    for (const k of missed) {
      put(image.data, k, DOSE_RGBA.missed);
      put(mask.data, k, [0, 0, 0, 255]);
    }
    this.missed = { cells: missed.length, areaM2: missed.length * grid.cellM * grid.cellM };
    this.canvas = drawn(this.canvas, image);
    this.missedMask = drawn(this.missedMask, mask);
  }

  /** White stripes over the missed cells only: the mask scaled onto a scratch canvas, the stripes kept where it is. */
  private paintHatch(g: CanvasRenderingContext2D, [x, y, w, h]: number[]): void {
    const main = g.canvas;
    this.scratch ??= document.createElement('canvas');
    const s = this.scratch;
    if (s.width !== main.width || s.height !== main.height) {
      s.width = main.width;
      s.height = main.height;
    }
    const sg = s.getContext('2d')!;
    sg.setTransform(1, 0, 0, 1, 0, 0);
    sg.globalCompositeOperation = 'source-over';
    sg.clearRect(0, 0, s.width, s.height);
    sg.setTransform(g.getTransform());
    sg.imageSmoothingEnabled = false;
    sg.drawImage(this.missedMask!, x!, y!, w!, h!);
    sg.setTransform(1, 0, 0, 1, 0, 0);
    sg.globalCompositeOperation = 'source-in';
    this.hatch ??= hatchTile();
    sg.fillStyle = sg.createPattern(this.hatch, 'repeat')!;
    sg.fillRect(0, 0, s.width, s.height);
    g.save();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.drawImage(s, 0, 0);
    g.restore();
  }
}

/** `image` put on `canvas` (made, or resized, to fit). */
function drawn(canvas: HTMLCanvasElement | undefined, image: ImageData): HTMLCanvasElement {
  const c = canvas ?? document.createElement('canvas');
  c.width = image.width;
  c.height = image.height;
  c.getContext('2d')!.putImageData(image, 0, 0);
  return c;
}

/**
 * Planned legs in the colour of the drone flying them (`assigned[i]` flies plan drone i): spray
 * legs solid, transit legs dashed and fainter.
 */
export function paintPlan(g: CanvasRenderingContext2D, view: Viewport, frame: LocalFrame, plan: FeatureCollection<PlanLegProps> | undefined, assigned: readonly string[] = []): void {
  if (!plan) return;
  g.lineWidth = 2;
  for (const leg of plan.features) {
    if (leg.geometry.type !== 'LineString') continue;
    g.strokeStyle = colourOf(assigned[leg.properties.drone] ?? String(leg.properties.drone));
    g.setLineDash(leg.properties.spray ? [] : [6, 5]);
    g.globalAlpha = leg.properties.spray ? 0.9 : 0.55;
    g.beginPath();
    leg.geometry.coordinates.forEach((p, i) => {
      const [x, y] = lonLatToScreen(view, frame, p);
      if (i) g.lineTo(x, y);
      else g.moveTo(x, y);
    });
    g.stroke();
  }
  g.setLineDash([]);
  g.globalAlpha = 1;
}

/** Where each drone is in `frame`'s metres, for {@link Glides}. */
export function droneSamples(drones: Drone[], frame: LocalFrame): GlideSample[] {
  return drones.map((d) => {
    const [x, y] = frame.toXY(d.lon, d.lat);
    return { id: d.id, x, y };
  });
}

/** Drones as arrows along their heading at their glide position at `now`, labelled when 40 or fewer. */
export function paintDrones(g: CanvasRenderingContext2D, view: Viewport, drones: Drone[], glides: Glides, now: number): void {
  const labels = drones.length <= 40;
  // One path per colour: 200 drones cost a handful of fill calls, not 400.
  const groups = new Map<string, Path2D>();
  const placed: [Drone, number, number][] = [];
  const pump = new Path2D();
  for (const d of drones) {
    const glide = glides.get(d.id);
    if (!glide) continue;
    const [mx, my] = glides.at(glide, now);
    const x = view.px(mx),
      y = view.py(my);
    const fill = d.online ? colourOf(d.id) : '#8a8f98';
    let path = groups.get(fill);
    if (!path) {
      path = new Path2D();
      groups.set(fill, path);
    }
    const a = (d.headingDeg * Math.PI) / 180,
      c = Math.cos(a),
      s = Math.sin(a);
    // Arrow pointing along the heading (0° = north, clockwise), in screen coordinates.
    const pt = (u: number, v: number): [number, number] => [x + u * c - v * s, y + u * s + v * c];
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
  for (const [fill, path] of groups) {
    g.fillStyle = fill;
    g.fill(path);
  }
  if (labels) {
    g.font = 'bold 12px system-ui, sans-serif';
    g.textAlign = 'left';
    g.textBaseline = 'middle';
    g.fillStyle = '#0d1117';
    // Drones waiting on one pad stand metres apart: their labels would print over each other, so
    // a label that would touch one already placed moves down a line.
    const taken: { x0: number; x1: number; y: number }[] = [];
    for (const [d, x, y] of placed) {
      const text = `${d.id} ${Math.round(d.batteryPct)}% ${d.tankL.toFixed(0)}L`;
      const x0 = x + 12;
      const x1 = x0 + g.measureText(text).width;
      let ly = y;
      while (taken.some((r) => r.x0 < x1 && x0 < r.x1 && Math.abs(r.y - ly) < LABEL_LINE_PX)) ly += LABEL_LINE_PX;
      taken.push({ x0, x1, y: ly });
      g.fillText(text, x0, ly);
    }
  }
}

const LABEL_LINE_PX = 14;
