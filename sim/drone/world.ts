import { localFrame, sleep, type Clock, type LocalFrame } from '../../protocol/index.js';
import { seededRandom, type Random } from '../../protocol/index.js';
import { Semaphore } from '../semaphore.js';

/** Wind over the site. Gusts add up to `gustMps` on top of `speedMps`, changing every few seconds. */
export interface WindModel {
  speedMps: number;
  /** Where the wind comes from, degrees clockwise from north. */
  fromDeg: number;
  gustMps: number;
}

/** A landing pad with its service crews. */
export interface SimPad {
  lat: number;
  lon: number;
  /** Crews at the pad, each swapping and refilling one drone at a time. Default 1. */
  crews?: number;
}

/** Something the world moves every step (a simulated drone). */
export interface SimBody {
  /** Advances by `dtS` simulated seconds; true when a flight command completed (the bridge gets a turn before the next step). */
  step(dtS: number): boolean;
}

/** Options of {@link SimDroneWorld}. Defaults are the T20 benchmark profile (DESIGN.md). */
export interface SimDroneWorldOptions {
  clock: Clock;
  pads: SimPad[];
  seed?: number;
  wind?: Partial<WindModel>;
  /** Battery swap and refill together, by one crew, s. Default 120. */
  serviceS?: number;
  /** Physics step, simulated ms. Default 100. */
  stepMs?: number;
  /** Clock ms between physics ticks (each integrates the time since the last). Default 200. */
  tickMs?: number;
}

/**
 * The outdoor world around simulated drones: pads with a limited number of crews (swap and
 * refill, first come first served), wind with gusts, and one physics loop for every drone so
 * that many drones cost one timer. Deterministic for a seed, apart from scheduling jitter.
 */
export class SimDroneWorld {
  readonly clock: Clock;
  readonly frame: LocalFrame;
  readonly pads: Required<SimPad>[];
  readonly serviceS: number;
  readonly random: Random;
  private wind: WindModel;
  private gust = 0;
  private gustTarget = 0;
  private gustChangeS = 0;
  private readonly crews: Semaphore[];
  private readonly bodies = new Set<SimBody>();
  private simMs: number;
  private running = false;
  private loopDone?: Promise<void>;
  /** Wakes the physics loop from its sleep when the world stops (a virtual clock moves no more then). */
  private stopping = new AbortController();

  constructor(private readonly options: SimDroneWorldOptions) {
    if (options.pads.length === 0) throw new Error('a drone world needs at least one pad');
    this.clock = options.clock;
    this.pads = options.pads.map((p) => ({ crews: 1, ...p }));
    this.frame = localFrame(this.pads[0]!.lat, this.pads[0]!.lon);
    this.serviceS = options.serviceS ?? 120;
    this.random = seededRandom(options.seed ?? 1);
    this.wind = { speedMps: 0, fromDeg: 90, gustMps: 0, ...options.wind };
    this.crews = this.pads.map((p) => new Semaphore(p.crews));
    this.simMs = this.clock.now();
  }

  /** Adds a body to the physics loop; returns the teardown. */
  add(body: SimBody): () => void {
    this.bodies.add(body);
    return () => this.bodies.delete(body);
  }

  /** Starts the physics loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.simMs = this.clock.now();
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loopDone;
  }

  /** Changes the wind from now on. */
  setWind(wind: Partial<WindModel>): void {
    this.wind = { ...this.wind, ...wind };
    this.gust = Math.min(this.gust, this.wind.gustMps);
    this.gustTarget = Math.min(this.gustTarget, this.wind.gustMps);
  }

  /** Wind now: mean plus gust. */
  windNow(): { speedMps: number; fromDeg: number } {
    return { speedMps: this.wind.speedMps + this.gust, fromDeg: this.wind.fromDeg };
  }

  /** Index of the pad within `radiusM` of a local point, if any. */
  padAt(x: number, y: number, radiusM = 15): number | undefined {
    let best: number | undefined;
    let bestD = radiusM;
    this.pads.forEach((p, i) => {
      const q = this.frame.toLocal(p.lat, p.lon);
      const d = Math.hypot(q.x - x, q.y - y);
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  /** Waits for a crew at `pad`, then for the service time. */
  async service(pad: number, signal?: AbortSignal): Promise<void> {
    const release = await this.crews[pad]!.acquire(signal);
    try {
      await sleep(this.clock, this.serviceS * 1000, signal);
    } finally {
      release();
    }
  }

  private stepWind(dtS: number): void {
    this.gustChangeS -= dtS;
    if (this.gustChangeS <= 0) {
      this.gustChangeS = 3 + this.random() * 7;
      this.gustTarget = this.random() * this.wind.gustMps;
    }
    const k = Math.min(1, dtS / 2);
    this.gust += (this.gustTarget - this.gust) * k;
  }

  private async loop(): Promise<void> {
    const stepMs = this.options.stepMs ?? 100;
    while (this.running) {
      const until = this.clock.now();
      while (this.simMs < until && this.running) {
        const dt = Math.min(stepMs, until - this.simMs);
        this.stepWind(dt / 1000);
        let completed = false;
        for (const body of this.bodies) if (body.step(dt / 1000)) completed = true;
        this.simMs += dt;
        // Let the bridges issue their next command before time moves on (no idle step at each waypoint).
        if (completed) await new Promise((r) => setImmediate(r));
      }
      await sleep(this.clock, this.options.tickMs ?? 200, this.stopping.signal).catch(() => {});
    }
  }
}

/** Pads of a zones file (features with role `pad`, `properties.crews`), in file order. */
export function padsFromZones(zones: { features: Array<{ properties?: Record<string, unknown> | null; geometry?: { type: string; coordinates?: unknown } | null }> }): SimPad[] {
  return zones.features.flatMap((f) => {
    if (f.properties?.role !== 'pad' || f.geometry?.type !== 'Point') return [];
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const crews = typeof f.properties.crews === 'number' ? f.properties.crews : 1;
    return [{ lat, lon, crews }];
  });
}
