import { edgesOf, rotate, rotatePoint, scanlineIntervals, type Edge } from '../geometry/polygon.js';
import type { MultiPolygon, Polygon } from '../geometry/types.js';
import type { StripTransects, SwathGenerator, Transect } from './types.js';

/** Options of {@link stripSwaths}. */
export interface StripSwathsOptions {
  /** Scanlines sampled per strip besides the strip's vertex heights (default 4). */
  samplesPerStrip?: number;
  /** Transects shorter than this are dropped, m (default 0.5). */
  minLengthM?: number;
}

/**
 * Parallel transects at swath spacing. The cell is cut into strips one swath wide (centred on the
 * cell's extent); in each strip a transect on the strip's centreline reaches over the x-extent of
 * every piece of the cell in the strip (sampled on scanlines and at the cell's vertex heights),
 * clipped to the intervals of `regionH` on the centreline. Any centreline point inside `regionH`
 * is at least half a swath from the sprayable border, so the band never leaves it; and every piece
 * of the cell lies in one such interval, so the strip is covered.
 */
export function stripSwaths(opts: StripSwathsOptions = {}): SwathGenerator {
  const samples = opts.samplesPerStrip ?? 4;
  const minLen = opts.minLengthM ?? 0.5;
  return {
    generate(cell: Polygon, regionH: MultiPolygon, angleRad: number, swathM: number): StripTransects {
      const rc = rotate([cell], -angleRad);
      const cellEdges = edgesOf(rc);
      const hEdges = edgesOf(rotate(regionH, -angleRad));
      let ymin = Infinity;
      let ymax = -Infinity;
      for (const e of cellEdges) {
        ymin = Math.min(ymin, e[1]);
        ymax = Math.max(ymax, e[1]);
      }
      const height = ymax - ymin;
      if (!(height > 0)) return [];
      const n = Math.max(1, Math.ceil(height / swathM - 1e-6));
      const y0 = ymin - (n * swathM - height) / 2;
      const stripOf = (y: number) => Math.floor((y - y0) / swathM);
      const cellBuckets: Edge[][] = Array.from({ length: n }, () => []);
      const vertexYs: number[][] = Array.from({ length: n }, () => []);
      for (const e of cellEdges) {
        const lo = Math.max(0, stripOf(Math.min(e[1], e[3])));
        const hi = Math.min(n - 1, stripOf(Math.max(e[1], e[3])));
        for (let j = lo; j <= hi; j++) cellBuckets[j]!.push(e);
        const vj = stripOf(e[1]);
        if (vj >= 0 && vj < n) vertexYs[vj]!.push(e[1]);
      }
      const hBuckets: Edge[][] = Array.from({ length: n }, () => []);
      for (const e of hEdges) {
        const lo = Math.max(0, Math.ceil((Math.min(e[1], e[3]) - y0) / swathM - 0.5));
        const hi = Math.min(n - 1, Math.floor((Math.max(e[1], e[3]) - y0) / swathM - 0.5));
        for (let j = lo; j <= hi; j++) hBuckets[j]!.push(e);
      }
      const out: StripTransects = [];
      for (let j = 0; j < n; j++) {
        const lo = y0 + j * swathM;
        const c = lo + swathM / 2;
        const hInts = scanlineIntervals(hBuckets[j]!, c);
        if (hInts.length === 0) continue;
        const ys: number[] = [];
        for (let k = 0; k <= samples; k++) ys.push(lo + (swathM * k) / samples + (k === 0 ? 1e-6 : k === samples ? -1e-6 : 0));
        for (const vy of vertexYs[j]!) ys.push(vy - 1e-6, vy + 1e-6);
        const ranges: Array<[number, number] | null> = hInts.map(() => null);
        for (const y of ys) {
          if (y <= lo || y >= lo + swathM) continue;
          for (const [x0, x1] of scanlineIntervals(cellBuckets[j]!, y)) {
            const mid = (x0 + x1) / 2;
            const k = hInts.findIndex(([h0, h1]) => mid >= h0 && mid <= h1);
            if (k < 0) continue; // cannot happen for exact geometry; guards offset round-off
            const [h0, h1] = hInts[k]!;
            const r = ranges[k];
            const a = Math.max(h0, x0);
            const b = Math.min(h1, x1);
            ranges[k] = r ? [Math.min(r[0], a), Math.max(r[1], b)] : [a, b];
          }
        }
        const row: Transect[] = [];
        for (const r of ranges) {
          if (!r || r[1] - r[0] < minLen) continue;
          row.push({
            a: rotatePoint([r[0], c], angleRad),
            b: rotatePoint([r[1], c], angleRad),
            strip: j,
            x0: r[0],
            x1: r[1],
          });
        }
        if (row.length) out.push(row);
      }
      return out;
    },
  };
}
