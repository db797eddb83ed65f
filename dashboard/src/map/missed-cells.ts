/**
 * Missed cells of a coverage raster: sprayable cells (inside a spray zone and the geofence, not
 * in a no-spray zone) that lie under a spray leg already flown and hold less than
 * {@link UNDER_TARGET} of the target dose. A leg counts as flown once its drone has finished the
 * sortie it belongs to (the mission's `sortie` for that drone is past it, or the drone is done).
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, Mission, PlanLegProps, Position } from '../api/types.js';
import { LocalFrame } from './geo.js';
import { UNDER_TARGET } from './coverage-scale.js';

/** The raster's geometry and doses, as the live store keeps them. */
export interface DoseGrid {
  originLat: number;
  originLon: number;
  cellM: number;
  width: number;
  height: number;
  swathM: number;
  targetDoseLPerHa: number;
  dose: Float32Array;
}

/** Spray legs (lon/lat polylines) whose sortie is over; `key` changes when the set does. */
export interface FlownLegs {
  key: string;
  legs: Position[][];
}

/** The spray legs of `plan` flown so far in `mission` (plan drone i is the mission's drone i). */
export function flownLegs(plan: FeatureCollection<PlanLegProps> | undefined, mission: Pick<Mission, 'drones'> | undefined): FlownLegs {
  if (!plan || !mission) return { key: '', legs: [] };
  const flown = (drone: number, sortie: number) => {
    const run = mission.drones[drone];
    return !!run && (run.state === 'done' || run.sortie > sortie);
  };
  const legs = plan.features.filter((f) => f.properties.spray && f.geometry.type === 'LineString' && flown(f.properties.drone, f.properties.sortie));
  return { key: mission.drones.map((d) => `${d.sortie}${d.state === 'done' ? 'd' : ''}`).join(','), legs: legs.map((f) => f.geometry.coordinates as Position[]) };
}

/**
 * Indices of the cells within `swathM / 2 − cellM / 2` of a flown leg (half a cell in from the
 * band's edge, so a drone's drift of a metre off its line is no miss), leaving out the first and last swath of
 * each leg, where the pump starts and stops between two reports (on the park, nearly every
 * under-dosed cell of a flown leg was within 5 m of its ends).
 */
export function flownCells(grid: DoseGrid, legs: Position[][]): Int32Array {
  const frame = new LocalFrame(grid.originLat, grid.originLon);
  const { cellM, width, height } = grid;
  const half = Math.max(cellM / 2, grid.swathM / 2 - cellM / 2);
  const trim = grid.swathM;
  const marked = new Uint8Array(width * height);
  const out: number[] = [];
  for (const leg of legs) {
    const pts = leg.map((p) => frame.toXY(p[0]!, p[1]!));
    const total = pts.reduce((sum, p, i) => (i ? sum + Math.hypot(p[0] - pts[i - 1]![0], p[1] - pts[i - 1]![1]) : 0), 0);
    let start = 0;
    for (let s = 1; s < pts.length; s++) {
      const [ax, ay] = pts[s - 1]!;
      const [bx, by] = pts[s]!;
      const len = Math.hypot(bx - ax, by - ay);
      const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - half) / cellM));
      const c1 = Math.min(width - 1, Math.ceil((Math.max(ax, bx) + half) / cellM));
      const r0 = Math.max(0, Math.floor((Math.min(ay, by) - half) / cellM));
      const r1 = Math.min(height - 1, Math.ceil((Math.max(ay, by) + half) / cellM));
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          const k = r * width + c;
          if (marked[k]) continue;
          const x = c * cellM,
            y = r * cellM;
          const t = len > 0 ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / (len * len))) : 0;
          const along = start + t * len;
          if (along < trim || along > total - trim) continue;
          if (Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) > half) continue;
          marked[k] = 1;
          out.push(k);
        }
      start += len;
    }
  }
  return Int32Array.from(out);
}

/** A test of whether a cell may be sprayed, from the mission's zones; results kept per cell. */
export function sprayableTest(grid: DoseGrid, zones: FeatureCollection): (k: number) => boolean {
  const frame = new LocalFrame(grid.originLat, grid.originLon);
  const byRole = (role: string) => zones.features.filter((f) => (f.properties as { role?: string }).role === role && f.geometry.type === 'Polygon');
  const spray = byRole('spray'),
    keepout = byRole('keepout'),
    fence = byRole('geofence');
  const known = new Uint8Array(grid.width * grid.height);
  return (k) => {
    if (!known[k]) {
      const p = frame.toLonLat((k % grid.width) * grid.cellM, Math.floor(k / grid.width) * grid.cellM);
      const inside = (fs: typeof spray) => fs.some((f) => booleanPointInPolygon(p, f as never));
      known[k] = inside(spray) && (!fence.length || inside(fence)) && !inside(keepout) ? 1 : 2;
    }
    return known[k] === 1;
  };
}

/** The missed cells among `flown`: sprayable and under {@link UNDER_TARGET} of the target. */
export function missedCells(grid: DoseGrid, flown: Int32Array, sprayable: (k: number) => boolean): Int32Array {
  const floor = UNDER_TARGET * grid.targetDoseLPerHa;
  const out: number[] = [];
  for (const k of flown) if ((grid.dose[k] ?? 0) < floor && sprayable(k)) out.push(k);
  return Int32Array.from(out);
}
