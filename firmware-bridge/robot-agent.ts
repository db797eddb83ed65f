import type { MqttClient } from 'mqtt';
import {
  assertOutbound,
  batteryUnknownInfo,
  connectionSchema,
  describeProblems,
  factsheetSchema,
  instantActionsSchema,
  messageVersion,
  orderSchema,
  parseWith,
  readInstantActionsKey,
  robotActionParameters,
  stateSchema,
  toVdaVersion,
  trayLoadPosition,
  VDA_VERSION,
  vdaTopic,
  visualizationSchema,
  type VdaVersion,
  type Action,
  type Clock,
  type ErrorReference,
  type ConnectionState,
  type Language,
  type VdaTopic,
  type VehicleId,
} from '../protocol/index.js';
import type { RobotDriver } from './driver.js';
import { buildFactsheet } from './factsheet.js';
import type { LiftPort } from './lift-port.js';
import { OrderExecutor } from './order-executor.js';
import { SeenIds } from './seen-ids.js';
import { setCharging } from './run-action.js';
import { connectMqtt, type Logger, type MqttCredentials } from '../common/index.js';

export interface RobotAgentOptions {
  mqttUrl: string;
  vehicle: VehicleId;
  driver: RobotDriver;
  clock: Clock;
  /** Node the robot stands on when the bridge starts. */
  startNodeId: string;
  /** Heartbeat: state is sent on every change and at least this often (clock ms). Default 30 s (VDA). */
  stateIntervalMs?: number;
  /** Position reports (clock ms). Default 1 s. */
  visualizationIntervalMs?: number;
  /** Announcement language when an order does not name one. Default `zh`. */
  language?: Language;
  logger?: Logger;
  /** The robot's broker login (its id `{manufacturer}/{serialNumber}`, `@{site}` at a site, and password), when the broker asks. */
  credentials?: MqttCredentials;
  /** The site on a broker shared by several (`siteIdSchema`): its topics' interface name `uagv-{site}`. None: `uagv`. */
  site?: string;
  /**
   * The VDA 5050 version it speaks until a master speaks to it: `2.1.0` (default) or `2.0.0`
   * for a 2.0 master that drops other versions (vda-5050-lib 1.4.0 does). It then answers in
   * the version of the master's last valid message.
   */
  vdaVersion?: VdaVersion;
  /**
   * The site's lifts, as the site integration drives them. With one the robot takes `liftRide`
   * on lift edges (and lists it with `liftGranted` in its factsheet): it waits at the landing
   * until the master grants the car, then rides through the port. Without, a lift edge is the
   * driver's to drive like any other.
   */
  lift?: LiftPort;
}

const silentLogger: Logger = { info: () => {}, warn: () => {} };

/**
 * The robot side of VDA 5050: one MQTT client per robot, running orders on its driver.
 * Publishes a retained `connection` (ONLINE after every (re)connect, CONNECTIONBROKEN as last
 * will), a retained factsheet, state on every change and as a heartbeat, and visualization.
 */
export class RobotAgent {
  private client?: MqttClient;
  private readonly executor: OrderExecutor;
  private readonly headerIds = new Map<VdaTopic, number>();
  private stateQueued = false;
  private heartbeat?: ReturnType<Clock['setTimeout']>;
  private visualization?: ReturnType<Clock['setTimeout']>;
  private teardownDriver?: () => void;
  private readonly seenActions = new SeenIds();
  private stopped = false;
  private readonly log: Logger;
  private version: VdaVersion;
  /** Logged once: the master sends instant actions under `instantActions` (vda-5050-lib 1.4.0). */
  private quirkLogged = false;

  constructor(private readonly options: RobotAgentOptions) {
    this.log = options.logger ?? silentLogger;
    this.version = options.vdaVersion ?? VDA_VERSION;
    this.executor = new OrderExecutor(
      options.driver,
      () => this.queueState(),
      () => options.language ?? 'zh',
      options.startNodeId,
      options.lift,
    );
  }

  get serialNumber(): string {
    return this.options.vehicle.serialNumber;
  }

  /** Connects, announces itself and starts taking orders (again, after {@link crash}). */
  async start(): Promise<void> {
    this.stopped = false;
    const { vehicle, mqttUrl } = this.options;
    const client = await connectMqtt(mqttUrl, {
      clock: this.options.clock,
      // Its device id: brokers with logins take a device under no other (brokerAuth; Mosquitto's use_username_as_clientid).
      clientId: `${vehicle.manufacturer}/${vehicle.serialNumber}`,
      // A persistent session: the broker keeps QoS 1 orders and instant actions sent while the link is down.
      clean: false,
      ...this.options.credentials,
      will: {
        topic: this.topic('connection'),
        payload: Buffer.from(JSON.stringify(this.connectionMessage('CONNECTIONBROKEN'))),
        qos: 1,
        retain: true,
      },
      // Before the CONNACK: orders the broker queued for this session come right behind it.
      onMessage: (topic, payload) => this.onMessage(topic, payload.toString()),
    });
    this.client = client;
    // Re-announce ONLINE after every reconnect, not only the first (vda-5050-lib#38).
    client.on('connect', () => void this.announceOnline());
    client.on('error', (error) => this.log.warn({ err: error.message }, 'mqtt error'));
    await client.subscribeAsync([this.topic('order'), this.topic('instantActions')], { qos: 1 });
    await this.announceOnline();
    this.teardownDriver = this.options.driver.onStatusChange(() => this.queueState());
    this.scheduleVisualization();
  }

  /** Says OFFLINE (retained) and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.teardownDriver?.();
    if (this.heartbeat) this.options.clock.clearTimeout(this.heartbeat);
    if (this.visualization) this.options.clock.clearTimeout(this.visualization);
    await this.executor.cancel();
    const client = this.client;
    if (!client) return;
    await this.publish('connection', this.connectionMessage('OFFLINE'), { retain: true, qos: 1 });
    await client.endAsync();
  }

  /** Drops the link without a goodbye, as a crash or a cable pull would (the broker sends the last will). */
  async crash(): Promise<void> {
    this.stopped = true;
    this.teardownDriver?.();
    if (this.heartbeat) this.options.clock.clearTimeout(this.heartbeat);
    if (this.visualization) this.options.clock.clearTimeout(this.visualization);
    this.client?.stream.destroy();
    await this.client?.endAsync(true);
  }

  private async announceOnline(): Promise<void> {
    await this.publish('connection', this.connectionMessage('ONLINE'), { retain: true, qos: 1 });
    await this.publishFactsheet();
    this.publishState();
  }

  private async publishFactsheet(): Promise<void> {
    const factsheet = buildFactsheet(this.options.vehicle, this.options.driver, this.timestamp(), { liftRides: this.options.lift !== undefined });
    await this.publish('factsheet', { ...factsheet, headerId: this.nextHeaderId('factsheet') }, { retain: true, qos: 1 });
  }

  private onMessage(topic: string, text: string): void {
    const name = topic === this.topic('order') ? 'order' : topic === this.topic('instantActions') ? 'instantActions' : undefined;
    if (!name) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return this.rejectMessage(name, `not JSON: ${(error as Error).message}`);
    }
    // A version we do not serve is refused before anything else: its fields may mean other things.
    const version = messageVersion(json);
    if (!version.ok && typeof json === 'object' && json !== null && 'version' in json) {
      const { orderId, orderUpdateId } = json as { orderId?: unknown; orderUpdateId?: unknown };
      // With the order's ids a master can tell which of its orders was refused.
      const ids =
        name === 'order' && typeof orderId === 'string' && typeof orderUpdateId === 'number'
          ? [
              { referenceKey: 'orderId', referenceValue: orderId },
              { referenceKey: 'orderUpdateId', referenceValue: String(orderUpdateId) },
            ]
          : [];
      return this.rejectMessage(name, version.problem, ids);
    }
    if (name === 'order') {
      const parsed = parseWith(orderSchema, json);
      if (!parsed.ok) return this.rejectMessage('order', describeProblems(parsed.problems));
      if (version.ok) this.followVersion(version.version);
      const decision = this.executor.handleOrder(parsed.value);
      this.log.info({ orderId: parsed.value.orderId, orderUpdateId: parsed.value.orderUpdateId, decision }, 'order');
      if (decision === 'duplicate') this.queueState();
    } else {
      const read = readInstantActionsKey(json);
      if (read.quirk && !this.quirkLogged) {
        this.quirkLogged = true;
        this.log.warn({ topic }, "instant actions under 'instantActions' instead of 'actions' (vda-5050-lib 1.4.0): taken as 'actions'");
      }
      const parsed = parseWith(instantActionsSchema, read.message);
      if (!parsed.ok) return this.rejectMessage('instantActions', describeProblems(parsed.problems));
      if (version.ok) this.followVersion(version.version);
      for (const action of parsed.value.actions) {
        if (this.seenActions.firstTime(action.actionId)) void this.runInstantAction(action);
        else this.log.info({ actionId: action.actionId, actionType: action.actionType }, 'repeated instant action ignored');
      }
    }
  }

  /** Answers a master in its own version from now on; its factsheet too. */
  private followVersion(version: VdaVersion): void {
    if (version === this.version) return;
    this.log.info({ from: this.version, to: version }, 'master speaks another VDA 5050 version; answering in it');
    this.version = version;
    void this.publishFactsheet();
  }

  /** An invalid inbound message becomes a VDA validationError in state; nothing else changes. */
  private rejectMessage(topic: VdaTopic, description: string, references: ErrorReference[] = []): void {
    this.log.warn({ topic: this.topic(topic), problems: description }, 'invalid message dropped');
    this.executor.reportError({
      errorType: 'validationError',
      errorLevel: 'WARNING',
      errorDescription: description,
      errorReferences: [{ referenceKey: 'topic', referenceValue: topic }, ...references],
    });
  }

  private async runInstantAction(action: Action): Promise<void> {
    switch (action.actionType) {
      case 'cancelOrder':
        await this.executor.cancelOrder(action);
        return;
      case 'confirmLoaded': {
        const parameters = robotActionParameters('confirmLoaded', action);
        if (!parameters.success) {
          this.executor.trackInstantAction(action, 'FAILED', describeProblems(parameters.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))));
          return;
        }
        this.options.driver.confirmLoading(parameters.data.trays);
        this.executor.trackInstantAction(action, 'FINISHED');
        return;
      }
      case 'liftGranted': {
        const parameters = robotActionParameters('liftGranted', action);
        if (!parameters.success || !this.options.lift) {
          const why = parameters.success ? 'this robot has no lift port' : describeProblems(parameters.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
          this.executor.trackInstantAction(action, 'FAILED', why);
          return;
        }
        this.executor.grantLift(parameters.data.session);
        this.executor.trackInstantAction(action, 'FINISHED');
        return;
      }
      case 'factsheetRequest':
        await this.publishFactsheet();
        this.executor.trackInstantAction(action, 'FINISHED');
        return;
      case 'stateRequest':
        // The reply is the state itself, which the action's own FINISHED also triggers.
        this.executor.trackInstantAction(action, 'FINISHED');
        return;
      case 'startPause':
      case 'stopPause':
        this.executor.setPaused(action.actionType === 'startPause');
        this.executor.trackInstantAction(action, 'FINISHED');
        return;
      case 'startCharging':
      case 'stopCharging': {
        const result = await setCharging(this.options.driver, action.actionType === 'startCharging');
        this.executor.trackInstantAction(action, result.status, result.description);
        return;
      }
      default:
        this.executor.trackInstantAction(action, 'FAILED', `unsupported instant action ${action.actionType}`);
    }
  }

  private queueState(): void {
    if (this.stateQueued || this.stopped) return;
    this.stateQueued = true;
    // Several changes in one turn (a node reached, its first action started) make one message.
    queueMicrotask(() => {
      this.stateQueued = false;
      this.publishState();
    });
  }

  private publishState(): void {
    if (this.stopped || !this.client) return;
    const { clock, stateIntervalMs = 30_000 } = this.options;
    if (this.heartbeat) clock.clearTimeout(this.heartbeat);
    this.heartbeat = clock.setTimeout(() => this.publishState(), stateIntervalMs);
    const status = this.options.driver.status();
    const execution = this.executor.snapshot();
    void this.publish('state', {
      ...this.header('state'),
      ...execution,
      // What the robot reports of itself: its mode switch, e-stops, fields and its own errors.
      operatingMode: status.operatingMode,
      errors: [...execution.errors, ...status.errors],
      agvPosition: { ...status.position, positionInitialized: status.positionInitialized },
      velocity: { vx: status.speedMps },
      loads: status.trays.map((t) => ({ loadPosition: trayLoadPosition(t.tray), ...(t.loadId ? { loadId: t.loadId } : {}) })),
      // VDA 5050 asks for a number: an unknown charge goes as 0 with an information entry saying so.
      batteryState: { batteryCharge: status.batteryPct ?? 0, charging: status.charging },
      safetyState: { eStop: status.eStop, fieldViolation: status.fieldViolation },
      ...(status.navigation || status.batteryPct === null
        ? { information: [...(status.navigation ? [navigationInfo(status.navigation)] : []), ...(status.batteryPct === null ? [batteryUnknownInfo] : [])] }
        : {}),
    });
  }

  private scheduleVisualization(): void {
    const { clock, visualizationIntervalMs = 1000 } = this.options;
    this.visualization = clock.setTimeout(() => {
      if (this.stopped) return;
      const status = this.options.driver.status();
      void this.publish('visualization', {
        ...this.header('visualization'),
        agvPosition: { ...status.position, positionInitialized: status.positionInitialized },
        velocity: { vx: status.speedMps },
      });
      this.scheduleVisualization();
    }, visualizationIntervalMs);
  }

  private connectionMessage(connectionState: ConnectionState) {
    return { ...this.header('connection'), connectionState };
  }

  private header(topic: VdaTopic) {
    return { headerId: this.nextHeaderId(topic), timestamp: this.timestamp(), version: this.version, ...this.options.vehicle };
  }

  private nextHeaderId(topic: VdaTopic): number {
    const id = this.headerIds.get(topic) ?? 0;
    this.headerIds.set(topic, id + 1);
    return id;
  }

  private timestamp(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private topic(topic: VdaTopic): string {
    return vdaTopic(this.options.vehicle, topic, this.options.site);
  }

  private async publish(topic: VdaTopic, message: object, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
    // Outbound messages must match the contract; a mismatch is our bug, caught in tests.
    assertOutbound(outboundSchemas[topic], message);
    try {
      const wire = toVdaVersion(topic, message, this.version);
      await this.client?.publishAsync(this.topic(topic), JSON.stringify(wire), { qos: options.qos ?? 0, retain: options.retain ?? false });
    } catch (error) {
      this.log.warn({ topic, err: (error as Error).message }, 'publish failed');
    }
  }
}

const outboundSchemas: Partial<Record<VdaTopic, { parse(value: unknown): unknown }>> = {
  state: stateSchema,
  connection: connectionSchema,
  factsheet: factsheetSchema,
  visualization: visualizationSchema,
};

/** The navigation stack's estimate as a VDA 5050 `information` entry (`infoType` `navigation`, references in metres and seconds). */
function navigationInfo(navigation: NonNullable<ReturnType<RobotDriver['status']>['navigation']>) {
  return {
    infoType: 'navigation',
    infoDescription: `${navigation.distanceRemainingM.toFixed(1)} m to the next node, about ${Math.round(navigation.etaS)} s`,
    infoReferences: [
      { referenceKey: 'distanceRemainingM', referenceValue: navigation.distanceRemainingM.toFixed(2) },
      { referenceKey: 'etaS', referenceValue: navigation.etaS.toFixed(1) },
    ],
    infoLevel: 'INFO' as const,
  };
}
