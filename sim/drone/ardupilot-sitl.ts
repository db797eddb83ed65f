/**
 * ArduCopter SITL instances: ArduPilot's own flight code with a simulated airframe and sprayer
 * (GPLv3, built from ArduPilot's source outside this repository: `./waf configure --board sitl &&
 * ./waf copter`, the binary named by `ARDUPILOT_SITL`). The one place that starts them, for
 * `npm run test:sitl`, `npm run bench:sitl` and `npm run scenario -- --sitl N`.
 *
 * Instance N listens on TCP 5760 + 10·N (SERIAL0: the bridge's link, as a telemetry radio would
 * be) and 5762 + 10·N (SERIAL1: the {@link SitlWatch}, which plays the world around the aircraft:
 * it reads the pump's servo output and the autopilot's own clock, and stands in for the crew's
 * battery swap and a pilot's mode switch). The bridge is given nothing that says it is simulated;
 * only its clock runs at the instance's speed-up, as everything around a simulated aircraft must.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ardupilotmega, common, minimal } from 'node-mavlink';
import { MavlinkDroneDriver } from '../../firmware-bridge/drone/mavlink/mavlink-drone-driver.js';
import { sendCommand } from '../../firmware-bridge/drone/mavlink/commands.js';
import { MavEndpoint } from '../../firmware-bridge/drone/mavlink/endpoint.js';
import { TcpLink } from '../../firmware-bridge/drone/mavlink/link.js';
import { MISSION_TIMING } from '../../firmware-bridge/drone/mavlink/mission-transfer.js';
import { systemClock, type Clock, type GeoPoint } from '../../protocol/index.js';

/**
 * Parameters on top of ArduPilot's SITL copter defaults: the sprayer (SPRAY_ENABLE, pump on
 * SERVO9 = function 22, spinner on SERVO10 = function 23) and the simulated sprayer reading
 * them (SIM_SPR_*). Pump output follows ground speed (SPRAY_PUMP_RATE, % per m/s) above
 * SPRAY_SPEED_MIN (cm/s).
 */
export const SITL_SPRAYER_PARAMS: Readonly<Record<string, number>> = {
  SPRAY_ENABLE: 1,
  SERVO9_FUNCTION: 22,
  SERVO10_FUNCTION: 23,
  SIM_SPR_ENABLE: 1,
  SIM_SPR_PUMP: 9,
  SIM_SPR_SPIN: 10,
  SPRAY_PUMP_RATE: 10,
  SPRAY_SPEED_MIN: 100,
};

/** Pump servo output at or below this is off (SERVO9_MIN 1100 µs). */
export const PUMP_OFF_PWM = 1100;

/** The SITL binary from `ARDUPILOT_SITL`, or the line that says what is missing. */
export function sitlBinaryFromEnv(env: NodeJS.ProcessEnv = process.env): { ok: true; binary: string } | { ok: false; message: string } {
  const binary = env.ARDUPILOT_SITL;
  if (!binary)
    return {
      ok: false,
      message: 'needs ARDUPILOT_SITL: the path to an ArduCopter SITL binary (build/sitl/bin/arducopter, built from ArduPilot with ./waf configure --board sitl && ./waf copter)',
    };
  if (!existsSync(binary)) return { ok: false, message: `ARDUPILOT_SITL=${binary}: no such file` };
  return { ok: true, binary: resolve(binary) };
}

/**
 * ArduPilot's SITL copter defaults: `ARDUPILOT_DEFAULTS`, else
 * `Tools/autotest/default_params/copter.parm` of the source tree the binary was built in
 * (`<tree>/build/sitl/bin/arducopter`).
 */
export function sitlDefaultsFile(binary: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARDUPILOT_DEFAULTS) return env.ARDUPILOT_DEFAULTS;
  let dir = dirname(binary);
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'Tools/autotest/default_params/copter.parm');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`no Tools/autotest/default_params/copter.parm above ${binary}: set ARDUPILOT_DEFAULTS`);
}

/** Options of {@link startSitl}. */
export interface SitlOptions {
  binary: string;
  /** One instance per home (the pad it stands on). */
  homes: GeoPoint[];
  /** Simulated seconds per real second (faithful up to about 20 on a laptop). */
  speedup: number;
  /** Parameters on top of the copter defaults and {@link SITL_SPRAYER_PARAMS}. */
  params?: Record<string, number>;
  /** Instance number of the first one (ports 5760 + 10·N). Default 0. */
  firstInstance?: number;
}

/** One running ArduCopter SITL. */
export interface SitlInstance {
  instance: number;
  home: GeoPoint;
  /** The autopilot's MAVLink port for the bridge (SERIAL0), 5760 + 10·instance. */
  port: number;
  /** A second MAVLink port (SERIAL1), 5762 + 10·instance. */
  watchPort: number;
  process: ChildProcess;
  /** The last lines it printed (for an error message). */
  output: () => string;
}

/** Running SITL instances. */
export interface SitlFleet {
  instances: SitlInstance[];
  speedup: number;
  stop(): Promise<void>;
}

/**
 * Starts one ArduCopter SITL per home (a `+` quad with the sprayer, EEPROM wiped, each in its own
 * temporary directory). SITL waits for a client on SERIAL0 before its clock starts; the links
 * retry until it listens.
 */
export async function startSitl(options: SitlOptions): Promise<SitlFleet> {
  const defaults = sitlDefaultsFile(options.binary);
  const first = options.firstInstance ?? 0;
  const params = { ...SITL_SPRAYER_PARAMS, ...options.params };
  const dirs: string[] = [];
  const instances = options.homes.map((home, i): SitlInstance => {
    const instance = first + i;
    const dir = mkdtempSync(join(tmpdir(), `isofleet-sitl-${instance}-`));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'isofleet.parm'),
      Object.entries(params)
        .map(([k, v]) => `${k} ${v}\n`)
        .join(''),
    );
    const child = spawn(
      options.binary,
      [
        '-w',
        '--model',
        '+',
        '--speedup',
        String(options.speedup),
        '-I',
        String(instance),
        '--home',
        `${home.lat},${home.lon},50,0`,
        '--defaults',
        `${defaults},${join(dir, 'isofleet.parm')}`,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let tail = '';
    const keep = (b: Buffer) => (tail = (tail + b.toString()).slice(-2000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return { instance, home, port: 5760 + 10 * instance, watchPort: 5762 + 10 * instance, process: child, output: () => tail };
  });
  const kill = () => {
    for (const s of instances) if (s.process.exitCode === null) s.process.kill('SIGTERM');
  };
  const onExit = () => kill();
  process.once('exit', onExit);
  const fleet: SitlFleet = {
    instances,
    speedup: options.speedup,
    stop: async () => {
      process.off('exit', onExit);
      await Promise.all(
        instances.map(
          (s) =>
            new Promise<void>((done) => {
              if (s.process.exitCode !== null || s.process.signalCode !== null) return done();
              s.process.once('exit', () => done());
              s.process.kill('SIGTERM');
            }),
        ),
      );
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(instances.map((s) => started(s)));
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

/** Rejects when the instance exits within its first second (a bad binary, a port in use). */
async function started(s: SitlInstance): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
  if (s.process.exitCode !== null || s.process.signalCode !== null)
    throw new Error(`ArduCopter SITL ${s.instance} exited (${s.process.exitCode ?? s.process.signalCode}): ${s.output().trim().split('\n').slice(-3).join(' | ')}`);
}

/**
 * The bridge's driver on an instance: TCP to its SERIAL0, the bridge's clock running at the
 * instance's speed (the autopilot's GCS failsafe counts our heartbeats in its own time), and the
 * mission protocol's timeouts and the wait for arming kept at their real-time values (they are
 * about the link and the machine).
 */
export function connectSitlDriver(s: SitlInstance, clock: Clock, speedup: number, timeoutMs = 120_000): Promise<MavlinkDroneDriver> {
  return MavlinkDroneDriver.connect(
    {
      link: new TcpLink('127.0.0.1', s.port, 500),
      clock,
      timing: { timeoutMs: MISSION_TIMING.timeoutMs * speedup, itemTimeoutMs: MISSION_TIMING.itemTimeoutMs * speedup, retries: MISSION_TIMING.retries },
      // On a loaded machine SITL runs slower than its speed-up: the wait for arming counts real time.
      armWaitMs: 180_000 * speedup,
    },
    timeoutMs * speedup,
  );
}

/** A point of the track a {@link SitlWatch} records. */
export interface SitlTrackPoint {
  /** Autopilot time since boot, ms (simulated). */
  bootMs: number;
  lat: number;
  lon: number;
  /** Height above home, m. */
  altM: number;
  groundSpeedMps: number;
  /** Pump servo output, µs. */
  pumpPwm: number;
  armed: boolean;
}

/**
 * A second MAVLink station on an instance's SERIAL1 (sysid 254, not the bridge's 255): records the
 * autopilot's track, pump output and clock, and plays the crew and the pilot.
 */
export class SitlWatch {
  readonly track: SitlTrackPoint[] = [];
  armed = false;
  mode?: number;
  bootMs = 0;
  pumpPwm = 0;
  groundSpeedMps = 0;
  batteryPct = 100;
  /** Autopilot time of every arm and disarm, ms. */
  readonly armings: Array<{ armed: boolean; bootMs: number }> = [];
  readonly endpoint: MavEndpoint;
  private readonly target = { sysid: 1, compid: 1 };

  private constructor(private readonly link: TcpLink) {
    this.endpoint = new MavEndpoint(link, 254, 190);
    const e = this.endpoint;
    e.on(minimal.Heartbeat, (m) => {
      if (m.autopilot === minimal.MavAutopilot.INVALID) return;
      const armed = (m.baseMode & minimal.MavModeFlag.SAFETY_ARMED) !== 0;
      if (armed !== this.armed) this.armings.push({ armed, bootMs: this.bootMs });
      this.armed = armed;
      this.mode = m.customMode;
    });
    e.on(common.VfrHud, (m) => (this.groundSpeedMps = m.groundspeed));
    e.on(common.ServoOutputRaw, (m) => (this.pumpPwm = m.servo9Raw));
    e.on(common.SysStatus, (m) => {
      if (m.batteryRemaining >= 0) this.batteryPct = m.batteryRemaining;
    });
    e.on(common.GlobalPositionInt, (m) => {
      this.bootMs = m.timeBootMs;
      this.track.push({
        bootMs: m.timeBootMs,
        lat: m.lat / 1e7,
        lon: m.lon / 1e7,
        altM: m.relativeAlt / 1000,
        groundSpeedMps: this.groundSpeedMps,
        pumpPwm: this.pumpPwm,
        armed: this.armed,
      });
    });
  }

  /** Connects to the instance's SERIAL1 and asks for position, servo output and speed at 10 Hz (simulated). */
  static async open(s: SitlInstance): Promise<SitlWatch> {
    const link = new TcpLink('127.0.0.1', s.watchPort, 500);
    await link.connected();
    const watch = new SitlWatch(link);
    for (const id of [common.GlobalPositionInt.MSG_ID, common.ServoOutputRaw.MSG_ID, common.VfrHud.MSG_ID, common.SysStatus.MSG_ID]) {
      const r = await watch.command(common.MavCmd.SET_MESSAGE_INTERVAL, [id, 100_000]);
      if (!r.ok) throw new Error(`SITL ${s.instance} SERIAL1: ${r.reason}`);
    }
    return watch;
  }

  /** Sends a COMMAND_LONG to the autopilot from this station. */
  command(command: common.MavCmd, params: Parameters<typeof sendCommand>[2] = []) {
    return sendCommand({ endpoint: this.endpoint, target: this.target, clock: systemClock, timeoutMs: 3000 }, command, params);
  }

  /** The crew swapped the battery: ArduPilot's MAV_CMD_BATTERY_RESET (all monitors to 100 %), as a station sends after a swap the monitor cannot see. */
  swapBattery() {
    return this.command(ardupilotmega.MavCmd.BATTERY_RESET as number as common.MavCmd, [0xff, 100]);
  }

  /** Airborne time (first arm to last disarm) by the autopilot's clock, s; undefined before a flight ended. */
  flightSpanS(): number | undefined {
    const firstArm = this.armings.find((a) => a.armed);
    const lastDisarm = this.armings.findLast((a) => !a.armed);
    if (!firstArm || !lastDisarm || lastDisarm.bootMs < firstArm.bootMs) return undefined;
    return (lastDisarm.bootMs - firstArm.bootMs) / 1000;
  }

  /** Armed time summed over flights by the autopilot's clock, s. */
  armedS(): number {
    let total = 0;
    let since: number | undefined;
    for (const a of this.armings) {
      if (a.armed) since = a.bootMs;
      else if (since !== undefined) {
        total += a.bootMs - since;
        since = undefined;
      }
    }
    if (since !== undefined) total += this.bootMs - since;
    return total / 1000;
  }

  async close(): Promise<void> {
    this.endpoint.close();
    await this.link.close();
  }
}
