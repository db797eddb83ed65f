import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../firmware-bridge/index.js';
import {
  connectionSchema,
  describeProblems,
  factsheetSchema,
  parseJsonWith,
  parseVdaTopic,
  stateSchema,
  trayFromLoadPosition,
  vdaTopic,
  visualizationSchema,
  type Clock,
  type State,
} from '../../protocol/index.js';
import { activityOf, type RobotView } from './robot-view.js';

interface FleetEvents {
  /** A robot's view changed. */
  robot: [RobotView];
  /** A robot sent a valid state. */
  state: [string, State];
  /** A robot that was online is not any more (link broken, went offline, or silent). */
  lost: [string];
}

/**
 * Tracks every robot of one manufacturer from its retained connection and factsheet and its
 * state and visualization messages. An invalid message is logged with its topic and field
 * paths and dropped; the last good picture stays.
 */
export class FleetRegistry extends EventEmitter<FleetEvents> {
  private readonly robots = new Map<string, RobotView>();
  private readonly states = new Map<string, State>();

  constructor(
    private readonly client: MqttClient,
    private readonly manufacturer: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload.toString()));
    const filter = (topic: 'connection' | 'state' | 'factsheet' | 'visualization') =>
      vdaTopic({ manufacturer: this.manufacturer, serialNumber: '+' }, topic);
    await this.client.subscribeAsync(
      [filter('connection'), filter('state'), filter('factsheet'), filter('visualization')],
      { qos: 1 },
    );
  }

  list(): RobotView[] {
    return [...this.robots.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
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

  private view(id: string): RobotView {
    let view = this.robots.get(id);
    if (!view) {
      view = {
        id,
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
    const parts = parseVdaTopic(topic);
    if (!parts || parts.manufacturer !== this.manufacturer) return;
    const drop = (problems: string) => this.log.warn({ topic, problems }, 'invalid message dropped');
    const view = this.view(parts.serialNumber);
    switch (parts.topic) {
      case 'connection': {
        const parsed = parseJsonWith(connectionSchema, text);
        if (!parsed.ok) return drop(describeProblems(parsed.problems));
        view.connection = parsed.value.connectionState;
        break;
      }
      case 'factsheet': {
        const parsed = parseJsonWith(factsheetSchema, text);
        if (!parsed.ok) return drop(describeProblems(parsed.problems));
        view.trays = parsed.value.loadSpecification.loadPositions?.length ?? view.trays;
        break;
      }
      case 'state': {
        const parsed = parseJsonWith(stateSchema, text);
        if (!parsed.ok) return drop(describeProblems(parsed.problems));
        const state = parsed.value;
        this.states.set(view.id, state);
        view.battery = state.batteryState.batteryCharge;
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
        if (!parsed.ok) return drop(describeProblems(parsed.problems));
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
