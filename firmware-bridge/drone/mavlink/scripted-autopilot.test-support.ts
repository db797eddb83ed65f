/**
 * A scripted MAVLink autopilot for the driver's tests: a stand-in, because ArduPilot SITL cannot
 * be built or run in CI (about 25 CPU-minutes to build; `npm run test:sitl` flies the real one).
 * It listens on a real TCP socket and speaks through node-mavlink, as the driver does. It is not a
 * flight model: it flies straight lines at the commanded speed. Each part follows a published
 * behaviour:
 *
 * - Mission protocol, receiving side (mavlink.io/en/services/mission.html): MISSION_COUNT →
 *   one request per item → MISSION_ACK; a repeated COUNT restarts the upload; an item other than
 *   the one asked for is answered by asking again; the receiver re-asks after its own timeout.
 *   Download: REQUEST_LIST → COUNT → REQUEST_INT → ITEM_INT → ACK.
 * - Observed on ArduCopter 4.6.3 SITL (isofleet issue 12): requests are MISSION_REQUEST, not
 *   _INT (`requestInt` switches); arming refused with "PreArm: Need Position Estimate" until the
 *   EKF uses GPS (`ekfReadyAfterMs`, 40–60 s after boot there), the GPS fix already there; AUTO on
 *   the ground does not take off, MAV_CMD_MISSION_START does; armed on the ground without taking
 *   off it disarms after ~10 s; DO_SPRAYER items get no MISSION_ITEM_REACHED; BRAKE/LOITER drift
 *   ~12 m before holding; during an RTL item the heartbeat says AUTO.
 * - ArduCopter docs: arming is refused in AUTO (AUTO_OPTIONS 0: "Mode not armable"); DO commands
 *   after a NAV command start when it completes; GCS failsafe (FS_GCS_ENABLE 1) switches to RTL
 *   after FS_GCS_TIMEOUT s without a GCS heartbeat; RTL climbs to RTL_ALT (cm), flies home, lands.
 * - Faults for the tests (`faults`): ignore the first COUNTs (the GCS must re-send), lose
 *   requests, repeat every request, ask for items in reverse order, NACK, stay silent.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ardupilotmega, common, minimal, type MavLinkData } from 'node-mavlink';
import { localFrame, type Clock, type ClockTimer } from '../../../protocol/index.js';
import { MavEndpoint, message } from './endpoint.js';
import type { ByteLink } from './link.js';

const Cmd = common.MavCmd;
const DO_SPRAYER = ardupilotmega.MavCmd.DO_SPRAYER as number;
const MODE = ardupilotmega.CopterMode;
const NAV_COMMANDS = new Set<number>([Cmd.NAV_WAYPOINT, Cmd.NAV_LOITER_TIME, Cmd.NAV_TAKEOFF, Cmd.NAV_LAND, Cmd.NAV_RETURN_TO_LAUNCH]);
const TICK_MS = 100;

/** Faults to inject into the mission protocol. */
export interface ProtocolFaults {
  /** Ignore this many MISSION_COUNTs. */
  ignoreCounts?: number;
  /** Lose the first request for each of these items (never sent). */
  loseRequestFor?: number[];
  /** Send every request twice. */
  repeatRequests?: boolean;
  /** Ask for the items last to first. */
  reverseOrder?: boolean;
  /** Answer MISSION_COUNT with this MAV_MISSION_RESULT. */
  nack?: common.MavMissionResult;
  /** Never answer anything about missions. */
  silent?: boolean;
}

export interface ScriptedAutopilotOptions {
  clock: Clock;
  home: { lat: number; lon: number };
  /** The EKF uses GPS this long after boot, ms. Default 50 000. */
  ekfReadyAfterMs?: number;
  /** Armed on the ground this long without taking off: disarms, ms. Default 10 000. */
  groundDisarmMs?: number;
  /** Ask for items with MISSION_REQUEST_INT instead of MISSION_REQUEST. */
  requestInt?: boolean;
  /** WPNAV_SPEED before any DO_CHANGE_SPEED, m/s. Default 5. */
  cruiseMps?: number;
  /** Distance a BRAKE or LOITER stop drifts on, m. Default 12. */
  brakeDriftM?: number;
  /** Report a tank level sensor (FUEL_STATUS, liquid, ml) holding this many litres. */
  tankL?: number;
  faults?: ProtocolFaults;
  /** Refuse the next COMMAND_LONG of each of these MAV_CMDs (MAV_RESULT_FAILED). */
  refuseOnce?: number[];
  /**
   * Autopilot seconds per clock second for flight and `time_boot_ms` (default 1). Below 1 the
   * autopilot runs behind the bridge's clock, as ArduCopter SITL does on a loaded machine (0.6
   * seen at a speed-up of 10 on two busy cores). Its other timers stay on the clock.
   */
  timeScale?: number;
}

interface Upload {
  missionType: number;
  count: number;
  items: common.MissionItemInt[];
  order: number[];
  timer?: ClockTimer;
}

/** A sprayer switch seen by the stand-in, where it happened. */
export interface SprayEvent {
  on: boolean;
  seq: number;
  x: number;
  y: number;
}

/** The scripted autopilot; {@link ScriptedAutopilot.start} listens on 127.0.0.1 and a free port. */
export class ScriptedAutopilot {
  readonly frame;
  port = 0;
  // Vehicle state, local frame (x east, y north, m).
  x = 0;
  y = 0;
  altM = 0;
  speedMps = 0;
  course = 0;
  armed = false;
  landed = true;
  mode: number = MODE.STABILIZE;
  batteryPct = 100;
  tankL?: number;
  sprayer = false;
  /** Missions held, by mission type. */
  readonly stored = new Map<number, common.MissionItemInt[]>();
  current = 0;
  running = false;
  readonly reachedSeqs: number[] = [];
  /** When the aircraft arrived at the NAV_LOITER_TIME item being flown, clock ms. */
  private loiterSinceMs?: number;
  readonly sprayEvents: SprayEvent[] = [];
  readonly params = new Map<string, number>([
    ['RTL_ALT', 1500],
    ['FS_GCS_ENABLE', 0],
    ['FS_GCS_TIMEOUT', 5],
    ['FENCE_ENABLE', 0],
    ['FENCE_TYPE', 7],
    ['FENCE_ACTION', 1],
  ]);
  /** Every COMMAND_LONG taken, in order. */
  readonly commands: Array<{ command: number; params: number[]; atMs: number; landed: boolean }> = [];
  /** MISSION_COUNTs received. */
  counts = 0;
  /** Items the GCS sent, by seq, counting repeats. */
  readonly itemsReceived: number[] = [];
  readonly faults: ProtocolFaults;
  private cruise: number;
  private drift?: number;
  private armedAtMs?: number;
  private lastGcsMs: number;
  private readonly bootMs: number;
  private upload?: Upload;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly endpoints = new Set<MavEndpoint>();
  private tick?: ClockTimer;
  private lastHeartbeatMs = -Infinity;
  private refuseUntilMs = 0;

  private constructor(private readonly options: ScriptedAutopilotOptions) {
    this.frame = localFrame(options.home.lat, options.home.lon);
    this.faults = { ...options.faults };
    this.cruise = options.cruiseMps ?? 5;
    this.bootMs = options.clock.now();
    this.lastGcsMs = this.bootMs;
    this.tankL = options.tankL;
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(options: ScriptedAutopilotOptions): Promise<ScriptedAutopilot> {
    const ap = new ScriptedAutopilot(options);
    await new Promise<void>((resolve) => ap.server.listen(0, '127.0.0.1', resolve));
    ap.port = (ap.server.address() as { port: number }).port;
    ap.schedule();
    return ap;
  }

  get modeName(): string {
    return MODE[this.mode] ?? String(this.mode);
  }

  /** Where it is. */
  position(): { lat: number; lon: number } {
    return this.frame.toGeo(this.x, this.y);
  }

  /** A pilot flips the mode switch on the remote. */
  pilotTakeover(mode: keyof typeof MODE): void {
    this.enterMode(MODE[mode]);
  }

  /** Cuts every connection (the autopilot flies on). */
  dropLink(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Cuts every connection and refuses new ones for `ms` (a radio out of range). */
  refuseConnectionsFor(ms: number): void {
    this.refuseUntilMs = this.options.clock.now() + ms;
    this.dropLink();
  }

  async close(): Promise<void> {
    if (this.tick) this.options.clock.clearTimeout(this.tick);
    this.dropLink();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The crew swaps the battery. */
  swapBattery(): void {
    this.batteryPct = 100;
  }

  // ---- link -----------------------------------------------------------------------------------

  private accept(socket: Socket): void {
    if (this.options.clock.now() < this.refuseUntilMs) return void socket.destroy();
    socket.setNoDelay(true);
    this.sockets.add(socket);
    const dataListeners = new Set<(b: Buffer) => void>();
    const link: ByteLink = {
      up: true,
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      onData: (l) => {
        dataListeners.add(l);
        return () => dataListeners.delete(l);
      },
      onState: () => () => {},
      close: async () => void socket.destroy(),
    };
    const endpoint = new MavEndpoint(link, 1, 1);
    this.endpoints.add(endpoint);
    endpoint.onMessage((m) => this.onMessage(m));
    socket.on('data', (b) => dataListeners.forEach((l) => l(b)));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.endpoints.delete(endpoint);
      endpoint.close();
    });
  }

  private send(m: MavLinkData): void {
    for (const e of this.endpoints) e.send(m);
  }

  private text(severity: number, text: string): void {
    this.send(message(common.StatusText, { severity, text, id: 0, chunkSeq: 0 }));
  }

  private ack(command: number, result: common.MavResult): void {
    this.send(message(common.CommandAck, { command, result, progress: 0, resultParam2: 0, targetSystem: 255, targetComponent: 190 }));
  }

  // ---- inbound --------------------------------------------------------------------------------

  private onMessage(m: MavLinkData): void {
    const now = this.options.clock.now();
    if (m instanceof minimal.Heartbeat) this.lastGcsMs = now;
    else if (m instanceof common.CommandLong) this.onCommand(m);
    else if (m instanceof common.ParamSet) {
      this.params.set(m.paramId, m.paramValue);
      this.send(message(common.ParamValue, { paramId: m.paramId, paramValue: m.paramValue, paramType: m.paramType, paramCount: this.params.size, paramIndex: 0 }));
    } else if (m instanceof common.MissionCount) this.onCount(m);
    else if (m instanceof common.MissionItemInt) this.onItem(m);
    else if (m instanceof common.MissionRequestList && !this.faults.silent) {
      const items = this.stored.get(m.missionType) ?? [];
      this.send(message(common.MissionCount, { targetSystem: 255, targetComponent: 190, count: items.length, missionType: m.missionType, opaqueId: 0 }));
    } else if (m instanceof common.MissionRequestInt && !this.faults.silent) {
      const item = this.stored.get(m.missionType)?.[m.seq];
      if (item) this.send(item);
    }
  }

  private onCommand(m: common.CommandLong): void {
    const p = [m._param1, m._param2, m._param3, m._param4, m._param5, m._param6, m._param7];
    const now = this.options.clock.now();
    this.commands.push({ command: m.command, params: p, atMs: now, landed: this.landed });
    const refuse = this.options.refuseOnce?.indexOf(m.command) ?? -1;
    if (refuse >= 0) {
      this.options.refuseOnce!.splice(refuse, 1);
      return this.ack(m.command, common.MavResult.FAILED);
    }
    switch (m.command) {
      case Cmd.COMPONENT_ARM_DISARM:
        if (p[0] === 1) {
          if (this.mode === MODE.AUTO) {
            this.text(common.MavSeverity.CRITICAL, 'Arm: Mode not armable');
            return this.ack(m.command, common.MavResult.FAILED);
          }
          if (now - this.bootMs < (this.options.ekfReadyAfterMs ?? 50_000)) {
            this.text(common.MavSeverity.CRITICAL, 'PreArm: Need Position Estimate');
            return this.ack(m.command, common.MavResult.FAILED);
          }
          this.armed = true;
          this.armedAtMs = now;
        } else this.disarm();
        return this.ack(m.command, common.MavResult.ACCEPTED);
      case Cmd.DO_SET_MODE:
        this.enterMode(p[1]!);
        return this.ack(m.command, common.MavResult.ACCEPTED);
      case Cmd.MISSION_START:
        if (!this.armed) return this.ack(m.command, common.MavResult.FAILED);
        this.mode = MODE.AUTO;
        this.startAt(1);
        return this.ack(m.command, common.MavResult.ACCEPTED);
      case Cmd.DO_SET_MISSION_CURRENT:
        this.current = p[0]!;
        if (this.mode === MODE.AUTO && !this.landed) this.startAt(this.current);
        return this.ack(m.command, common.MavResult.ACCEPTED);
      case Cmd.SET_MESSAGE_INTERVAL:
        return this.ack(m.command, common.MavResult.ACCEPTED);
      default:
        if (m.command === DO_SPRAYER) {
          this.setSprayer(p[0] === 1);
          return this.ack(m.command, common.MavResult.ACCEPTED);
        }
        return this.ack(m.command, common.MavResult.UNSUPPORTED);
    }
  }

  private enterMode(mode: number): void {
    const wasAuto = this.mode === MODE.AUTO && this.running;
    this.mode = mode;
    if (mode === MODE.AUTO) {
      // AUTO on the ground does not take off (observed on 4.6.3 SITL); in the air it carries on from the current item.
      if (!this.landed) this.startAt(Math.max(1, this.current));
      return;
    }
    this.running = false;
    if ((mode === MODE.BRAKE || mode === MODE.LOITER) && (wasAuto || this.speedMps > 0)) this.drift = this.options.brakeDriftM ?? 12;
  }

  private onCount(m: common.MissionCount): void {
    this.counts++;
    if (this.faults.silent) return;
    if ((this.faults.ignoreCounts ?? 0) > 0) {
      this.faults.ignoreCounts!--;
      return;
    }
    if (this.faults.nack !== undefined) return this.missionAck(m.missionType, this.faults.nack);
    if (this.upload?.timer) this.options.clock.clearTimeout(this.upload.timer);
    const order = [...Array(m.count).keys()];
    if (this.faults.reverseOrder) order.reverse();
    this.upload = { missionType: m.missionType, count: m.count, items: [], order };
    if (m.count === 0) return this.commitUpload();
    this.requestNext();
  }

  private onItem(m: common.MissionItemInt): void {
    this.itemsReceived.push(m.seq);
    const u = this.upload;
    if (!u || m.missionType !== u.missionType) return;
    if (m.seq !== u.order[0]) return this.requestNext();
    u.items[m.seq] = m;
    u.order.shift();
    // ArduCopter 4.6 SITL, landed and disarmed in AUTO after a mission's NAV_LAND: every item
    // written restarts the current command and says so.
    if (u.missionType === common.MavMissionType.MISSION && this.mode === MODE.AUTO) this.text(common.MavSeverity.WARNING, 'Auto mission changed, restarted command');
    if (u.order.length === 0) return this.commitUpload();
    this.requestNext();
  }

  private requestNext(): void {
    const u = this.upload!;
    const seq = u.order[0]!;
    if (u.timer) this.options.clock.clearTimeout(u.timer);
    // The receiver's own timeout: ask again if the item does not come.
    u.timer = this.options.clock.setTimeout(() => this.upload === u && this.requestNext(), 1500);
    const lose = this.faults.loseRequestFor?.indexOf(seq) ?? -1;
    if (lose >= 0) {
      this.faults.loseRequestFor!.splice(lose, 1);
      return;
    }
    const Request = this.options.requestInt ? common.MissionRequestInt : common.MissionRequest;
    const request = message(Request, { targetSystem: 255, targetComponent: 190, seq, missionType: u.missionType });
    this.send(request);
    if (this.faults.repeatRequests) this.send(request);
  }

  private commitUpload(): void {
    const u = this.upload!;
    if (u.timer) this.options.clock.clearTimeout(u.timer);
    this.upload = undefined;
    this.stored.set(u.missionType, u.items);
    if (u.missionType === common.MavMissionType.MISSION) {
      this.running = false;
      this.current = 0;
    }
    this.missionAck(u.missionType, common.MavMissionResult.ACCEPTED);
  }

  private missionAck(missionType: number, type: common.MavMissionResult): void {
    this.send(message(common.MissionAck, { targetSystem: 255, targetComponent: 190, type, missionType, opaqueId: 0 }));
  }

  // ---- mission execution ----------------------------------------------------------------------

  private get mission(): common.MissionItemInt[] {
    return this.stored.get(common.MavMissionType.MISSION) ?? [];
  }

  /** Runs DO items from `seq` on and makes the next NAV item current. */
  private startAt(seq: number): void {
    const items = this.mission;
    for (let i = seq; i < items.length; i++) {
      const item = items[i]!;
      if (NAV_COMMANDS.has(item.command)) {
        this.current = i;
        this.running = true;
        this.drift = undefined;
        return;
      }
      this.runDo(item);
    }
    this.running = false;
  }

  private runDo(item: common.MissionItemInt): void {
    if (item.command === Cmd.DO_CHANGE_SPEED) this.cruise = item.param2;
    else if (item.command === DO_SPRAYER) this.setSprayer(item.param1 === 1);
    // DO items are never "reached" (observed for DO_SPRAYER on 4.6.3 SITL).
  }

  private setSprayer(on: boolean): void {
    if (on === this.sprayer) return;
    this.sprayer = on;
    this.sprayEvents.push({ on, seq: this.current, x: this.x, y: this.y });
  }

  private reached(): void {
    this.reachedSeqs.push(this.current);
    this.send(message(common.MissionItemReached, { seq: this.current }));
    this.startAt(this.current + 1);
  }

  private disarm(): void {
    this.armed = false;
    this.running = false;
    this.armedAtMs = undefined;
    this.text(common.MavSeverity.INFO, 'Disarming motors');
  }

  private step(dtS: number): void {
    const now = this.options.clock.now();
    if (this.armed) this.batteryPct = Math.max(0, this.batteryPct - dtS / 6);
    if (this.armed && this.landed && !this.running && this.armedAtMs !== undefined && now - this.armedAtMs > (this.options.groundDisarmMs ?? 10_000)) this.disarm();
    const fsTimeoutMs = (this.params.get('FS_GCS_TIMEOUT') ?? 5) * 1000;
    if (this.params.get('FS_GCS_ENABLE') === 1 && this.armed && !this.landed && this.mode !== MODE.RTL && this.mode !== MODE.LAND && now - this.lastGcsMs > fsTimeoutMs) {
      this.text(common.MavSeverity.CRITICAL, 'GCS Failsafe');
      this.enterMode(MODE.RTL);
    }
    if (this.drift !== undefined) return this.stepDrift(dtS);
    if (this.mode === MODE.AUTO && this.running) {
      const item = this.mission[this.current];
      if (!item) return;
      const target = this.frame.toLocal(item.x / 1e7, item.y / 1e7);
      switch (item.command) {
        case Cmd.NAV_TAKEOFF:
          this.landed = false;
          if (this.climb(item.z, dtS)) this.reached();
          return;
        case Cmd.NAV_WAYPOINT:
          if (this.flyTo(target.x, target.y, item.z, this.cruise, dtS)) this.reached();
          return;
        case Cmd.NAV_LOITER_TIME:
          // ArduCopter counts param1 seconds from arrival at the point (mode_auto.cpp verify_loiter_time).
          if (!this.flyTo(target.x, target.y, item.z, this.cruise, dtS)) return;
          this.loiterSinceMs ??= now;
          if (now - this.loiterSinceMs >= item.param1 * 1000) {
            this.loiterSinceMs = undefined;
            this.reached();
          }
          return;
        case Cmd.NAV_LAND:
          if (this.flyTo(target.x, target.y, this.altM, this.cruise, dtS) && this.descend(dtS)) this.reached();
          return;
        case Cmd.NAV_RETURN_TO_LAUNCH:
          if (this.returnHome(dtS)) this.reached();
          return;
      }
    } else if (this.mode === MODE.RTL && !this.landed) this.returnHome(dtS);
    else if (this.mode === MODE.LAND && !this.landed) this.descend(dtS);
    else this.speedMps = 0;
  }

  private stepDrift(dtS: number): void {
    const move = Math.min(this.drift!, Math.max(this.speedMps, 2) * dtS);
    this.x += Math.sin(this.course) * move;
    this.y += Math.cos(this.course) * move;
    this.drift! -= move;
    if (this.drift! <= 0) {
      this.drift = undefined;
      this.speedMps = 0;
    }
  }

  private returnHome(dtS: number): boolean {
    const rtlAlt = (this.params.get('RTL_ALT') ?? 1500) / 100;
    if (Math.hypot(this.x, this.y) > 0.3) {
      if (this.altM < rtlAlt - 0.1) {
        this.climb(rtlAlt, dtS);
        return false;
      }
      this.flyTo(0, 0, this.altM, this.cruise, dtS);
      return false;
    }
    return this.descend(dtS);
  }

  private climb(altM: number, dtS: number): boolean {
    this.altM = Math.min(altM, this.altM + 3 * dtS);
    this.speedMps = 0;
    return this.altM >= altM - 0.01;
  }

  private descend(dtS: number): boolean {
    this.altM = Math.max(0, this.altM - 1.5 * dtS);
    if (this.altM > 0) return false;
    this.landed = true;
    this.speedMps = 0;
    this.setSprayer(false);
    this.disarm();
    return true;
  }

  private flyTo(x: number, y: number, altM: number, speed: number, dtS: number): boolean {
    const dx = x - this.x;
    const dy = y - this.y;
    const d = Math.hypot(dx, dy);
    this.altM += Math.sign(altM - this.altM) * Math.min(Math.abs(altM - this.altM), 3 * dtS);
    if (d > 1e-3) this.course = Math.atan2(dx, dy);
    const move = Math.min(d, speed * dtS);
    this.speedMps = d > 1e-3 ? speed : 0;
    if (d > 0) {
      this.x += (dx / d) * move;
      this.y += (dy / d) * move;
    }
    return d - move < 0.3 && Math.abs(altM - this.altM) < 0.1;
  }

  // ---- outbound streams -----------------------------------------------------------------------

  private schedule(): void {
    const from = this.options.clock.now();
    this.tick = this.options.clock.setTimeout(() => {
      // Steps by the clock time that passed: timers fire late on a busy machine.
      this.step(Math.min(1, (this.options.clock.now() - from) / 1000) * (this.options.timeScale ?? 1));
      this.stream();
      this.schedule();
    }, TICK_MS);
  }

  private stream(): void {
    const now = this.options.clock.now();
    const ekfReady = now - this.bootMs >= (this.options.ekfReadyAfterMs ?? 50_000);
    if (now - this.lastHeartbeatMs >= 1000) {
      this.lastHeartbeatMs = now;
      this.send(
        message(minimal.Heartbeat, {
          type: minimal.MavType.QUADROTOR,
          autopilot: minimal.MavAutopilot.ARDUPILOTMEGA,
          baseMode: (minimal.MavModeFlag.CUSTOM_MODE_ENABLED | (this.armed ? minimal.MavModeFlag.SAFETY_ARMED : 0)) as minimal.MavModeFlag,
          customMode: this.mode,
          systemStatus: this.armed ? minimal.MavState.ACTIVE : minimal.MavState.STANDBY,
          mavlinkVersion: 3,
        }),
      );
      const S = common.MavSysStatusSensor;
      const sensors = (S.SENSOR_GPS | (ekfReady ? S.AHRS : 0)) as common.MavSysStatusSensor;
      this.send(
        message(common.SysStatus, {
          onboardControlSensorsPresent: sensors,
          onboardControlSensorsEnabled: sensors,
          onboardControlSensorsHealth: sensors,
          batteryRemaining: Math.round(this.batteryPct),
          voltageBattery: 50_000,
          currentBattery: -1,
        }),
      );
      this.send(message(common.GpsRawInt, { fixType: common.GpsFixType.GPS_FIX_TYPE_3D_FIX, satellitesVisible: 14 }));
      const F = ardupilotmega.EkfStatusFlags;
      const flags = F.ATTITUDE | F.VELOCITY_HORIZ | F.VELOCITY_VERT | F.POS_HORIZ_REL | F.POS_VERT_ABS | (ekfReady ? F.POS_HORIZ_ABS | F.PRED_POS_HORIZ_ABS : 0);
      this.send(message(ardupilotmega.EkfStatusReport, { flags: flags as ardupilotmega.EkfStatusFlags }));
      this.send(message(ardupilotmega.Wind, { direction: 225, speed: 3.2, speedZ: 0 }));
      if (this.tankL !== undefined) {
        this.send(
          message(common.FuelStatus, {
            id: 0,
            maximumFuel: 20_000,
            consumedFuel: NaN,
            remainingFuel: this.tankL * 1000,
            percentRemaining: 255,
            flowRate: NaN,
            temperature: NaN,
            fuelType: common.MavFuelType.LIQUID,
          }),
        );
      }
    }
    const p = this.position();
    const heading = ((this.course * 180) / Math.PI + 360) % 360;
    this.send(
      message(common.GlobalPositionInt, {
        timeBootMs: Math.round((now - this.bootMs) * (this.options.timeScale ?? 1)) >>> 0,
        lat: Math.round(p.lat * 1e7),
        lon: Math.round(p.lon * 1e7),
        alt: Math.round(this.altM * 1000),
        relativeAlt: Math.round(this.altM * 1000),
        vx: 0,
        vy: 0,
        vz: 0,
        hdg: Math.round(heading * 100),
      }),
    );
    this.send(message(common.VfrHud, { groundspeed: this.speedMps, airspeed: this.speedMps, heading: Math.round(heading), throttle: 0, alt: this.altM, climb: 0 }));
    this.send(message(common.ExtendedSysState, { landedState: this.landed ? common.MavLandedState.ON_GROUND : common.MavLandedState.IN_AIR }));
    this.send(
      message(common.MissionCurrent, { seq: this.current, total: this.mission.length, missionState: 0 as common.MissionState, missionMode: 0, missionId: 0, fenceId: 0, rallyPointsId: 0 }),
    );
  }
}
