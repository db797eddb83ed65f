/**
 * The zones of the metric map as SVG: what people tap and drag, so it stays DOM (the canvas below
 * has everything else). Polygons per role, pads as squares, the selected shape's corners as handles.
 */
import { nothing, svg } from 'lit';
import type { FeatureCollection, Position } from '../api/types.js';
import type { ZoneRoleName } from './geo.js';

/** Fill and outline of each zone role. */
export const ROLE_STYLE: Record<ZoneRoleName, { fill: string; stroke: string }> = {
  spray: { fill: '#2e9d4f33', stroke: '#1b7a36' },
  keepout: { fill: '#d0303c55', stroke: '#a3121f' },
  geofence: { fill: 'none', stroke: '#0b4fa3' },
  pad: { fill: '#ffb000', stroke: '#0d1117' },
};

export interface ZoneSvgOptions {
  /** Index of the selected feature, or -1. */
  selected: number;
  /** Whether corner handles of the selected polygon are shown (the select tool is on). */
  handles: boolean;
  /** Spray zones as outlines only (a coverage raster under them shows its own colours); still tappable. */
  outlineSpray?: boolean;
  /** [lon, lat] → screen pixels. */
  toScreen: (p: Position) => [number, number];
  /** A pointer went down on a draggable handle: corner `vertex` of feature `index`, or the pad `index` (vertex 0). */
  onHandleDown: (e: PointerEvent, index: number, vertex: number) => void;
}

/** One `<g data-zone data-role>` per feature. */
export function zonesSvg(zones: FeatureCollection, o: ZoneSvgOptions) {
  return zones.features.map((f, i) => zoneSvg(f, i, o));
}

function zoneSvg(f: FeatureCollection['features'][number], index: number, o: ZoneSvgOptions) {
  const role = ((f.properties as { role?: ZoneRoleName }).role ?? 'spray') as ZoneRoleName;
  const style = ROLE_STYLE[role];
  const selected = index === o.selected;
  if (f.geometry.type === 'Point') {
    const [x, y] = o.toScreen(f.geometry.coordinates);
    return svg`<g data-zone=${index} data-role=${role}><rect x=${x - 9} y=${y - 9} width="18" height="18" fill=${style.fill} stroke=${selected ? '#ffb000' : style.stroke} stroke-width=${selected ? 4 : 2}
      @pointerdown=${(e: PointerEvent) => o.onHandleDown(e, index, 0)} /><text x=${x} y=${y + 4} text-anchor="middle" font-size="11" font-weight="700" pointer-events="none">H</text></g>`;
  }
  if (f.geometry.type !== 'Polygon') return nothing;
  const ring = f.geometry.coordinates[0] ?? [];
  const points = ring.map((p) => o.toScreen(p).join(',')).join(' ');
  return svg`<g data-zone=${index} data-role=${role}>
    <polygon points=${points} fill=${role === 'spray' && o.outlineSpray ? 'transparent' : style.fill} stroke=${selected ? '#ffb000' : style.stroke} stroke-width=${selected ? 4 : role === 'geofence' ? 3 : 2}
      stroke-dasharray=${role === 'geofence' ? '10 6' : ''} fill-rule="evenodd" />
    ${
      selected && o.handles
        ? ring.slice(0, -1).map((p, v) => {
            const [x, y] = o.toScreen(p);
            return svg`<circle cx=${x} cy=${y} r="12" fill="#fff" stroke="#0d1117" stroke-width="3" data-vertex=${v} @pointerdown=${(e: PointerEvent) => o.onHandleDown(e, index, v)} />`;
          })
        : nothing
    }
  </g>`;
}

/** The corners of a shape being drawn: a dashed line through them and a dot on each. */
export function drawingSvg(corners: Position[], toScreen: (p: Position) => [number, number]) {
  if (!corners.length) return nothing;
  const screen = corners.map(toScreen);
  return svg`<polyline points=${screen.map((p) => p.join(',')).join(' ')} fill="none" stroke="#0d1117" stroke-width="2" stroke-dasharray="6 4" />
    ${screen.map(([x, y]) => svg`<circle cx=${x} cy=${y} r="6" fill="#fff" stroke="#0d1117" stroke-width="2" />`)}`;
}
