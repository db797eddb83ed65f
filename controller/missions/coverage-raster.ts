import type { ValidZones } from '../spray/index.js';

type LocalProjection = ValidZones['projection'];

type Pt = { x: number; y: number };
type Rings = Array<Array<[number, number]>>;

interface ZoneFeature {
  properties?: { role?: unknown; name?: unknown } | null;
  geometry?: { type: string; coordinates: unknown } | null;
}

/** Coverage numbers, percentages of the sprayable area (0–100). */
export interface CoverageStats {
  coveragePct: number;
  oversprayPct: number;
  zones: { name: string; coveragePct: number }[];
  sprayableCells: number;
}

/**
 * Dose raster built from telemetry, not from the plan: each pair of consecutive reports of a
 * drone whose flow meter advanced doses the cells whose centre lies in a band one swath wide
 * around the segment between them, with litres / (the band's area). Bands of one track (a
 * drone's reports) join without a seam: a band starts on the edge where the track's previous
 * band ended. Two rectangles cut square at a bend left a wedge on the outside of the bend that
 * neither covered (cells never dosed in the middle of a sprayed swath) and dosed the inside twice.
 * Coverage = sprayable cells
 * (spray ∩ geofence − keepouts) with any dose; overspray = dosed cells outside the sprayable
 * area, as a share of the sprayable area (the planner's definitions, controller/spray/README.md).
 */
export class CoverageRaster {
  readonly cellM: number;
  readonly width: number;
  readonly height: number;
  /** Local x, y of the centre of cell (0, 0) (south-west). */
  readonly x0: number;
  readonly y0: number;
  readonly dose: Float32Array;
  /** Spray feature index per cell, −1 where not sprayable. */
  private readonly zoneOf: Int16Array;
  private readonly zoneNames: string[];
  private readonly zoneCells: number[];
  private readonly zoneCovered: number[];
  private sprayable = 0;
  private covered = 0;
  private over = 0;
  /** Litres reported while hovering (no segment to spread them on). */
  unplacedL = 0;
  /** Where each track's last band ended: its end point and the half-swath normal its end edge lies on. */
  private readonly trackEnds = new Map<string, { x: number; y: number; nx: number; ny: number }>();

  constructor(
    readonly projection: LocalProjection,
    features: ZoneFeature[],
    readonly swathM: number,
    options: { cellM?: number; maxCells?: number } = {},
  ) {
    const local = (f: ZoneFeature): Rings[] => polysOf(f.geometry).map((poly) => poly.map((ring) => ring.map((c) => projection.toLocal(c[0]!, c[1]!))));
    const byRole = (role: string) => features.filter((f) => f.properties?.role === role);
    const spray = byRole('spray').map(local);
    const fence = byRole('geofence').flatMap(local);
    const keep = byRole('keepout').flatMap(local);
    const all = [...spray.flat(), ...fence, ...keep].flat(2);
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]);
    const margin = swathM;
    const minX = Math.min(...xs) - margin;
    const minY = Math.min(...ys) - margin;
    const spanX = Math.max(...xs) + margin - minX;
    const spanY = Math.max(...ys) + margin - minY;
    const maxCells = options.maxCells ?? 250_000;
    this.cellM = options.cellM ?? Math.max(0.5, Math.ceil(Math.sqrt((spanX * spanY) / maxCells) * 2) / 2);
    this.width = Math.ceil(spanX / this.cellM);
    this.height = Math.ceil(spanY / this.cellM);
    this.x0 = minX + this.cellM / 2;
    this.y0 = minY + this.cellM / 2;
    this.dose = new Float32Array(this.width * this.height);
    this.zoneOf = new Int16Array(this.width * this.height).fill(-1);
    this.zoneNames = byRole('spray').map((f, i) => (typeof f.properties?.name === 'string' ? f.properties.name : `zone ${i + 1}`));
    this.zoneCells = spray.map(() => 0);
    this.zoneCovered = spray.map(() => 0);
    const fenceMask = new Uint8Array(this.width * this.height);
    const keepMask = new Uint8Array(this.width * this.height);
    this.fill(fence, (k) => (fenceMask[k] = 1));
    this.fill(keep, (k) => (keepMask[k] = 1));
    spray.forEach((polys, z) =>
      this.fill(polys, (k) => {
        if (fenceMask[k] && !keepMask[k] && this.zoneOf[k] === -1) {
          this.zoneOf[k] = z;
          this.zoneCells[z]!++;
          this.sprayable++;
        }
      }),
    );
  }

  /** Builds the raster of validated zones and their raw features (for names and per-zone shares). */
  static fromZones(zones: ValidZones, features: ZoneFeature[], swathM: number, options?: { cellM?: number; maxCells?: number }): CoverageRaster {
    return new CoverageRaster(zones.projection, features, swathM, options);
  }

  /**
   * Doses the band around segment a→b with `litres`; returns the indices of cells dosed for the
   * first time. With `track` (a drone id), a segment that starts where the track's last one
   * ended, turning by less than 45°, starts on that segment's end edge, so the two bands share
   * one edge: no cell is left between them or dosed by both.
   */
  addSegment(a: Pt, b: Pt, litres: number, track?: string): number[] {
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (litres <= 0) return [];
    if (len < 0.05) {
      this.unplacedL += litres;
      return [];
    }
    const half = this.swathM / 2;
    const nx = (-(b.y - a.y) / len) * half;
    const ny = ((b.x - a.x) / len) * half;
    const end = track === undefined ? undefined : this.trackEnds.get(track);
    // cos and sin of the turn from the last segment; the two edges through a and b cross
    // len / tan(turn) from the centre line, so a join inside the band would make a bow tie.
    const cos = end ? (end.nx * nx + end.ny * ny) / (half * half) : 0;
    const sin = end ? Math.abs(end.nx * ny - end.ny * nx) / (half * half) : 1;
    const joins = !!end && Math.hypot(end.x - a.x, end.y - a.y) < 1e-6 && cos > Math.SQRT1_2 && len * cos > half * sin;
    const [sx, sy] = joins ? [end!.nx, end!.ny] : [nx, ny];
    if (track !== undefined) this.trackEnds.set(track, { x: b.x, y: b.y, nx, ny });
    const q: [number, number][] = [
      [a.x + sx, a.y + sy],
      [b.x + nx, b.y + ny],
      [b.x - nx, b.y - ny],
      [a.x - sx, a.y - sy],
    ];
    const doseLPerHa = (litres / quadArea(q)) * 10_000;
    const fresh: number[] = [];
    this.fill([[[...q, q[0]!]]], (k) => {
      if (this.dose[k] === 0) {
        fresh.push(k);
        const z = this.zoneOf[k]!;
        if (z >= 0) {
          this.covered++;
          this.zoneCovered[z]!++;
        } else this.over++;
      }
      this.dose[k]! += doseLPerHa;
    });
    return fresh;
  }

  /** Takes the dose of a snapshot of this same raster (after a restart); false when its size differs. */
  restore(dose: Float32Array, unplacedL: number): boolean {
    if (dose.length !== this.dose.length) return false;
    this.dose.set(dose);
    this.unplacedL = unplacedL;
    this.covered = 0;
    this.over = 0;
    this.zoneCovered.fill(0);
    for (let k = 0; k < dose.length; k++) {
      if (dose[k] === 0) continue;
      const z = this.zoneOf[k]!;
      if (z >= 0) {
        this.covered++;
        this.zoneCovered[z]!++;
      } else this.over++;
    }
    return true;
  }

  /** Cell index of a local point, or −1 outside the raster. */
  cellAt(p: Pt): number {
    const c = Math.round((p.x - this.x0) / this.cellM);
    const r = Math.round((p.y - this.y0) / this.cellM);
    return c < 0 || r < 0 || c >= this.width || r >= this.height ? -1 : r * this.width + c;
  }

  stats(): CoverageStats {
    const pct = (x: number, of: number) => (of > 0 ? (100 * x) / of : 0);
    return {
      coveragePct: pct(this.covered, this.sprayable),
      oversprayPct: pct(this.over, this.sprayable),
      zones: this.zoneNames.map((name, z) => ({ name, coveragePct: pct(this.zoneCovered[z]!, this.zoneCells[z]!) })),
      sprayableCells: this.sprayable,
    };
  }

  /** Even-odd scanline fill of polygons (each a list of rings) over cell centres. */
  private fill(polys: Rings[], visit: (k: number) => void): void {
    for (const rings of polys) {
      let minY = Infinity;
      let maxY = -Infinity;
      for (const r of rings) {
        for (const p of r) {
          minY = Math.min(minY, p[1]);
          maxY = Math.max(maxY, p[1]);
        }
      }
      const r0 = Math.max(0, Math.ceil((minY - this.y0) / this.cellM));
      const r1 = Math.min(this.height - 1, Math.floor((maxY - this.y0) / this.cellM));
      for (let row = r0; row <= r1; row++) {
        const yc = this.y0 + row * this.cellM;
        const xs: number[] = [];
        for (const r of rings)
          for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
            const a = r[i]!;
            const b = r[j]!;
            if (a[1] > yc !== b[1] > yc) xs.push(a[0] + ((yc - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
          }
        xs.sort((p, q) => p - q);
        for (let i = 0; i + 1 < xs.length; i += 2) {
          const c0 = Math.max(0, Math.ceil((xs[i]! - this.x0) / this.cellM));
          const c1 = Math.min(this.width - 1, Math.floor((xs[i + 1]! - this.x0) / this.cellM));
          for (let c = c0; c <= c1; c++) visit(row * this.width + c);
        }
      }
    }
  }
}

/** Area of a simple quadrilateral (shoelace), m². */
function quadArea(q: [number, number][]): number {
  let twice = 0;
  for (let i = 0; i < q.length; i++) {
    const [x0, y0] = q[i]!;
    const [x1, y1] = q[(i + 1) % q.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

function polysOf(g: ZoneFeature['geometry']): number[][][][] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as number[][][]];
  if (g.type === 'MultiPolygon') return g.coordinates as number[][][][];
  return [];
}

/** Even-odd point-in-polygon over local multipolygons (outer ring then holes). */
export function insideMultiPolygon(p: Pt, polys: Array<Array<Array<[number, number]>>>): boolean {
  for (const rings of polys) {
    let inside = false;
    for (const r of rings)
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const a = r[i]!;
        const b = r[j]!;
        if (a[1] > p.y !== b[1] > p.y && p.x < a[0] + ((p.y - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) inside = !inside;
      }
    if (inside) return true;
  }
  return false;
}
