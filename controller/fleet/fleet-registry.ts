import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/index.js';
import {
  batteryChargeOf,
  connectionSchema,
  describeProblems,
  factsheetSchema,
  parseJsonWith,
  refusalReason,
  type FieldProblem,
  parseVdaTopic,
  stateSchema,
  trayFromLoadPosition,
  vdaTopic,
  visualizationSchema,
  type Clock,
  type Factsheet,
  type State,
  type VehicleId,
} from '../../protocol/index.js';
import type { DroppedMessage } from '../metrics/metrics.js';
import { robotId } from './robot-id.js';
import { activityOf, type RobotView } from './robot-view.js';
import { naturalOrder } from '../../common/natural-order.js';

interface FleetEvents {
  /** A robot's view changed. */
  robot: [RobotView];
  /** A robot sent a valid state. */
  state: [string, State];
  /** A robot that was online is not any more (link broken, went offline, or silent). */
  lost: [string];
  /** A robot sent a valid factsheet. */
  factsheet: [string, Factsheet];
  /** A message was refused (and logged). */
  dropped: [DroppedMessage];
}

/** The topics the registry reads of each robot. */
const READ_TOPICS = ['connection', 'state', 'factsheet', 'visualization'] as const;

/**
 * Tracks robots from their retained connection and factsheet and their state and visualization
 * messages: every robot of the controller's own manufacturer, and each robot of another
 * manufacturer once it is {@link track}ed (provisioned through `POST /api/devices`). Robots are
 * keyed by manufacturer and serialNumber (see `robotId`). An invalid message is logged with its
 * topic and field paths and dropped; the last good picture stays.
 */
export class FleetRegistry extends EventEmitter<FleetEvents> {
  private readonly robots = new Map<string, RobotView>();
  private readonly states = new Map<string, State>();
  private readonly factsheets = new Map<string, Factsheet>();
  /** Robots of other manufacturers the registry reads, by robot id. */
  private readonly tracked = new Set<string>();

  constructor(
    private readonly client: MqttClient,
    private readonly manufacturer: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** The site whose topics it reads (`vdaInterfaceName`); none: the plain `uagv` topics. */
    readonly site?: string,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload.toString()));
    await this.client.subscribeAsync(
      READ_TOPICS.map((topic) => vdaTopic({ manufacturer: this.manufacturer, serialNumber: '+' }, topic, this.site)),
      { qos: 1 },
    );
  }

  /** The controller's own manufacturer: its robots are tracked without being named. */
  get ownManufacturer(): string {
    return this.manufacturer;
  }

  /** The id of a vehicle in this registry (see `robotId`). */
  idOf(vehicle: VehicleId): string {
    return robotId(vehicle, this.manufacturer);
  }

  /**
   * Starts reading one robot of another manufacturer (a robot of our own is read anyway).
   * Resolves once subscribed; its retained connection and factsheet arrive then.
   */
  async track(vehicle: VehicleId): Promise<void> {
    const id = this.idOf(vehicle);
    if (vehicle.manufacturer === this.manufacturer || this.tracked.has(id)) return;
    this.tracked.add(id);
    await this.client.subscribeAsync(
      READ_TOPICS.map((topic) => vdaTopic(vehicle, topic, this.site)),
      { qos: 1 },
    );
  }

  /** Stops reading a robot of another manufacturer and forgets it (its device was removed). */
  async untrack(vehicle: VehicleId): Promise<void> {
    const id = this.idOf(vehicle);
    if (!this.tracked.delete(id)) return;
    const view = this.robots.get(id);
    this.robots.delete(id);
    this.states.delete(id);
    this.factsheets.delete(id);
    if (view?.online) this.emit('lost', id);
    await this.client.unsubscribeAsync(READ_TOPICS.map((topic) => vdaTopic(vehicle, topic, this.site)));
  }

  /** The robot's last valid factsheet, if it sent one. */
  factsheet(id: string): Factsheet | undefined {
    return this.factsheets.get(id);
  }

  list(): RobotView[] {
    return [...this.robots.values()].sort((a, b) => naturalOrder(a.id, b.id));
  }

  get(id: string): RobotView | undefined {
    return this.robots.get(id);
  }

  lastState(id: string): State | undefined {
    return this.states.get(id);
  }

  /**
   * A robot that says ONLINE but has been silent for more than two state intervals counts as
   * offline until it speaks again (a hung bridge, a dead Wi-Fi without a broken TCP session).
   */
  markSilent(id: string): void {
    const view = this.robots.get(id);
    if (!view || view.silent) return;
    view.silent = true;
    this.refreshOnline(view);
    this.emit('robot', view);
  }

  private refreshOnline(view: RobotView): void {
    const wasOnline = view.online;
    view.online = view.connection === 'ONLINE' && !view.silent;
    const state = this.states.get(view.id);
    view.state = state ? activityOf(state, view.online) : view.online ? 'unknown' : 'offline';
    if (wasOnline && !view.online) this.emit('lost', view.id);
  }

  private view(vehicle: VehicleId): RobotView {
    const id = this.idOf(vehicle);
    let view = this.robots.get(id);
    if (!view) {
      view = {
        id,
        manufacturer: vehicle.manufacturer,
        serialNumber: vehicle.serialNumber,
        version: null,
        online: false,
        connection: 'UNKNOWN',
        battery: null,
        level: null,
        node: null,
        state: 'offline',
        orderId: null,
        position: null,
        loadedTrays: [],
        trays: 4,
        lastSeenMs: null,
        silent: false,
      };
      this.robots.set(id, view);
    }
    return view;
  }

  private onMessage(topic: string, text: string): void {
    const parts = parseVdaTopic(topic, this.site);
    if (!parts || (parts.manufacturer !== this.manufacturer && !this.tracked.has(this.idOf(parts)))) return;
    const drop = (problems: FieldProblem[]) => {
      this.log.warn({ topic, problems: describeProblems(problems) }, 'invalid message dropped');
      this.emit('dropped', { topic, reason: refusalReason(problems) });
    };
    const view = this.view(parts);
    switch (parts.topic) {
      case 'connection': {
        const parsed = parseJsonWith(connectionSchema, text);
        if (!parsed.ok) return drop(parsed.problems);
        view.connection = parsed.value.connectionState;
        break;
      }
      case 'factsheet': {
        const parsed = parseJsonWith(factsheetSchema, text);
        if (!parsed.ok) return drop(parsed.problems);
        view.trays = parsed.value.loadSpecification.loadPositions?.length ?? view.trays;
        view.version = parsed.value.version;
        this.factsheets.set(view.id, parsed.value);
        this.emit('factsheet', view.id, parsed.value);
        break;
      }
      case 'state': {
        const parsed = parseJsonWith(stateSchema, text);
        if (!parsed.ok) return drop(parsed.problems);
        const state = parsed.value;
        this.states.set(view.id, state);
        view.version = state.version;
        view.battery = batteryChargeOf(state);
        view.node = state.lastNodeId;
        view.level = state.agvPosition?.mapId ?? view.level;
        view.position = state.agvPosition ? { ...state.agvPosition } : view.position;
        view.orderId = state.orderId || null;
        view.loadedTrays = (state.loads ?? []).flatMap((l) => trayFromLoadPosition(l.loadPosition) ?? []).sort();
        view.state = activityOf(state, view.online);
        this.emit('state', view.id, state);
        break;
      }
      case 'visualization': {
        const parsed = parseJsonWith(visualizationSchema, text);
        if (!parsed.ok) return drop(parsed.problems);
        if (parsed.value.agvPosition) {
          view.position = { ...parsed.value.agvPosition };
          view.level = parsed.value.agvPosition.mapId;
        }
        break;
      }
      default:
        return;
    }
    view.lastSeenMs = this.clock.now();
    view.silent = false;
    this.refreshOnline(view);
    this.emit('robot', view);
  }
}
