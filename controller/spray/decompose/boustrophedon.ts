import type { StripTransects, Transect } from '../swaths/types.js';

/**
 * Groups transects into boustrophedon cells: a transect continues the cell of the transect in the
 * previous strip when each overlaps exactly one transect of the other strip (no split or merge
 * event between them). Each cell can then be flown as one serpentine.
 */
export function boustrophedonCells(strips: StripTransects): Transect[][] {
  const cells: Transect[][] = [];
  const cellOf = new Map<Transect, Transect[]>();
  let prev: Transect[] = [];
  let prevStrip = -2;
  const overlaps = (t: Transect, u: Transect) => Math.min(t.x1, u.x1) > Math.max(t.x0, u.x0);
  for (const row of strips) {
    const adjacent = row[0] !== undefined && row[0].strip === prevStrip + 1;
    for (const u of row) {
      const ups = adjacent ? prev.filter((t) => overlaps(t, u)) : [];
      const t = ups[0];
      if (ups.length === 1 && t && row.filter((v) => overlaps(t, v)).length === 1) {
        const cell = cellOf.get(t)!;
        cell.push(u);
        cellOf.set(u, cell);
      } else {
        const cell = [u];
        cells.push(cell);
        cellOf.set(u, cell);
      }
    }
    prev = row;
    prevStrip = row[0]?.strip ?? prevStrip;
  }
  return cells;
}
