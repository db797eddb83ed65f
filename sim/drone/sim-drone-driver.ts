import type { DroneCapability, DroneDescription, DroneDriver, DroneStatus, GoToTarget } from '../../firmware-bridge/drone/index.js';
import type { Random } from '../../protocol/index.js';
import { SimBroadcastPayload } from './sim-payload.js';
import type { SimBody, SimDroneWorld } from './world.js';

/** Aircraft constants. Defaults: the T20 benchmark profile (DESIGN.md). */
export interface SimDroneProfile {
  tankL: number;
  maxSpeedMps: number;
  accelMps2: number;
  verticalMps: number;
  /** Endurance with a full tank and an empty one, s (linear in payload between). */
  enduranceFullS: number;
  enduranceEmptyS: number;
  /** Take-off (spin-up and climb to spray height) and landing, s each. */
  takeOffS: number;
  landS: number;
  /** Extra drain per (m/s)² of wind, fraction (0.002: +7 % at 6 m/s). */
  windDrainPerMps2: number;
  /** Standard deviation of the reported position, m (RTK-class GNSS: 0.1). */
  positionNoiseM: number;
  /** Pump delivers nothing below this ground speed, m/s (ArduPilot SPRAY_SPEED_MIN). */
  pumpMinSpeedMps: number;
}

export const T20_SIM_PROFILE: Readonly<SimDroneProfile> = Object.freeze({
  tankL: 20,
  maxSpeedMps: 10,
  accelMps2: 2,
  verticalMps: 3,
  enduranceFullS: 600,
  enduranceEmptyS: 900,
  takeOffS: 20,
  landS: 20,
  windDrainPerMps2: 0.002,
  positionNoiseM: 0.1,
  pumpMinSpeedMps: 0.3,
});

/**
 * A broadcast quadcopter (loudspeaker and QR display, about 1.5 kg): 30 min of hover, the
 * broadcast planner's SPEAKER_QUAD, and no tank (the model scales endurance with the tank's load:
 * a 1 L placeholder, both endurances the same, so it never changes), 10 m/s.
 */
export const SPEAKER_QUAD_SIM_PROFILE: Readonly<SimDroneProfile> = Object.freeze({ ...T20_SIM_PROFILE, tankL: 1, enduranceFullS: 1800, enduranceEmptyS: 1800 });

interface Motion {
  target: GoToTarget & { x: number; y: number };
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

interface Vertical {
  fromAltM: number;
  toAltM: number;
  totalS: number;
  doneS: number;
  landing: boolean;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * A simulated spray drone under the real bridge: straight-line flight with acceleration limits
 * and the turn slow-down (speed × cos of the heading change when a leg starts), battery drain
 * that depends on payload and wind, tank drain by flow (pump flow scaled with ground speed, as
 * ArduPilot's sprayer does), position noise, and service at pads on landing. Faults can be
 * injected: battery sag, pump failure, and freezing (a drone that does not come back).
 */
export class SimDroneDriver implements DroneDriver, SimBody {
  readonly description: DroneDescription;
  /** Flies leg by leg on the bridge's goTo; reports its true tank level and the world's wind; a broadcast drone has a speaker and a display. */
  readonly capabilities: readonly DroneCapability[];
  /** The speaker and QR display of a broadcast drone (`options.broadcast`), with its log of what it played and showed where. */
  readonly payload?: SimBroadcastPayload;
  readonly profile: SimDroneProfile;
  // True state, local frame (x east, y north, m).
  x: number;
  y: number;
  altM = 0;
  speedMps = 0;
  /** Course, radians clockwise from north. */
  heading = 0;
  /** Battery, fraction of a full pack. */
  battery = 1;
  tankL: number;
  landed = true;
  sprayedL = 0;
  takeOffs = 0;
  private pumpOn = false;
  private pumpCmdLPerMin = 0;
  private flowLPerMin = 0;
  private motion?: Motion;
  private vertical?: Vertical;
  private servicing?: Promise<void>;
  private readonly listeners = new Set<() => void>();
  // Faults.
  private capacityFactor = 1;
  private pendingSagPct = 0;
  private pumpFailed = false;
  private frozen = false;
  private readonly random: Random;

  constructor(
    private readonly world: SimDroneWorld,
    start: { lat: number; lon: number },
    options: { profile?: Partial<SimDroneProfile>; batteryPct?: number; random?: Random; broadcast?: boolean } = {},
  ) {
    this.profile = { ...T20_SIM_PROFILE, ...options.profile };
    this.description = { model: 'sim T20-class', tankL: this.profile.tankL, maxSpeedMps: this.profile.maxSpeedMps };
    const p = world.frame.toLocal(start.lat, start.lon);
    this.x = p.x;
    this.y = p.y;
    this.tankL = this.profile.tankL;
    this.battery = (options.batteryPct ?? 100) / 100;
    this.random = options.random ?? world.random;
    this.capabilities = options.broadcast ? ['tankLevel', 'wind', 'speaker', 'display'] : ['tankLevel', 'wind'];
    if (options.broadcast) this.payload = new SimBroadcastPayload(world.clock, () => ({ ...world.frame.toGeo(this.x, this.y), altM: this.altM }));
  }

  // ---- faults -------------------------------------------------------------------------------

  /** Battery sag: `pct` points lost at once the next time it flies, and every pack drains faster by 1/(1 − pct/100). */
  injectBatterySag(pct: number): void {
    this.pendingSagPct = pct;
    this.capacityFactor = 1 - pct / 100;
  }

  /** The pump stops delivering until a crew fixes it at a pad. */
  injectPumpFailure(): void {
    this.pumpFailed = true;
    this.notify();
  }

  /** The drone stops where it is and never answers again (crash, fly-away). */
  freeze(): void {
    this.frozen = true;
    this.motion?.reject(new Error('lost'));
    this.motion = undefined;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  // ---- DroneDriver --------------------------------------------------------------------------

  status(): DroneStatus {
    const noise = this.landed ? 0 : this.profile.positionNoiseM;
    const g = this.world.frame.toGeo(this.x + noise * gaussian(this.random), this.y + noise * gaussian(this.random));
    const wind = this.world.windNow();
    return {
      lat: g.lat,
      lon: g.lon,
      altM: this.altM,
      groundSpeedMps: this.speedMps,
      headingDeg: ((this.heading * 180) / Math.PI + 360) % 360,
      batteryPct: Math.max(0, this.battery * 100),
      tankL: this.tankL,
      pumpOn: this.pumpOn,
      flowLPerMin: this.flowLPerMin,
      sprayedL: this.sprayedL,
      windMps: Math.max(0, wind.speedMps + 0.3 * gaussian(this.random)),
      windDirDeg: wind.fromDeg,
      landed: this.landed,
      armed: !this.landed,
      flightMode: 'SIM',
      gpsOk: true,
      ekfOk: true,
      tankSource: 'measured',
    };
  }

  onStatusChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async takeOff(altM: number, signal: AbortSignal): Promise<void> {
    // The crew finishes the swap and refill before the motors start.
    await this.servicing;
    if (!this.landed) return;
    this.landed = false;
    this.takeOffs++;
    await this.runVertical(altM, this.profile.takeOffS, false, signal);
  }

  goTo(target: GoToTarget, signal: AbortSignal): Promise<void> {
    if (this.frozen) return new Promise(() => {});
    if (this.landed) return Promise.reject(new Error('goTo while landed'));
    this.motion?.reject(new Error('superseded'));
    const p = this.world.frame.toLocal(target.lat, target.lon);
    const dx = p.x - this.x;
    const dy = p.y - this.y;
    if (Math.hypot(dx, dy) > 0.01) {
      const course = Math.atan2(dx, dy);
      const turn = Math.abs(((course - this.heading + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      // Turn slow-down: the speed carried into a new course is cut by the cosine of the turn.
      this.speedMps = Math.min(this.speedMps, Math.max(this.speedMps, target.speedMps) * Math.max(0, Math.cos(turn)));
      this.heading = course;
    }
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        if (this.motion?.signal === signal) this.motion = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.motion = { target: { ...target, x: p.x, y: p.y }, resolve, reject, signal, onAbort };
    });
  }

  setPump(on: boolean, flowLPerMin: number): void {
    this.pumpOn = on;
    this.pumpCmdLPerMin = on ? flowLPerMin : 0;
    if (!on) this.flowLPerMin = 0;
  }

  async land(signal: AbortSignal): Promise<void> {
    if (this.landed) return;
    this.motion?.reject(new Error('landing'));
    this.motion = undefined;
    this.setPump(false, 0);
    const extraS = Math.max(0, this.altM - 2.5) / this.profile.verticalMps;
    await this.runVertical(0, this.profile.landS + extraS, true, signal);
    this.landed = true;
    this.speedMps = 0;
    const pad = this.world.padAt(this.x, this.y);
    if (pad !== undefined) this.startService(pad);
    this.notify();
  }

  // ---- physics ------------------------------------------------------------------------------

  step(dtS: number): boolean {
    if (this.frozen || this.landed) return false;
    const p = this.profile;
    if (this.pendingSagPct > 0) {
      this.battery -= this.pendingSagPct / 100;
      this.pendingSagPct = 0;
    }
    const wind = this.world.windNow().speedMps;
    const endurance = p.enduranceEmptyS + (p.enduranceFullS - p.enduranceEmptyS) * Math.min(1, this.tankL / p.tankL);
    this.battery -= ((dtS / endurance) * (1 + p.windDrainPerMps2 * wind * wind)) / this.capacityFactor;
    // The leg's speed before this step: the step that reaches the waypoint still sprays at its rate.
    const legSpeedMps = this.motion?.target.speedMps ?? 0;
    let completed = false;
    const x0 = this.x;
    const y0 = this.y;
    if (this.vertical) completed = this.stepVertical(dtS);
    else if (this.motion) completed = this.stepMotion(dtS);
    else this.brake(dtS);
    this.stepPump(dtS, legSpeedMps, Math.hypot(this.x - x0, this.y - y0));
    return completed;
  }

  private stepMotion(dtS: number): boolean {
    const m = this.motion!;
    const p = this.profile;
    const t = m.target;
    const dx = t.x - this.x;
    const dy = t.y - this.y;
    const d = Math.hypot(dx, dy);
    const dAlt = t.altM - this.altM;
    const climb = Math.sign(dAlt) * Math.min(Math.abs(dAlt), p.verticalMps * dtS);
    this.altM += climb;
    if (d > 1e-3) {
      this.heading = Math.atan2(dx, dy);
      const cruise = Math.min(t.speedMps, p.maxSpeedMps);
      const exit = Math.min(t.exitSpeedMps ?? 0, cruise);
      const brakeLimit = Math.sqrt(exit * exit + 2 * p.accelMps2 * d);
      const want = Math.min(cruise, brakeLimit);
      const v = want > this.speedMps ? Math.min(want, this.speedMps + p.accelMps2 * dtS) : Math.max(want, this.speedMps - p.accelMps2 * dtS);
      // Never stall short of the target.
      this.speedMps = Math.max(v, Math.min(0.2, cruise));
      const move = this.speedMps * dtS;
      if (move >= d) {
        this.x = t.x;
        this.y = t.y;
        this.speedMps = Math.min(this.speedMps, Math.max(exit, 0));
      } else {
        this.x += (dx / d) * move;
        this.y += (dy / d) * move;
      }
    } else this.speedMps = Math.max(0, this.speedMps - p.accelMps2 * dtS);
    const there = Math.hypot(t.x - this.x, t.y - this.y) < 1e-3 && Math.abs(t.altM - this.altM) < 1e-3;
    if (!there) return false;
    m.signal.removeEventListener('abort', m.onAbort);
    this.motion = undefined;
    m.resolve();
    return true;
  }

  /** No target: brake to a hover along the current course. */
  private brake(dtS: number): void {
    if (this.speedMps <= 0) return;
    const v0 = this.speedMps;
    this.speedMps = Math.max(0, v0 - this.profile.accelMps2 * dtS);
    const move = ((v0 + this.speedMps) / 2) * dtS;
    this.x += Math.sin(this.heading) * move;
    this.y += Math.cos(this.heading) * move;
  }

  /** Flow follows ground speed (ArduPilot sprayer), so the litres of a step are those of the distance flown. */
  private stepPump(dtS: number, legSpeedMps: number, movedM: number): void {
    const on = this.pumpOn && !this.pumpFailed && this.tankL > 0 && legSpeedMps > 0;
    if (!on || this.speedMps < this.profile.pumpMinSpeedMps) {
      this.flowLPerMin = 0;
      return;
    }
    const litres = Math.min(this.tankL, (this.pumpCmdLPerMin / (60 * legSpeedMps)) * movedM);
    this.tankL -= litres;
    this.sprayedL += litres;
    this.flowLPerMin = this.pumpCmdLPerMin * Math.min(1, this.speedMps / legSpeedMps);
    if (dtS > 0 && this.tankL <= 0) this.flowLPerMin = 0;
  }

  private runVertical(toAltM: number, totalS: number, landing: boolean, signal: AbortSignal): Promise<void> {
    this.motion = undefined;
    this.speedMps = 0;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        if (this.vertical?.signal === signal) this.vertical = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.vertical = { fromAltM: this.altM, toAltM, totalS, doneS: 0, landing, resolve, reject, signal, onAbort };
    });
  }

  private stepVertical(dtS: number): boolean {
    const v = this.vertical!;
    v.doneS = Math.min(v.totalS, v.doneS + dtS);
    this.altM = v.fromAltM + (v.toAltM - v.fromAltM) * (v.doneS / v.totalS);
    this.brake(dtS);
    if (v.doneS < v.totalS) return false;
    v.signal.removeEventListener('abort', v.onAbort);
    this.vertical = undefined;
    v.resolve();
    return true;
  }

  private startService(pad: number): void {
    const full = this.battery >= 0.95 && this.tankL >= 0.95 * this.profile.tankL && !this.pumpFailed;
    if (full || this.servicing !== undefined) return;
    this.servicing = this.world.service(pad).then(() => {
      this.battery = 1;
      this.tankL = this.profile.tankL;
      this.pumpFailed = false;
      this.servicing = undefined;
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Standard normal sample (Box–Muller). */
function gaussian(random: Random): number {
  const u = Math.max(1e-12, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
