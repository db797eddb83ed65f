import { sleep, type ClockTimer, type Order, type RobotActionParameters, type SiteNode, type VdaError } from '../protocol/index.js';
import {
  rideLift,
  throughDoors,
  type DriveTarget,
  type EStop,
  type OperatingMode,
  type PickupResult,
  type RobotDescription,
  type RobotDriver,
  type RobotStatus,
  type RouteProblem,
} from '../firmware-bridge/index.js';
import { DEFAULT_BATTERY_PROFILE, type BatteryProfile } from '../controller/energy/index.js';
import type { SimWorld } from './world.js';

/** Faults a developer can inject into a simulated robot. */
export type RobotFault = 'stuck';

interface Motion {
  from: SiteNode;
  to: SiteNode;
  durationMs: number;
  /** Share of the edge done before the current stretch, 0–1. */
  doneBefore: number;
  /** Clock time the current stretch started; undefined while paused. */
  startedAt?: number;
  timer?: ClockTimer;
  finish: () => void;
}

/**
 * A simulated delivery robot under the real bridge: it moves along lanes at its speed,
 * rides lifts, has four trays the simulated medic fills and residents empty.
 */
export class SimRobotDriver implements RobotDriver {
  readonly description: RobotDescription = {
    seriesName: 'isofleet-sim-tray-robot',
    trays: 4,
    speedMaxMps: 0.8,
    widthM: 0.5,
    lengthM: 0.5,
    heightM: 1.3,
  };
  readonly actionTypes = ['loadTrays', 'announce', 'waitForPickup', 'disinfect', 'startCharging', 'stopCharging'] as const;

  private at: SiteNode;
  private theta = 0;
  /** Charge (%) at clock ms `batteryAtMs`; it drains (or charges) from there with the clock. */
  private batteryPct: number;
  private batteryAtMs: number;
  private charging = false;
  private readonly battery: BatteryProfile;
  private readonly trays = new Map<number, string>();
  private motion?: Motion;
  private paused = false;
  private readonly faults = new Set<RobotFault>();
  private readonly listeners = new Set<() => void>();
  /** Where it breaks down next (see {@link breakDownAt}). */
  private breaksDownAt: string | undefined;
  private confirmations?: (trays: number[]) => void;
  private operatingMode: OperatingMode = 'AUTOMATIC';
  private safety: { eStop: EStop; fieldViolation: boolean } = { eStop: 'NONE', fieldViolation: false };
  private errors: VdaError[] = [];

  /** Who it is to the lift cars (its serial number). */
  private readonly name: string;

  constructor(
    private readonly world: SimWorld,
    startNodeId: string,
    options: { batteryPct?: number; name?: string; battery?: Partial<BatteryProfile> } = {},
  ) {
    this.at = world.node(startNodeId);
    this.name = options.name ?? `robot at ${startNodeId}`;
    world.isolation.arrive(this.name, this.at);
    world.narrow.arrive(this.name, this.at.id);
    this.batteryPct = options.batteryPct ?? 100;
    this.batteryAtMs = world.clock.now();
    // The battery the controller assumes by default, so a plan holds in the simulator; a test
    // gives another to see the controller cope with a robot that drains faster than it thinks.
    this.battery = { ...DEFAULT_BATTERY_PROFILE, ...options.battery };
  }

  /**
   * The charge now: the electronics drain it by the hour, a charger fills it (to 100 %), from
   * the last time it was settled. Driving and lift rides are taken off as they happen.
   */
  private settleBattery(): number {
    const now = this.world.clock.now();
    const hours = (now - this.batteryAtMs) / 3_600_000;
    this.batteryAtMs = now;
    const rate = this.charging ? this.battery.chargePctPerH : -this.battery.idlePctPerH;
    this.batteryPct = Math.min(100, Math.max(0, this.batteryPct + rate * hours));
    return this.batteryPct;
  }

  private useBattery(pct: number): void {
    this.batteryPct = Math.max(0, this.settleBattery() - pct);
  }

  /** A battery that suddenly reads `pct` points lower (an old cell giving out). */
  sagBattery(pct: number): void {
    this.useBattery(pct);
    this.changed();
  }

  /** Plugs into (or out of) the charger it stands on; there is no charging anywhere else. */
  async setCharging(on: boolean): Promise<void> {
    if (on && (this.at.kind !== 'charger' || this.motion)) throw new Error(`not on a charger (at ${this.at.id}, ${this.at.kind})`);
    this.settleBattery();
    this.charging = on;
    this.changed();
  }

  /** What a person does at the robot: turns its mode switch. */
  setOperatingMode(mode: OperatingMode): void {
    this.operatingMode = mode;
    this.changed();
  }

  /** Presses or releases an e-stop, or trips the protective field. */
  setSafety(safety: Partial<{ eStop: EStop; fieldViolation: boolean }>): void {
    this.safety = { ...this.safety, ...safety };
    this.changed();
  }

  /** Raises an error of the robot's own (replacing one of the same errorType), reported until cleared. */
  raiseError(error: VdaError): void {
    this.errors = [...this.errors.filter((e) => e.errorType !== error.errorType), error];
    this.changed();
  }

  clearError(errorType: string): void {
    this.errors = this.errors.filter((e) => e.errorType !== errorType);
    this.changed();
  }

  injectFault(fault: RobotFault): void {
    this.faults.add(fault);
  }

  clearFault(fault: RobotFault): void {
    this.faults.delete(fault);
  }

  /** The robot breaks down (`stuck`) the moment it next reaches `nodeId`: a fault at a given place, whatever the clock's speed. */
  breakDownAt(nodeId: string): void {
    this.breaksDownAt = nodeId;
  }

  status(): RobotStatus & { batteryPct: number } {
    const position = this.position();
    return {
      position: { ...position, theta: this.theta },
      positionInitialized: true,
      batteryPct: Math.round(this.settleBattery() * 10) / 10,
      charging: this.charging,
      speedMps: this.motion?.startedAt !== undefined && this.motion.from.level === this.motion.to.level ? this.description.speedMaxMps : 0,
      trays: [...this.trays].map(([tray, loadId]) => ({ tray, loadId })),
      operatingMode: this.operatingMode,
      ...this.safety,
      errors: [...this.errors],
    };
  }

  /** Every node must be on the simulated site, on the level its position names. */
  checkRoute(route: Pick<Order, 'nodes' | 'edges'>): RouteProblem[] {
    const problems: RouteProblem[] = [];
    for (const node of route.nodes) {
      const known = this.world.hasNode(node.nodeId) ? this.world.node(node.nodeId) : undefined;
      if (!known) problems.push({ nodeId: node.nodeId, description: `node ${node.nodeId} is not on the robot's map` });
      else if (node.nodePosition && node.nodePosition.mapId !== known.level) {
        problems.push({ nodeId: node.nodeId, description: `node ${node.nodeId} is on map ${known.level}, not ${node.nodePosition.mapId}` });
      }
    }
    return problems;
  }

  onStatusChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async driveTo(target: DriveTarget, signal: AbortSignal): Promise<void> {
    // Driving off a charger unplugs it.
    if (this.charging) await this.setCharging(false);
    const from = this.world.node(target.fromNodeId);
    const to = this.world.node(target.nodeId);
    if (from.kind === 'liftLanding' && to.kind === 'liftLanding' && from.level !== to.level && from.lift) {
      // A lift edge its master released without `liftRide` (or a bridge without a lift port):
      // the robot calls the car itself; who else uses it is the master's business.
      await rideLift(this.world.lifts.port(this.name), this, { lift: from.lift, fromLevel: from.level, toLevel: to.level }, target, signal);
    } else {
      const lengthM = target.lengthM ?? Math.hypot(to.x - from.x, to.y - from.y);
      const speed = Math.min(target.maxSpeedMps ?? Infinity, this.description.speedMaxMps);
      this.theta = Math.atan2(to.y - from.y, to.x - from.x);
      // On a single-width way it cannot pass a robot standing ahead (and meets one coming the other way).
      await this.world.narrow.enter(this.name, from.id, to.id, signal);
      // A door on the lane: asked open (its time), passed, closed; one that does not open fails the drive.
      await throughDoors(this.world.doors, this.world.doors.between(from.id, to.id), signal, () => this.move(from, to, (lengthM / speed) * 1000, signal));
      this.useBattery(lengthM * this.battery.drainPctPerM);
    }
    this.arrive(to);
  }

  /** Into the car standing at the start landing: the lift's `enterS`. */
  async boardLift(lift: string, target: DriveTarget, signal: AbortSignal): Promise<void> {
    this.arrive(this.world.node(target.fromNodeId));
    await sleep(this.world.clock, this.world.lifts.spec(lift).enterS * 1000, signal);
  }

  /** Out of the car onto the end landing: the lift's `enterS` again. */
  async leaveLift(lift: string, target: DriveTarget, signal: AbortSignal): Promise<void> {
    await sleep(this.world.clock, this.world.lifts.spec(lift).enterS * 1000, signal);
    this.useBattery(this.battery.liftRidePct);
    this.arrive(this.world.node(target.nodeId));
  }

  /** Moves along one edge in clock time; pausable, abortable, and never done while stuck. */
  private move(from: SiteNode, to: SiteNode, durationMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const motion: Motion = {
        from,
        to,
        durationMs,
        doneBefore: 0,
        finish: () => {
          signal.removeEventListener('abort', onAbort);
          this.motion = undefined;
          resolve();
        },
      };
      const onAbort = () => {
        this.freeze(motion);
        this.arrive(this.nearestEnd(motion));
        this.motion = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.motion = motion;
      if (!this.paused) this.run(motion);
    });
  }

  private run(motion: Motion): void {
    motion.startedAt = this.world.clock.now();
    if (this.faults.has('stuck')) return;
    motion.timer = this.world.clock.setTimeout(motion.finish, (1 - motion.doneBefore) * motion.durationMs);
  }

  private freeze(motion: Motion): void {
    if (motion.timer) this.world.clock.clearTimeout(motion.timer);
    if (motion.startedAt !== undefined && !this.faults.has('stuck')) {
      motion.doneBefore = this.progress(motion);
    }
    motion.startedAt = undefined;
    motion.timer = undefined;
  }

  private progress(motion: Motion): number {
    if (motion.startedAt === undefined || this.faults.has('stuck') || motion.durationMs === 0) return motion.doneBefore;
    return Math.min(1, motion.doneBefore + (this.world.clock.now() - motion.startedAt) / motion.durationMs);
  }

  private nearestEnd(motion: Motion): SiteNode {
    return this.progress(motion) < 0.5 ? motion.from : motion.to;
  }

  private position(): { x: number; y: number; mapId: string } {
    const motion = this.motion;
    if (!motion || motion.from.level !== motion.to.level) return { x: this.at.x, y: this.at.y, mapId: this.at.level };
    const f = this.progress(motion);
    return { x: motion.from.x + (motion.to.x - motion.from.x) * f, y: motion.from.y + (motion.to.y - motion.from.y) * f, mapId: motion.from.level };
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.motion) this.freeze(this.motion);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.motion) this.run(this.motion);
  }

  async loadTrays(parameters: RobotActionParameters<'loadTrays'>, signal: AbortSignal): Promise<void> {
    if (this.world.medicMode === 'auto') await this.world.loadAtStation(parameters.trays.length, signal);
    else
      await this.awaitConfirmation(
        parameters.trays.map((t) => t.tray),
        signal,
      );
    // The medic first takes off whatever came back from the last trip.
    this.trays.clear();
    for (const t of parameters.trays) this.trays.set(t.tray, t.item ?? `room-${t.room}`);
    this.changed();
  }

  /** Waits until a person has confirmed every tray (see {@link confirmLoading}). */
  private awaitConfirmation(trays: number[], signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const confirmed = new Set<number>();
      const onAbort = () => {
        this.confirmations = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.confirmations = (more) => {
        for (const tray of more) confirmed.add(tray);
        if (trays.every((t) => confirmed.has(t))) {
          this.confirmations = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve();
        }
      };
    });
  }

  confirmLoading(trays: number[]): void {
    this.confirmations?.(trays);
  }

  async announce(_text: string, _parameters: RobotActionParameters<'announce'>, signal: AbortSignal): Promise<void> {
    await sleep(this.world.clock, this.world.announceS * 1000, signal);
  }

  async waitForPickup(parameters: RobotActionParameters<'waitForPickup'>, signal: AbortSignal): Promise<PickupResult> {
    const room = this.at.room;
    const delayS = room ? this.world.residentDelayS(room) : undefined;
    if (delayS === undefined || delayS > parameters.timeoutS) {
      await sleep(this.world.clock, parameters.timeoutS * 1000, signal);
      return 'notCollected';
    }
    await sleep(this.world.clock, delayS * 1000, signal);
    this.trays.delete(parameters.tray);
    this.changed();
    return 'collected';
  }

  /**
   * Stands in the disinfection station it is at for `durationS`, then is clean (the world's
   * isolation check hears of it); anywhere else there is nothing to disinfect it: rejects.
   */
  async disinfect(parameters: RobotActionParameters<'disinfect'>, signal: AbortSignal): Promise<void> {
    const station = this.at;
    if (station.kind !== 'disinfection') throw new Error(`no disinfection station at ${station.id} (${station.kind})`);
    await sleep(this.world.clock, parameters.durationS * 1000, signal);
    this.world.isolation.disinfected(this.name, station);
  }

  /** Stands at `node` now; the world's isolation check follows every node reached. */
  private arrive(node: SiteNode): void {
    this.at = node;
    if (node.id === this.breaksDownAt) {
      this.faults.add('stuck');
      this.breaksDownAt = undefined;
    }
    this.world.isolation.arrive(this.name, node);
    this.world.narrow.arrive(this.name, node.id);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
