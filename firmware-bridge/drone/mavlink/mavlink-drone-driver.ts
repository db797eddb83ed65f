/**
 * A {@link DroneDriver} for an autopilot that speaks MAVLink 2 (ArduCopter; PX4 for the sprayer
 * command). Every flight is an AUTO mission the autopilot holds (mission protocol upload), so a
 * dropped companion link does not stop it; nothing is flown by streaming position targets.
 *
 * What ArduCopter 4.6.3 SITL was seen to do and this driver allows for:
 * - arming is refused ("PreArm: Need Position Estimate") until the EKF uses GPS, 40–60 s after
 *   boot: the driver retries every `armRetryMs` and says so in {@link DroneStatus.notice};
 * - AUTO on the ground does not take off, and a copter armed on the ground disarms after ~10 s:
 *   the driver arms in GUIDED and sends MAV_CMD_MISSION_START right after the arming ACK;
 * - a pause (BRAKE) drifts ~12 m: resuming re-uploads the rest of the sortie with the cut point as
 *   its first waypoint, sets it current (MAV_CMD_DO_SET_MISSION_CURRENT) and switches to AUTO;
 * - during an RTL item the heartbeat still says AUTO: progress comes from MISSION_CURRENT, never
 *   from the mode;
 * - DO_SPRAYER items are never "reached": progress counts NAV items only.
 *
 * A mode change the driver did not command (a pilot on the remote, or the autopilot's own
 * failsafe) puts it under {@link DroneStatus.externalControl}: the flight in progress rejects and
 * every command is refused until {@link MavlinkDroneDriver.releaseExternalControl}.
 */
import { common, minimal } from 'node-mavlink';
import { sleep, systemClock, type Clock, type ClockTimer } from '../../../protocol/index.js';
import type {
  BroadcastPayload,
  DroneCapability,
  DroneDescription,
  DroneDriver,
  DroneLogEntry,
  DroneStatus,
  FenceSetup,
  FlightArrival,
  FlightPlan,
  FlightProgress,
  GoToTarget,
} from '../driver.js';
import { AutopilotState, COPTER_MODE } from './autopilot-state.js';
import { sendCommand, setParam, type CommandParams } from './commands.js';
import { MavEndpoint, message, type Sender } from './endpoint.js';
import type { ByteLink } from './link.js';
import { failsafeParams, fenceItems, planMission, sprayerCommand, type AutopilotFirmware, type PlanMission } from './mission-items.js';
import { downloadMission, uploadMission, type TransferTiming } from './mission-transfer.js';
import { TankIntegrator } from './tank-integrator.js';

/** Options of {@link MavlinkDroneDriver}. */
export interface MavlinkDriverOptions {
  link: ByteLink;
  /** Default real time. */
  clock?: Clock;
  /** Default `ardupilot`. */
  firmware?: AutopilotFirmware;
  /** Default a T20-class sprayer: 20 L, 10 m/s. */
  description?: DroneDescription;
  /** Mission protocol timing (defaults from the spec). */
  timing?: Partial<TransferTiming>;
  /** Keep retrying to arm this long while the autopilot refuses, ms. Default 180 000. */
  armWaitMs?: number;
  /** Between arming tries, ms. Default 2000. */
  armRetryMs?: number;
  /** Our MAVLink ids. Default 255 / 190 (a ground station, MAV_COMP_ID_MISSIONPLANNER). */
  sysid?: number;
  compid?: number;
  /** The broadcast payload on the companion computer (`../payload/line-payload.ts`), with what it has. */
  payload?: { device: BroadcastPayload; has: ReadonlyArray<'speaker' | 'display'> };
}

/** Messages the driver asks the autopilot to stream, and their interval, µs. */
const STREAMS: Array<[number, number]> = [
  [common.GlobalPositionInt.MSG_ID, 200_000],
  [common.VfrHud.MSG_ID, 200_000],
  [common.SysStatus.MSG_ID, 1_000_000],
  [common.ExtendedSysState.MSG_ID, 1_000_000],
  [common.GpsRawInt.MSG_ID, 1_000_000],
  [common.MissionCurrent.MSG_ID, 500_000],
  [193 /* EKF_STATUS_REPORT */, 1_000_000],
  [168 /* WIND */, 1_000_000],
];

interface Flight {
  mission: PlanMission;
  plan: FlightPlan;
  progress: FlightProgress;
  arrived?: FlightArrival;
  /** NAV items whose arrival was reported. */
  arrivals: Set<number>;
  lastLeg?: number;
  airborne: boolean;
  /** A heartbeat has said armed since the flight began. */
  armedSeen: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Thrown into a flight when someone else took the aircraft over. */
export class ExternalControlError extends Error {}

/** The MAVLink driver; {@link MavlinkDroneDriver.connect} waits for the autopilot's first heartbeat. */
export class MavlinkDroneDriver implements DroneDriver {
  readonly description: DroneDescription;
  readonly payload?: BroadcastPayload;
  private readonly endpoint: MavEndpoint;
  private readonly clock: Clock;
  private readonly firmware: AutopilotFirmware;
  private readonly state = new AutopilotState();
  private readonly tank: TankIntegrator;
  private readonly listeners = new Set<() => void>();
  private readonly logListeners = new Set<(entry: DroneLogEntry) => void>();
  private target?: Sender;
  private heartbeatTimer?: ClockTimer;
  private flight?: Flight;
  /**
   * Modes commanded since the last change the heartbeat confirmed, in order: heartbeats lag (1 Hz),
   * so a change to any of them is ours; a change to any other is someone else's.
   */
  private commandedModes: string[] = [];
  private external?: { mode: string; reason: string };
  private notice?: string;
  private pump = { on: false, flowLPerMin: 0, legSpeedMps: 0 };
  private landedSince?: { batteryPct: number };
  private closed = false;

  private constructor(private readonly options: MavlinkDriverOptions) {
    this.clock = options.clock ?? systemClock;
    this.firmware = options.firmware ?? 'ardupilot';
    this.description = options.description ?? { model: 'MAVLink autopilot', tankL: 20, maxSpeedMps: 10 };
    this.tank = new TankIntegrator(this.description.tankL);
    this.payload = options.payload?.device;
    this.endpoint = new MavEndpoint(options.link, options.sysid ?? 255, options.compid ?? 190);
    this.endpoint.onMessage((m, from) => this.onMessage(m, from));
    options.link.onState((up) => {
      if (up) this.requestStreams();
    });
  }

  /** Opens the driver on a link and resolves once an autopilot has sent its heartbeat (rejects after `timeoutMs`). */
  static async connect(options: MavlinkDriverOptions, timeoutMs = 30_000): Promise<MavlinkDroneDriver> {
    const driver = new MavlinkDroneDriver(options);
    driver.sendHeartbeat();
    await new Promise<void>((resolve, reject) => {
      const timer = driver.clock.setTimeout(() => {
        off();
        const why = options.link.up ? '' : options.link.lastError ? ` (the link is down: ${options.link.lastError})` : ' (the link never came up)';
        reject(new Error(`no autopilot heartbeat within ${timeoutMs / 1000} s${why}`));
      }, timeoutMs);
      const off = driver.endpoint.on(minimal.Heartbeat, (m) => {
        if (m.autopilot === minimal.MavAutopilot.INVALID) return;
        driver.clock.clearTimeout(timer);
        off();
        resolve();
      });
    });
    driver.requestStreams();
    return driver;
  }

  get capabilities(): readonly DroneCapability[] {
    return ['autoMission', 'fence', 'wind', ...(this.state.tankL !== undefined ? (['tankLevel'] as const) : []), ...(this.options.payload?.has ?? [])];
  }

  status(): DroneStatus {
    const s = this.state;
    const measured = s.tankL !== undefined;
    return {
      lat: s.lat ?? 0,
      lon: s.lon ?? 0,
      altM: s.altM,
      groundSpeedMps: s.groundSpeedMps,
      headingDeg: s.headingDeg,
      batteryPct: s.batteryPct ?? 0,
      tankL: measured ? s.tankL! : this.tank.tankL,
      pumpOn: this.pump.on,
      flowLPerMin: this.tank.flowLPerMin,
      sprayedL: this.tank.sprayedL,
      windMps: s.windMps ?? 0,
      windDirDeg: s.windFromDeg ?? 0,
      landed: s.landed,
      armed: s.armed,
      flightMode: s.mode,
      gpsOk: s.gpsOk,
      ekfOk: s.ekfOk,
      tankSource: measured ? 'measured' : 'integrated',
      ...(this.external ? { externalControl: this.external } : {}),
      ...(this.notice ? { notice: this.notice } : {}),
    };
  }

  onStatusChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onLog(listener: (entry: DroneLogEntry) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  takeOff(altM: number, signal: AbortSignal): Promise<void> {
    return this.flyPlan({ takeOffAltM: altM, legs: [], land: false }, signal, () => {});
  }

  goTo(target: GoToTarget, signal: AbortSignal): Promise<void> {
    return this.flyPlan({ takeOffAltM: target.altM, legs: [{ ...target, spray: false, flowLPerMin: 0 }], land: false }, signal, () => {});
  }

  async land(signal: AbortSignal): Promise<void> {
    this.assertInControl();
    if (this.state.landed && !this.state.armed) return;
    this.flight?.reject(new Error('landing'));
    await this.setMode('LAND');
    await this.until(() => this.state.landed && !this.state.armed, signal);
  }

  /** The pump as a command now (outside a mission item); the tank integrates from it. */
  setPump(on: boolean, flowLPerMin: number): void {
    this.pump = { ...this.pump, on, flowLPerMin: on ? flowLPerMin : 0 };
    if (this.external || !this.target) return;
    const c = sprayerCommand(this.firmware, on);
    void this.command(c.command, c.params).then((r) => {
      if (!r.ok) this.log('warn', `pump ${on ? 'on' : 'off'}: ${r.reason}`);
    });
  }

  async flyPlan(plan: FlightPlan, signal: AbortSignal, progress: FlightProgress, arrived?: FlightArrival): Promise<void> {
    this.assertInControl();
    if (signal.aborted) throw signal.reason;
    const s = this.state;
    const fromGround = s.landed;
    const home = { lat: s.lat ?? 0, lon: s.lon ?? 0 };
    const mission = planMission(plan, home, this.firmware, fromGround);
    // Landed in AUTO after the last flight's NAV_LAND: ArduCopter restarts the current command for
    // every item written in AUTO and says so (one warning per item in the mission log).
    if (fromGround && s.mode === 'AUTO') await this.setMode('GUIDED');
    const uploaded = await uploadMission(this.transfer(common.MavMissionType.MISSION), mission.items);
    if (!uploaded.ok) throw new Error(uploaded.reason);
    // Items reached in an earlier upload (a flight cut short) are no arrivals in this one.
    s.reached.clear();
    const done = new Promise<void>((resolve, reject) => {
      this.flight = { mission, plan, progress, arrived, arrivals: new Set(), airborne: !fromGround, armedSeen: !fromGround, resolve, reject };
    });
    // Settled before it is awaited when the flight fails early; the await below still sees it.
    done.catch(() => {});
    const flight = this.flight!;
    const onAbort = () => {
      if (this.flight !== flight) return;
      this.flight = undefined;
      // Brake where it is; the bridge keeps the cut point. ArduCopter BRAKE stops within ~12 m.
      if (!this.external) void this.setMode('BRAKE').catch((error: Error) => this.log('warn', error.message));
      flight.reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Start at the first item of this upload: with MIS_RESTART 0 ArduPilot resumes a stopped
      // mission at its old index, which may point anywhere in the new one.
      const current = await this.command(common.MavCmd.DO_SET_MISSION_CURRENT, [mission.firstSeq]);
      if (!current.ok) throw new Error(current.reason);
      if (fromGround) {
        // AUTO cannot be armed in (ArduCopter AUTO_OPTIONS 0), and AUTO on the ground does not take off.
        await this.setMode('GUIDED');
        await this.armWhenReady(signal);
        // MISSION_START switches to AUTO itself.
        this.commandedModes.push('AUTO');
        const started = await this.command(common.MavCmd.MISSION_START, [0, 0]);
        if (!started.ok) {
          this.commandedModes = this.commandedModes.filter((m) => m !== 'AUTO');
          throw new Error(started.reason);
        }
      } else await this.setMode('AUTO');
      this.updateProgress();
      await done;
    } catch (error) {
      if (this.flight === flight) this.flight = undefined;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async setFence(fence: FenceSetup): Promise<void> {
    this.assertInControl();
    const uploaded = await uploadMission(this.transfer(common.MavMissionType.FENCE), fenceItems(fence));
    if (!uploaded.ok) throw new Error(uploaded.reason);
    // The fence points first: ArduPilot refuses FENCE_ENABLE without a valid fence.
    for (const p of failsafeParams(fence)) {
      const set = await setParam(this.context(), p.id, p.value);
      if (!set.ok) throw new Error(set.reason);
    }
  }

  /** Reads a mission (or the fence) back from the autopilot. */
  async readBack(missionType: common.MavMissionType): Promise<common.MissionItemInt[]> {
    const r = await downloadMission(this.transfer(missionType));
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  }

  releaseExternalControl(): void {
    if (!this.external) return;
    this.log('info', `operator took control back from ${this.external.mode}`);
    this.external = undefined;
    this.commandedModes = [];
    this.changed();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeatTimer) this.clock.clearTimeout(this.heartbeatTimer);
    this.endpoint.close();
    await this.options.link.close();
  }

  // ---- inbound --------------------------------------------------------------------------------

  private onMessage(m: InstanceType<typeof minimal.Heartbeat> | object, from: Sender): void {
    if (m instanceof minimal.Heartbeat) {
      if (m.autopilot === minimal.MavAutopilot.INVALID) return;
      this.target ??= { sysid: from.sysid, compid: from.compid };
    }
    if (!this.target || from.sysid !== this.target.sysid) return;
    const before = { mode: this.state.mode, armed: this.state.armed, landed: this.state.landed };
    const said = this.state.apply(m as never);
    if (said.text !== undefined) this.log(said.severity !== undefined && said.severity <= 4 ? 'warn' : 'info', said.text);
    if (m instanceof minimal.Heartbeat && this.state.mode !== before.mode) this.modeChanged(before.mode);
    if (m instanceof common.GlobalPositionInt) this.tank.update({ lat: this.state.lat!, lon: this.state.lon! }, this.pump, this.state.groundSpeedMps);
    if (before.landed !== this.state.landed || before.armed !== this.state.armed) this.landedChanged();
    if (m instanceof common.MissionCurrent || m instanceof common.MissionItemReached || m instanceof common.ExtendedSysState || m instanceof minimal.Heartbeat) this.updateProgress();
    this.changed();
  }

  private modeChanged(previous: string): void {
    const mode = this.state.mode;
    const ours = this.commandedModes.lastIndexOf(mode);
    if (ours >= 0) this.commandedModes = this.commandedModes.slice(ours);
    if (previous === 'UNKNOWN' || ours >= 0 || this.external) return;
    const said = this.state.lastText ? ` (${this.state.lastText})` : '';
    this.external = { mode, reason: `mode changed from ${previous} to ${mode} without the bridge${said}` };
    this.log('warn', `${this.external.reason}: bridge stops commanding until the operator hands control back`);
    const flight = this.flight;
    this.flight = undefined;
    flight?.reject(new ExternalControlError(this.external.reason));
  }

  /** Landed and disarmed at a pad, then the battery rises (a swap): the crew refilled the tank in the same service. */
  private landedChanged(): void {
    const s = this.state;
    if (s.landed && !s.armed) this.landedSince = { batteryPct: s.batteryPct ?? 0 };
    else this.landedSince = undefined;
  }

  private updateProgress(): void {
    const s = this.state;
    if (this.landedSince && (s.batteryPct ?? 0) >= this.landedSince.batteryPct + 20) {
      this.tank.refill();
      this.landedSince = { batteryPct: s.batteryPct ?? 0 };
    }
    const flight = this.flight;
    if (!flight) return;
    if (!s.landed) flight.airborne = true;
    if (s.armed) flight.armedSeen = true;
    const { mission, plan } = flight;
    if (s.missionSeq !== undefined) {
      // DO items have no leg: the leg is that of the next NAV item.
      let leg: number | undefined;
      for (const [seq, l] of mission.legOfSeq) {
        if (seq >= s.missionSeq) {
          leg = l;
          break;
        }
      }
      if (leg !== undefined && leg !== flight.lastLeg) {
        flight.lastLeg = leg;
        const l = plan.legs[leg];
        this.pump = l ? { on: l.spray, flowLPerMin: l.spray ? l.flowLPerMin : 0, legSpeedMps: l.speedMps } : { on: false, flowLPerMin: 0, legSpeedMps: 0 };
        flight.progress(leg);
      }
    }
    // A leg's NAV_WAYPOINT is reached on arrival; a hover there is the loiter item after it.
    if (flight.arrived) {
      for (const seq of s.reached) {
        const leg = mission.arrivalOfSeq.get(seq);
        if (leg === undefined || flight.arrivals.has(seq)) continue;
        flight.arrivals.add(seq);
        flight.arrived(leg);
      }
    }
    const lastReached = s.reached.has(mission.lastNavSeq);
    if (plan.land ? flight.airborne && s.landed && !s.armed : lastReached) {
      this.flight = undefined;
      this.pump = { on: false, flowLPerMin: 0, legSpeedMps: 0 };
      s.reached.clear();
      flight.resolve();
    } else if (flight.armedSeen && !flight.airborne && !s.armed) {
      this.flight = undefined;
      flight.reject(new Error('disarmed on the ground before taking off'));
    }
  }

  // ---- outbound -------------------------------------------------------------------------------

  private async armWhenReady(signal: AbortSignal): Promise<void> {
    const deadline = this.clock.now() + (this.options.armWaitMs ?? 180_000);
    for (;;) {
      const r = await this.command(common.MavCmd.COMPONENT_ARM_DISARM, [1]);
      if (r.ok) break;
      if (this.clock.now() >= deadline) {
        this.setNotice(undefined);
        throw new Error(`could not arm: ${r.reason}`);
      }
      this.setNotice(`waiting for the autopilot to allow arming (${this.state.ekfOk ? 'position estimate ready' : 'no GPS position estimate yet'}): ${r.reason}`);
      await sleep(this.clock, this.options.armRetryMs ?? 2000, signal);
    }
    this.setNotice(undefined);
  }

  private async setMode(name: string): Promise<void> {
    const number = COPTER_MODE[name as keyof typeof COPTER_MODE];
    if (number === undefined) throw new Error(`no flight mode ${name}`);
    this.commandedModes.push(name);
    const r = await this.command(common.MavCmd.DO_SET_MODE, [minimal.MavModeFlag.CUSTOM_MODE_ENABLED, number]);
    if (!r.ok) {
      this.commandedModes = this.commandedModes.filter((m) => m !== name);
      throw new Error(r.reason);
    }
  }

  private command(command: common.MavCmd, params: CommandParams = []) {
    return sendCommand(this.context(), command, params);
  }

  private context() {
    if (!this.target) throw new Error('no autopilot heard yet');
    return {
      endpoint: this.endpoint,
      target: this.target,
      clock: this.clock,
      timeoutMs: this.options.timing?.timeoutMs,
      retries: this.options.timing?.retries,
      lastStatusText: () => this.state.lastText,
    };
  }

  private transfer(missionType: common.MavMissionType) {
    return { ...this.context(), missionType, timing: this.options.timing };
  }

  private requestStreams(): void {
    if (!this.target) return;
    for (const [id, us] of STREAMS) void this.command(common.MavCmd.SET_MESSAGE_INTERVAL, [id, us]);
  }

  /** 1 Hz GCS heartbeat: the autopilot's GCS failsafe (FS_GCS_ENABLE) watches it. */
  private sendHeartbeat(): void {
    if (this.closed) return;
    this.endpoint.send(
      message(minimal.Heartbeat, {
        type: minimal.MavType.GCS,
        autopilot: minimal.MavAutopilot.INVALID,
        baseMode: 0 as minimal.MavModeFlag,
        customMode: 0,
        systemStatus: minimal.MavState.ACTIVE,
        mavlinkVersion: 3,
      }),
    );
    this.heartbeatTimer = this.clock.setTimeout(() => this.sendHeartbeat(), 1000);
  }

  private until(condition: () => boolean, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (condition()) return resolve();
      const off = this.onStatusChange(() => {
        if (!condition()) return;
        off();
        resolve();
      });
      signal.addEventListener(
        'abort',
        () => {
          off();
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  private assertInControl(): void {
    if (this.external) throw new ExternalControlError(`under external control (${this.external.mode}); the operator must hand control back`);
  }

  private setNotice(notice: string | undefined): void {
    if (notice === this.notice) return;
    this.notice = notice;
    if (notice) this.log('warn', notice);
    this.changed();
  }

  private log(level: DroneLogEntry['level'], text: string): void {
    for (const l of this.logListeners) l({ level, message: text });
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
