import { LitElement, css, html } from 'lit';
import type { Drone, RobotSummary, Site } from '../api/types.js';
import { store } from '../live/live-store.js';
import type { FeatureCollection } from '../api/types.js';
import './floor-map.js';
import './metric-map.js';

/** A synthetic level: a grid of corridors (8 × 40 m, 6 rows) with rooms along them. */
function syntheticSite(): Site {
  const nodes: Site['nodes'] = [];
  const lanes: Site['lanes'] = [];
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col <= 20; col++) {
      const id = `c${row}-${col}`;
      nodes.push({ id, kind: 'corridor', level: 'B', x: col * 4, y: row * 8, zone: row < 2 ? 'green' : row < 4 ? 'buffer' : 'red' });
      if (col) lanes.push({ from: `c${row}-${col - 1}`, to: id, bidirectional: true });
      if (row) lanes.push({ from: `c${row - 1}-${col}`, to: id, bidirectional: true });
      if (col % 2) nodes.push({ id: `r${row}-${col}`, kind: 'room', level: 'B', x: col * 4, y: row * 8 + 2, zone: 'red', room: `${row + 1}${String(col).padStart(2, '0')}` });
    }
  }
  nodes.push({ id: 'load', kind: 'loading', level: 'B', x: -3, y: 0, zone: 'green' });
  return { name: 'bench', levels: [{ name: 'B', elevationM: 0 }], nodes, lanes, lifts: [], doors: [], robotSpeedMps: 0.8 };
}

/**
 * The map benchmark: `#/bench?kind=robots|drones&n=200&hz=5` moves `n` synthetic robots (on
 * the floor map) or drones (on the metric map) and pushes their positions `hz` times a second
 * through the same store the live data uses. `window.__bench` counts frames.
 */
export class BenchPage extends LitElement {
  static override properties = { params: { attribute: false } };
  static override styles = css`:host { display: block; } metric-map { height: 80vh; }`;
  declare params: URLSearchParams;
  private timer = 0;
  private readonly site = syntheticSite();
  private readonly zones: FeatureCollection = { type: 'FeatureCollection', features: [] };

  constructor() {
    super();
    this.params = new URLSearchParams();
  }

  /** Starts on first update, not on connect: `params` set before this module loaded arrives with the first update. */
  private start(): void {
    const n = Number(this.params.get('n') ?? 200);
    const hz = Number(this.params.get('hz') ?? 5);
    const drones = this.params.get('kind') === 'drones';
    const t0 = performance.now();
    const tick = () => {
      const t = (performance.now() - t0) / 1000;
      if (drones) store.setDrones(Array.from({ length: n }, (_, i) => synthDrone(i, t)));
      else store.setRobots(Array.from({ length: n }, (_, i) => synthRobot(i, t)));
    };
    tick();
    this.timer = window.setInterval(tick, 1000 / hz);
    const w = window as unknown as { __bench: { frames: number } };
    w.__bench = { frames: 0 };
    const count = () => {
      w.__bench.frames++;
      if (this.isConnected) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  override firstUpdated(): void {
    this.start();
    const map = this.renderRoot.querySelector('metric-map');
    if (map) requestAnimationFrame(() => map.fit());
  }

  override render() {
    return this.params.get('kind') === 'drones' ? html`<metric-map .zones=${this.zones}></metric-map>` : html`<floor-map .site=${this.site} .level=${'B'}></floor-map>`;
  }
}

function synthRobot(i: number, t: number): RobotSummary {
  // Each robot runs along its corridor row and back at 0.8 m/s.
  const row = i % 6;
  const x = 40 + 40 * Math.sin((t * 0.8) / 40 + i * 1.7);
  return {
    id: `robot-${i + 1}`,
    manufacturer: 'isofleet',
    serialNumber: `robot-${i + 1}`,
    online: i % 37 !== 0,
    battery: 100 - (i % 80),
    level: 'B',
    node: null,
    state: 'driving',
    position: { x, y: row * 8, theta: 0, mapId: 'B' },
    loadedTrays: [],
  };
}

function synthDrone(i: number, t: number): Drone {
  const a = t * 0.05 + i * 0.7;
  const r = 100 + (i % 10) * 40;
  return {
    id: `drone-${i + 1}`,
    online: true,
    batteryPct: 90 - (i % 60),
    tankL: 20 - (i % 20),
    lat: 22.7225 + (r * Math.sin(a)) / 110_540,
    lon: 114.255 + (r * Math.cos(a)) / 102_700,
    altM: 3,
    headingDeg: ((a * 180) / Math.PI + 180) % 360,
    groundSpeedMps: 5,
    pumpOn: i % 2 === 0,
    mode: 'mission',
    sortie: 1,
    waypoint: 0,
    windMps: 2,
  };
}

customElements.define('bench-page', BenchPage);

declare global {
  interface HTMLElementTagNameMap {
    'bench-page': BenchPage;
  }
}
