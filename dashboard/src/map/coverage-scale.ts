/**
 * The coverage heat map's colour scale: a cell's dose as a share of the mission's target dose,
 * in colours of its own (no green, which is the spray zone's fill, and none of the drone
 * palette's mid tones). A dark navy for "on target" reads against the light map and under the
 * drones' line colours; missed cells are red with white hatching, drawn over everything else.
 */

/** What a cell's dose says. `missed`: a leg that should have sprayed it was flown, and it is under target. */
export type DoseClass = 'under' | 'onTarget' | 'over' | 'missed';

/** Dose share below which a cell is under-dosed (and, once flown over, missed). */
export const UNDER_TARGET = 0.8;
/** Dose share above which a cell is over-dosed (sprayed twice). */
export const OVER_TARGET = 1.5;

/** RGBA of each class in the raster (alpha 0–255). */
export const DOSE_RGBA: Record<DoseClass, [number, number, number, number]> = {
  under: [242, 196, 36, 200],
  onTarget: [16, 42, 110, 190],
  over: [96, 0, 96, 220],
  missed: [222, 0, 30, 255],
};

/** CSS colour of a class, for the legend's swatches. */
export function doseCss(c: DoseClass): string {
  const [r, g, b, a] = DOSE_RGBA[c];
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}

/** The class of a dosed cell from its dose share (`dose / target`); undefined for a cell never sprayed. */
export function doseClass(share: number): Exclude<DoseClass, 'missed'> | undefined {
  if (!(share > 0)) return undefined;
  return share < UNDER_TARGET ? 'under' : share <= OVER_TARGET ? 'onTarget' : 'over';
}

/** A 10 px tile of white diagonal stripes on transparent, laid over the missed cells' red. */
export function hatchTile(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = c.height = 10;
  const g = c.getContext('2d')!;
  g.strokeStyle = '#ffffff';
  g.lineWidth = 3;
  g.beginPath();
  for (const o of [-10, 0, 10]) {
    g.moveTo(o, 10);
    g.lineTo(o + 10, 0);
  }
  g.stroke();
  return c;
}
