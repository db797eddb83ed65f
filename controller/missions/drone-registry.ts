import type { Logger } from '../../common/index.js';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { DroppedMessage } from '../metrics/metrics.js';
import {
  describeProblems,
  droneConnectionSchema,
  droneTelemetrySchema,
  droneTopic,
  parseDroneTopic,
  parseJsonWith,
  refusalReason,
  type FieldProblem,
  type Clock,
  type DroneTelemetry,
  type DroneView,
} from '../../protocol/index.js';
import { naturalOrder } from '../../common/natural-order.js';

/** What the controller knows of one drone, from its own messages. */
export interface KnownDrone {
  id: string;
  online: boolean;
  /** Last telemetry, if any. */
  telemetry?: DroneTelemetry;
  /** Clock ms of the last telemetry. */
  lastSeenMs: number;
}

/**
 * Drones as their telemetry and retained `connection` messages show them. Emits
 * `telemetry` (drone, previous telemetry) and `connection` (drone) on each message, `dropped`
 * for each message refused (and logged).
 */
export class DroneRegistry extends EventEmitter<{ telemetry: [KnownDrone, DroneTelemetry | undefined]; connection: [KnownDrone]; dropped: [DroppedMessage] }> {
  private readonly drones = new Map<string, KnownDrone>();

  constructor(
    private readonly mqtt: MqttClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Only drones whose id starts with this are taken (keeps tests on a shared broker apart). */
    private readonly idPrefix = '',
    /** The site whose drone topics it reads (`isofleetInterfaceName`); none: the plain `isofleet` topics. */
    readonly site?: string,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.mqtt.on('message', this.onMessage);
    await this.mqtt.subscribeAsync([droneTopic('+', 'telemetry', this.site), droneTopic('+', 'connection', this.site)], { qos: 1 });
  }

  stop(): void {
    this.mqtt.off('message', this.onMessage);
  }

  get(id: string): KnownDrone | undefined {
    return this.drones.get(id);
  }

  list(): KnownDrone[] {
    return [...this.drones.values()].sort((a, b) => naturalOrder(a.id, b.id));
  }

  /** `GET /api/drones` rows: every drone that has sent telemetry, or those of `ids`, by id. */
  views(ids?: string[]): DroneView[] {
    const drones = ids ? ids.flatMap((id) => this.drones.get(id) ?? []) : this.list();
    return drones.flatMap((d) => {
      const t = d.telemetry;
      if (!t) return [];
      return [
        {
          id: d.id,
          online: d.online,
          batteryPct: t.batteryPct,
          tankL: t.tankL,
          lat: t.lat,
          lon: t.lon,
          altM: t.altM,
          headingDeg: t.headingDeg,
          groundSpeedMps: t.groundSpeedMps,
          pumpOn: t.pumpOn,
          mode: t.mode,
          sortie: t.sortie ?? null,
          waypoint: t.waypoint ?? null,
          windMps: t.windMps,
        },
      ];
    });
  }

  /** Logs a message refused and tells the metrics (`dropped`). */
  private drop(topic: string, problems: FieldProblem[], message: string): void {
    this.log.warn({ drone: parseDroneTopic(topic, this.site)?.droneId, problems: describeProblems(problems) }, message);
    this.emit('dropped', { topic, reason: refusalReason(problems) });
  }

  private readonly onMessage = (topic: string, payload: Buffer): void => {
    const parts = parseDroneTopic(topic, this.site);
    if (!parts?.droneId.startsWith(this.idPrefix)) return;
    const drone = this.drones.get(parts.droneId) ?? { id: parts.droneId, online: false, lastSeenMs: 0 };
    this.drones.set(drone.id, drone);
    if (parts.topic === 'telemetry') {
      const parsed = parseJsonWith(droneTelemetrySchema, payload.toString());
      if (!parsed.ok) return this.drop(topic, parsed.problems, 'invalid telemetry dropped');
      const previous = drone.telemetry;
      drone.telemetry = parsed.value;
      drone.lastSeenMs = this.clock.now();
      drone.online = true;
      this.emit('telemetry', drone, previous);
    } else if (parts.topic === 'connection') {
      const parsed = parseJsonWith(droneConnectionSchema, payload.toString());
      if (!parsed.ok) return this.drop(topic, parsed.problems, 'invalid connection dropped');
      drone.online = parsed.value.connectionState === 'ONLINE';
      this.emit('connection', drone);
    }
  };
}
