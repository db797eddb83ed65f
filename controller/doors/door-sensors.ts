import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/index.js';
import { refusal, type Refusal } from '../refusal.js';
import {
  describeProblems,
  doorAlertSettingsSchema,
  doorSensorDeviceId,
  doorSensorMessageSchema,
  doorSensorTopic,
  isDoorSensorTopic,
  parseDoorSensorTopic,
  parseJsonWith,
  type Clock,
  type DoorAlertSettings,
  type DoorSensorMessage,
  type DoorView,
  type State,
  type TripView,
} from '../../protocol/index.js';
import type { AlertCenter } from '../alerts/index.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit, Store } from '../storage/index.js';
import { doorView, judgeDoorOpen, type DoorOpenVerdict, type DoorState } from './door-core.js';
import { inQuietHours } from './quiet-hours.js';
import { naturalOrder } from '../../common/natural-order.js';

/** What the door sensors need of the trips. */
export interface DoorTrips {
  on(event: 'trip', listener: (trip: TripView) => void): unknown;
  off(event: 'trip', listener: (trip: TripView) => void): unknown;
  traysDueAt(room: string): number;
  doorOpened(room: string, at: string): number;
}

/** What the door sensors need of the fleet: each robot's `state` as it comes. */
export interface DoorFleet {
  on(event: 'state', listener: (robot: string, state: State) => void): unknown;
  off(event: 'state', listener: (robot: string, state: State) => void): unknown;
}

/**
 * Seconds before a robot begins to wait at a door during which an open, with the door still
 * open, counts as the resident's: the sensor and the robot report on connections of their own, so
 * the open may reach the controller before the state that shows the robot waiting, and a resident
 * who heard the robot coming opens before it stops. A door left open longer is not taken as a pickup.
 */
export const OPEN_BEFORE_WAIT_S = 120;

export interface DoorSensorsOptions {
  mqtt: MqttClient;
  fleet: DoorFleet;
  graph: SiteGraph;
  trips: DoorTrips;
  alerts: AlertCenter;
  clock: Clock;
  log: Logger;
  audit: Audit;
  /** Where medics' mutes are kept across a restart (`saveDoorMute`, read back by {@link DoorSensors.start}). */
  store: Pick<Store, 'saveDoorMute' | 'doorMutes'>;
  /** Default: the site's `doorAlerts`, else no quiet hours in UTC. */
  settings?: DoorAlertSettings;
  /** The site id whose door topics it reads (`isofleetInterfaceName`); none: the plain `isofleet` topics. */
  siteId?: string;
}

/**
 * The rooms' door sensors (`isofleet/v1/sensors/doors/{room}`): keeps each door's state, has a
 * tray waiting at an opened door count as collected (`TripManager.doorOpened`; a door opened up to
 * {@link OPEN_BEFORE_WAIT_S} before the wait began and open still, from the state that shows it), and raises
 * `doorOpenedUnexpectedly` when an isolated (red) room's door opens with no delivery due, outside
 * quiet hours, unless a medic muted the room. A malformed message is logged with its field and
 * reason and dropped. A retained message is the door's state from before the controller
 * subscribed: it updates the view and judges nothing. Mutes are kept in the store: a restart
 * keeps them, and one that ran out meanwhile is over. Emits `door` on every change, `dropped` per refusal.
 */
export class DoorSensors extends EventEmitter<{
  door: [DoorView];
  dropped: [{ topic: string; reason: string; problems?: string }];
  opened: [{ room: string; verdict: DoorOpenVerdict; traysMarked: number }];
}> {
  private readonly doors = new Map<string, DoorState>();
  /** Doors open now by a live message (`openedMs` set). */
  private readonly open = new Set<DoorState>();
  private readonly settings: DoorAlertSettings;

  constructor(private readonly options: DoorSensorsOptions) {
    super();
    this.settings = options.settings ?? options.graph.site.doorAlerts ?? doorAlertSettingsSchema.parse({});
    for (const node of options.graph.site.nodes) {
      if (node.kind === 'room' && node.room) this.doors.set(node.room, { room: node.room, isolated: node.zone === 'red' });
    }
  }

  /** Takes back the mutes kept before a restart (those of rooms still on the site), then listens to the sensors. */
  async start(): Promise<void> {
    for (const { room, by, untilMs } of await this.options.store.doorMutes()) {
      const door = this.doors.get(room);
      if (door) door.mute = { by, ...(untilMs !== undefined ? { untilMs } : {}) };
    }
    this.options.mqtt.on('message', this.onMessage);
    this.options.trips.on('trip', this.onTrip);
    this.options.fleet.on('state', this.onState);
    await this.options.mqtt.subscribeAsync(doorSensorTopic('+', this.options.siteId), { qos: 1 });
  }

  stop(): void {
    this.options.mqtt.off('message', this.onMessage);
    this.options.trips.off('trip', this.onTrip);
    this.options.fleet.off('state', this.onState);
  }

  /** Every room's door, by room number. */
  list(): DoorView[] {
    const now = this.options.clock.now();
    return [...this.doors.values()].sort((a, b) => naturalOrder(a.room, b.room)).map((door) => doorView(door, now));
  }

  get(room: string): DoorView | undefined {
    const door = this.doors.get(room);
    return door && doorView(door, this.options.clock.now());
  }

  /**
   * Mutes (`minutes`, or until lifted) or unmutes a room's unexpected-open alert, kept in the
   * store before it answers (a restart keeps it); an audit line names who. A refusal for a room
   * not on this site.
   */
  async setMute(room: string, change: { muted: boolean; minutes?: number }, actor: string): Promise<DoorView | Refusal> {
    const door = this.doors.get(room);
    if (!door) return refusal('notFound', `no room ${room} on this site`, 'params.room');
    const now = this.options.clock.now();
    const mute = change.muted ? { by: actor, ...(change.minutes !== undefined ? { untilMs: now + change.minutes * 60_000 } : {}) } : undefined;
    await this.options.store.saveDoorMute(room, mute);
    if (mute) door.mute = mute;
    else delete door.mute;
    this.options.audit({
      at: new Date(now).toISOString(),
      actor,
      action: change.muted ? 'doorAlertMuted' : 'doorAlertUnmuted',
      subject: `room ${room}`,
      detail: change.minutes !== undefined ? { minutes: change.minutes } : {},
    });
    const view = doorView(door, now);
    this.emit('door', view);
    return view;
  }

  /** A tray for a room was offered at its door (delivered or not collected): an open soon after is expected. */
  private readonly onTrip = (trip: TripView): void => {
    for (const tray of trip.trays) {
      if (tray.status !== 'delivered' && tray.status !== 'notCollected') continue;
      const door = this.doors.get(tray.room);
      const at = Date.parse(tray.deliveredAt ?? trip.finishedAt ?? '') || this.options.clock.now();
      if (door && (door.lastOfferMs === undefined || door.lastOfferMs < at)) door.lastOfferMs = Math.min(at, this.options.clock.now());
    }
  };

  /**
   * A robot's state may be the first to show it waiting at a door that opened just before (see
   * {@link OPEN_BEFORE_WAIT_S}): the trays waiting there count as collected as if it opened now.
   */
  private readonly onState = (): void => {
    if (this.open.size === 0) return;
    const nowMs = this.options.clock.now();
    for (const door of this.open) {
      if (nowMs - door.openedMs! <= OPEN_BEFORE_WAIT_S * 1000) this.options.trips.doorOpened(door.room, new Date(nowMs).toISOString());
    }
  };

  private drop(topic: string, reason: string, problems?: string): void {
    this.options.log.warn({ topic, ...(problems ? { problems } : {}) }, `door sensor message dropped: ${reason}`);
    this.emit('dropped', { topic, reason, ...(problems ? { problems } : {}) });
  }

  private readonly onMessage = (topic: string, payload: Buffer, packet: { retain?: boolean }): void => {
    if (!isDoorSensorTopic(topic, this.options.siteId)) return;
    const room = parseDoorSensorTopic(topic, this.options.siteId);
    if (room === undefined) return this.drop(topic, 'not a room door topic');
    const door = this.doors.get(room);
    if (!door) return this.drop(topic, `no room ${room} on this site`);
    const parsed = parseJsonWith(doorSensorMessageSchema, payload.toString());
    if (!parsed.ok) return this.drop(topic, 'invalid', describeProblems(parsed.problems));
    this.apply(door, parsed.value, packet.retain === true);
  };

  private apply(door: DoorState, message: DoorSensorMessage, retained: boolean): void {
    const opened = message.open && door.open !== true;
    door.open = message.open;
    if (!message.open) {
      delete door.openedMs;
      this.open.delete(door);
    }
    door.lastSeenAt = message.timestamp;
    door.sensorId = message.sensorId;
    this.emit('door', doorView(door, this.options.clock.now()));
    if (!opened || retained) return;
    // The controller's clock, not the sensor's: a sensor's clock may be off, and the trays' and
    // quiet hours' times are the controller's.
    const nowMs = this.options.clock.now();
    const at = new Date(nowMs).toISOString();
    door.openedMs = nowMs;
    this.open.add(door);
    const traysMarked = this.options.trips.doorOpened(door.room, at);
    const verdict = judgeDoorOpen(door, {
      nowMs,
      traysDue: this.options.trips.traysDueAt(door.room),
      graceAfterDeliveryS: this.settings.graceAfterDeliveryS,
      quietHours: inQuietHours(nowMs, this.settings.quietHours, this.settings.timeZone),
    });
    this.emit('opened', { room: door.room, verdict, traysMarked });
    if (verdict === 'deliveryDue' || verdict === 'notIsolated') return;
    this.options.audit({ at, actor: doorSensorDeviceId(door.room), action: 'doorOpened', subject: `room ${door.room}`, detail: { verdict, sensorId: message.sensorId } });
    if (verdict !== 'unexpected') return;
    const node = this.options.graph.roomNodes.get(door.room);
    this.options.alerts.raise({
      kind: 'doorOpenedUnexpectedly',
      subject: doorSensorDeviceId(door.room),
      room: door.room,
      message: `the door of isolated room ${door.room} opened with no delivery due: the resident may have left the room`,
      ...(node ? { where: { level: node.level, landmark: 'room', name: door.room, at: true, text: `${node.level}, at the door of room ${door.room}` } } : {}),
      doing: 'check on the resident; mute the room on the doors panel for a visit',
    });
  }
}
