import { describe, expect, it } from 'vitest';
import { validateZones } from '../spray/index.js';
import { CoverageRaster } from './coverage-raster.js';
import { yard } from './yard-zones.test-support.js';

const SWATH_M = 7;
const DOSE = 20;

/** A drone's reports along a gentle arc (3° a segment, 4–6 m apart) from 20 m inside the raster's south-west corner. */
function arc(raster: CoverageRaster): { x: number; y: number }[] {
  const points = [{ x: raster.x0 + 20, y: raster.y0 + 20 }];
  let heading = 0;
  for (let i = 0; i < 20; i++) {
    const step = 4 + (i % 3);
    heading += (3 * Math.PI) / 180;
    const last = points.at(-1)!;
    points.push({ x: last.x + step * Math.cos(heading), y: last.y + step * Math.sin(heading) });
  }
  return points;
}

function fly(raster: CoverageRaster, points: { x: number; y: number }[], track?: string): void {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!,
      b = points[i]!;
    raster.addSegment(a, b, (DOSE * SWATH_M * Math.hypot(b.x - a.x, b.y - a.y)) / 10_000, track);
  }
}

/** Doses of the cells whose centre lies well inside the band (1 cell from its edges, 3 m from its ends). */
function bandDoses(raster: CoverageRaster, points: { x: number; y: number }[]): number[] {
  const doses: number[] = [];
  for (let r = 0; r < raster.height; r++)
    for (let c = 0; c < raster.width; c++) {
      const p = { x: raster.x0 + c * raster.cellM, y: raster.y0 + r * raster.cellM };
      let best = Infinity;
      let along = 0;
      let total = 0;
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!,
          b = points[i]!;
        const len = Math.hypot(b.x - a.x, b.y - a.y);
        const t = Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len)));
        const d = Math.hypot(p.x - a.x - t * (b.x - a.x), p.y - a.y - t * (b.y - a.y));
        if (d < best) {
          best = d;
          along = total + t * len;
        }
        total += len;
      }
      if (best < SWATH_M / 2 - raster.cellM && along > 3 && along < total - 3) doses.push(raster.dose[r * raster.width + c]!);
    }
  return doses;
}

describe('coverage raster', () => {
  const { zones } = yard();
  const valid = validateZones(zones);
  if (!valid.ok) throw new Error('the yard is valid');
  const raster = () => CoverageRaster.fromZones(valid.zones, zones.features, SWATH_M, { cellM: 0.5 });

  it('doses a curved track evenly: no cell inside the band left out or dosed twice at the joints', () => {
    const r = raster();
    const points = arc(r);
    fly(r, points, 'drone-1');
    const doses = bandDoses(r, points);
    expect(doses.length).toBeGreaterThan(500);
    expect(doses.filter((d) => d === 0)).toEqual([]);
    expect(Math.max(...doses)).toBeLessThan(DOSE * 1.15);
    expect(Math.min(...doses)).toBeGreaterThan(DOSE * 0.85);
  });

  it('spreads the litres over the band it doses (mass kept within 2 %)', () => {
    const r = raster();
    const points = arc(r);
    fly(r, points, 'drone-1');
    const litres = points.slice(1).reduce((sum, b, i) => sum + (DOSE * SWATH_M * Math.hypot(b.x - points[i]!.x, b.y - points[i]!.y)) / 10_000, 0);
    const dosed = Array.from(r.dose).reduce((sum, d) => sum + (d * r.cellM * r.cellM) / 10_000, 0);
    expect(dosed).toBeGreaterThan(litres * 0.98);
    expect(dosed).toBeLessThan(litres * 1.02);
  });
});
