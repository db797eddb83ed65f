import type { MqttClient } from 'mqtt';
import {
  assertOutbound,
  describeProblems,
  droneCommandSchema,
  droneConnectionSchema,
  droneMissionSchema,
  droneTelemetrySchema,
  droneTopic,
  parseJsonWith,
  type Clock,
  type ClockTimer,
  type DroneMission,
  type DroneTelemetry,
  type DroneTopic,
} from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import type { DroneDriver } from './driver.js';
import { SortiePilot, type PilotSettings } from './sortie-pilot.js';
import { SeenIds } from '../seen-ids.js';
import { connectMqtt, type LinkGate, type MqttCredentials } from '../../common/mqtt/connect-mqtt.js';

/** Options of {@link DroneAgent}. */
export interface DroneAgentOptions {
  mqttUrl: string;
  droneId: string;
  driver: DroneDriver;
  clock: Clock;
  /** Periodic telemetry (clock ms); telemetry is also sent on every waypoint, pump change and command. Default 1000. */
  telemetryIntervalMs?: number;
  /** Link loss failsafe before a mission says otherwise, s. Default 10 (ArduPilot FS_GCS_TIMEOUT is 5). */
  linkLossTimeoutS?: number;
  /** MQTT reconnect period, clock ms. Default 1000. */
  reconnectPeriodMs?: number;
  /** The radio; the simulator gates it to inject link loss. */
  link?: LinkGate;
  /** The drone's broker login (its id, `@{site}` at a site, and password), when the broker asks. */
  credentials?: MqttCredentials;
  /** The site on a broker shared by several (`siteIdSchema`): its topics' interface name `isofleet-{site}`. None: `isofleet`. */
  site?: string;
  pilot?: Partial<PilotSettings>;
  logger?: Logger;
}

const silentLogger: Logger = { info: () => {}, warn: () => {} };

/**
 * The drone side of `isofleet/v1/drones/{id}/…` (`isofleet-{site}/…` at a site): one MQTT client per drone. Takes the mission
 * and commands, flies them with a {@link SortiePilot} on the driver, publishes telemetry and a
 * retained `connection` (ONLINE after every (re)connect, CONNECTIONBROKEN as last will). Returns
 * home on its own when the link has been down longer than the timeout.
 */
export class DroneAgent {
  readonly pilot: SortiePilot;
  private client?: MqttClient;
  private readonly headerIds = new Map<DroneTopic, number>();
  private telemetryQueued = false;
  private tick?: ClockTimer;
  private linkTimer?: ClockTimer;
  private teardownDriver?: () => void;
  private teardownLog?: () => void;
  /** The aircraft's lines since the last telemetry (kept to the newest 50). */
  private pendingLog: Array<{ level: 'info' | 'warn' | 'error'; message: string }> = [];
  private commands: Promise<void> = Promise.resolve();
  private lastCommand?: DroneTelemetry['lastCommand'];
  private readonly seenCommands = new SeenIds();
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly options: DroneAgentOptions) {
    this.log = options.logger ?? silentLogger;
    this.pilot = new SortiePilot(
      options.driver,
      options.clock,
      () => this.queueTelemetry(),
      options.pilot,
      (error) => this.log.warn({ drone: options.droneId, err: error.message }, 'flight task failed'),
    );
  }

  get droneId(): string {
    return this.options.droneId;
  }

  /** Connects, says ONLINE and starts reporting. */
  async start(): Promise<void> {
    const { droneId, mqttUrl } = this.options;
    const client = await connectMqtt(
      mqttUrl,
      {
        // Its device id: brokers with logins take a device under no other (brokerAuth; Mosquitto's use_username_as_clientid).
        clientId: droneId,
        // A persistent session: the broker keeps QoS 1 commands sent while the radio is down.
        clean: false,
        reconnectPeriod: this.options.reconnectPeriodMs ?? 1000,
        clock: this.options.clock,
        ...this.options.credentials,
        will: { topic: this.topic('connection'), payload: Buffer.from(JSON.stringify(this.connection('CONNECTIONBROKEN'))), qos: 1, retain: true },
        // Before the CONNACK: commands the broker queued for this session come right behind it.
        onMessage: (topic, payload) => this.onMessage(topic, payload.toString()),
      },
      this.options.link,
    );
    this.client = client;
    // ONLINE after every reconnect, not only the first (vda-5050-lib#38); the link-loss timer stops.
    client.on('connect', () => {
      this.linkUp();
      void this.publish('connection', this.connection('ONLINE'), { retain: true, qos: 1 });
    });
    client.on('close', () => this.linkDown());
    client.on('error', (error) => this.log.warn({ drone: droneId, err: error.message }, 'mqtt error'));
    await client.subscribeAsync([this.topic('mission'), this.topic('command')], { qos: 1 });
    await this.publish('connection', this.connection('ONLINE'), { retain: true, qos: 1 });
    this.teardownDriver = this.options.driver.onStatusChange(() => this.queueTelemetry());
    this.teardownLog = this.options.driver.onLog?.((entry) => {
      this.pendingLog.push({ level: entry.level, message: entry.message.slice(0, 200) });
      if (this.pendingLog.length > 50) this.pendingLog.shift();
      this.log[entry.level === 'info' ? 'info' : 'warn']({ drone: this.droneId, said: entry.message }, 'aircraft');
      this.queueTelemetry();
    });
    this.scheduleTick();
    this.publishTelemetry();
  }

  /** Says OFFLINE (retained) and disconnects; the aircraft stays where it is. */
  async stop(): Promise<void> {
    this.halt();
    const client = this.client;
    if (!client) return;
    if (client.connected) await this.publish('connection', this.connection('OFFLINE'), { retain: true, qos: 1 });
    await client.endAsync(true);
  }

  /** Drops the link without a goodbye and never comes back (a crash): the broker sends the last will. */
  async crash(): Promise<void> {
    this.halt();
    this.client?.stream.destroy();
    await this.client?.endAsync(true);
  }

  /** Cuts the current connection (a radio drop); it comes back when the link gate lets it. */
  dropLink(): void {
    this.client?.stream.destroy();
  }

  /**
   * Reconnects now instead of at the client's next retry (the radio is back). Only when no
   * attempt is in flight (the last stream has closed): mqtt.js counts the close of a stream it
   * has replaced as the client's own, so a second stream beside one still connecting starts a
   * loop (the broker hands the client id's session to the newer one, the older one's close
   * schedules another attempt, which takes the session back, …: seen as hundreds of link
   * lost / link back pairs in a mission's log). An attempt in flight retries on its own.
   */
  relink(): void {
    const client = this.client;
    if (client && !client.connected && !this.stopped && client.stream.closed) client.reconnect();
  }

  private halt(): void {
    this.stopped = true;
    this.teardownDriver?.();
    this.teardownLog?.();
    if (this.tick) this.options.clock.clearTimeout(this.tick);
    if (this.linkTimer) this.options.clock.clearTimeout(this.linkTimer);
  }

  private linkDown(): void {
    if (this.stopped || this.linkTimer) return;
    const timeoutS = this.pilot.mission?.linkLossTimeoutS ?? this.options.linkLossTimeoutS ?? 10;
    this.linkTimer = this.options.clock.setTimeout(() => {
      this.linkTimer = undefined;
      if (this.stopped || this.client?.connected) return;
      this.log.warn({ drone: this.droneId }, 'link lost: returning home');
      this.enqueue(() => this.pilot.linkLost());
    }, timeoutS * 1000);
  }

  private linkUp(): void {
    if (this.linkTimer) this.options.clock.clearTimeout(this.linkTimer);
    this.linkTimer = undefined;
  }

  private onMessage(topic: string, text: string): void {
    if (topic === this.topic('mission')) {
      const parsed = parseJsonWith(droneMissionSchema, text);
      if (!parsed.ok) return this.log.warn({ drone: this.droneId, problems: describeProblems(parsed.problems) }, 'invalid mission dropped');
      const mission = parsed.value;
      this.enqueue(async () => {
        const refused = this.pilot.setMission(mission) ?? (await this.sendFence(mission));
        this.lastCommand = { commandId: `mission:${mission.missionId}`, accepted: !refused, ...(refused ? { reason: refused } : {}) };
        this.queueTelemetry();
      });
    } else if (topic === this.topic('command')) {
      const parsed = parseJsonWith(droneCommandSchema, text);
      if (!parsed.ok) {
        const commandId = (() => {
          try {
            return String((JSON.parse(text) as { commandId?: unknown }).commandId ?? '?');
          } catch {
            return '?';
          }
        })();
        this.lastCommand = { commandId, accepted: false, reason: describeProblems(parsed.problems) };
        this.log.warn({ drone: this.droneId, problems: this.lastCommand.reason }, 'invalid command refused');
        return this.queueTelemetry();
      }
      const command = parsed.value;
      if (!this.seenCommands.firstTime(command.commandId)) return this.log.info({ drone: this.droneId, commandId: command.commandId }, 'repeated command ignored');
      this.enqueue(async () => {
        const refused = await this.pilot.command(command);
        this.lastCommand = { commandId: command.commandId, accepted: !refused, ...(refused ? { reason: refused } : {}) };
        this.log.info({ drone: this.droneId, command: command.command, refused }, 'command');
        this.queueTelemetry();
      });
    }
  }

  /**
   * An aircraft that holds a fence itself gets the mission's geofence and keepouts, the return
   * height and the link-loss timeout, so it keeps to them with the bridge gone. Returns why not.
   */
  private async sendFence(mission: DroneMission): Promise<string | undefined> {
    const driver = this.options.driver;
    if (!driver.setFence || !mission.geofence) return undefined;
    try {
      await driver.setFence({
        geofence: mission.geofence,
        keepouts: mission.keepouts ?? [],
        returnAltM: mission.transitAltM ?? 20,
        linkLossTimeoutS: mission.linkLossTimeoutS ?? this.options.linkLossTimeoutS ?? 10,
      });
      return undefined;
    } catch (error) {
      return `fence not set on the autopilot: ${(error as Error).message}`;
    }
  }

  /** Commands run one after another, so an interrupt finishes before the next command looks at the state. */
  private enqueue(step: () => Promise<void>): void {
    this.commands = this.commands.then(step).catch((error: Error) => this.log.warn({ drone: this.droneId, err: error.message }, 'command failed'));
  }

  private scheduleTick(): void {
    const { clock, telemetryIntervalMs = 1000 } = this.options;
    this.tick = clock.setTimeout(() => {
      if (this.stopped) return;
      this.enqueue(() => this.pilot.check());
      this.publishTelemetry();
      this.scheduleTick();
    }, telemetryIntervalMs);
  }

  private queueTelemetry(): void {
    if (this.telemetryQueued || this.stopped) return;
    this.telemetryQueued = true;
    // Several changes in one turn (a waypoint reached, the pump switched) make one message, taken at that point.
    queueMicrotask(() => {
      this.telemetryQueued = false;
      this.publishTelemetry();
    });
  }

  private publishTelemetry(): void {
    if (this.stopped || !this.client) return;
    const s = this.options.driver.status();
    const p = this.pilot;
    const message: DroneTelemetry = {
      ...this.header('telemetry'),
      lat: s.lat,
      lon: s.lon,
      altM: round(s.altM, 2),
      groundSpeedMps: round(s.groundSpeedMps, 2),
      headingDeg: round(s.headingDeg, 1) % 360,
      batteryPct: round(Math.min(100, Math.max(0, s.batteryPct)), 2),
      tankL: round(Math.max(0, s.tankL), 3),
      tankSource: s.tankSource,
      pumpOn: s.pumpOn,
      flowLPerMin: round(s.flowLPerMin, 3),
      sprayedL: round(s.sprayedL, 4),
      windMps: round(s.windMps, 2),
      windDirDeg: round(s.windDirDeg, 1) % 360,
      mode: p.mode,
      lastCompletedSortie: p.lastCompletedSortie,
      ...(p.mission ? { missionId: p.mission.missionId } : {}),
      ...(p.sortie !== undefined ? { sortie: p.sortie } : {}),
      ...(p.waypoint !== undefined ? { waypoint: p.waypoint } : {}),
      ...(p.resume ? { resume: p.resume } : {}),
      ...(p.alarm ? { alarm: p.alarm } : {}),
      ...(this.lastCommand ? { lastCommand: this.lastCommand } : {}),
      autopilot: {
        armed: s.armed,
        flightMode: s.flightMode,
        gpsOk: s.gpsOk,
        ekfOk: s.ekfOk,
        ...(s.externalControl ? { externalControl: s.externalControl } : {}),
        ...(s.notice ? { notice: s.notice } : {}),
        capabilities: [...this.options.driver.capabilities],
      },
      ...(this.options.driver.payload ? { payload: this.options.driver.payload.state() } : {}),
      ...(this.pendingLog.length ? { log: this.pendingLog } : {}),
    };
    this.pendingLog = [];
    void this.publish('telemetry', message);
  }

  private connection(connectionState: 'ONLINE' | 'OFFLINE' | 'CONNECTIONBROKEN') {
    return { ...this.header('connection'), connectionState };
  }

  private header(topic: DroneTopic) {
    const headerId = this.headerIds.get(topic) ?? 0;
    this.headerIds.set(topic, headerId + 1);
    return { headerId, timestamp: new Date(this.options.clock.now()).toISOString(), droneId: this.droneId };
  }

  private topic(topic: DroneTopic): string {
    return droneTopic(this.droneId, topic, this.options.site);
  }

  private async publish(topic: DroneTopic, message: object, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
    // Outbound messages must match the contract; a mismatch is our bug, caught in tests.
    assertOutbound(outboundSchemas[topic], message);
    // While the link is down mqtt.js queues telemetry and sends it on reconnect: the controller
    // then still learns what was sprayed meanwhile (coverage is built from telemetry).
    try {
      await this.client?.publishAsync(this.topic(topic), JSON.stringify(message), { qos: options.qos ?? 0, retain: options.retain ?? false });
    } catch (error) {
      this.log.warn({ topic, err: (error as Error).message }, 'publish failed');
    }
  }
}

const outboundSchemas: Partial<Record<DroneTopic, { parse(value: unknown): unknown }>> = {
  telemetry: droneTelemetrySchema,
  connection: droneConnectionSchema,
};

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
