import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import {
  distanceM,
  droneTopic,
  type BroadcastSummary,
  type Clock,
  type CreateBroadcastBody,
  type DroneCommand,
  type DroneMission,
  type DroneTelemetry,
  type FieldProblem,
} from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import type { DroneRegistry, KnownDrone } from '../missions/index.js';
import { fieldsRefusal, refusal, type Refusal } from '../refusal.js';
import type { Audit } from '../storage/index.js';
import { broadcastSorties, planOptions, type StopsOfSortie } from './broadcast-mission.js';
import { broadcastToGeoJson } from './geojson.js';
import type { PlanError } from '../spray/index.js';
import type { PlannerPool } from '../workers/index.js';
import { planBroadcast, SPEAKER_QUAD, type BroadcastOptions, type BroadcastPlan } from './plan.js';

/** Options of {@link BroadcastManager}. */
export interface BroadcastManagerOptions {
  /** The controller's MQTT client. */
  mqtt: MqttClient;
  clock: Clock;
  log: Logger;
  /** The drones as their telemetry shows them (the spray missions' registry: one subscription). */
  drones: DroneRegistry;
  /** Drones busy elsewhere (on spray missions): never picked. */
  busyElsewhere?: () => ReadonlySet<string>;
  audit?: Audit;
  /** A drone farther than this from every pad of the plan is not picked, m. Default 30. */
  padReachM?: number;
  /**
   * Plans the road. The controller's runs in a planner thread ({@link threadBroadcastPlanner}):
   * a few kilometres of road take about half a second. Default: on this thread (tools and tests).
   */
  planner?: BroadcastPlanner;
}

/** A plan, or the problems (`status` 503 when planning could not run). */
export type BroadcastPlanOutcome = ReturnType<typeof planBroadcast> | { ok: false; status: 503; errors: PlanError[] };
/** Plans a broadcast (see {@link BroadcastManagerOptions.planner}). */
export type BroadcastPlanner = (road: unknown, options: BroadcastOptions) => Promise<BroadcastPlanOutcome>;

/** Plans on a thread of `pool`, within `timeMs` (default 30 000). */
export function threadBroadcastPlanner(pool: PlannerPool, timeMs = 30_000): BroadcastPlanner {
  return async (road, options) => {
    const r = await pool.run('planBroadcast', { road, options }, { timeMs });
    if (r.ok) return r.value;
    if (r.reason === 'busy' || r.reason === 'cancelled') return { ok: false, status: 503, errors: [{ path: 'features', message: `planning stopped: ${r.message}` }] };
    return { ok: false, errors: [{ path: 'features', message: `planning this road ${r.message}` }] };
  };
}

interface Broadcast {
  id: string;
  status: BroadcastSummary['status'];
  droneId: string;
  createdAtMs: number;
  body: CreateBroadcastBody;
  plan: BroadcastPlan;
  mission: Omit<DroneMission, 'headerId' | 'timestamp' | 'droneId'>;
  stopsOf: StopsOfSortie[];
  /** The sortie last commanded to start, −1 before launch. */
  started: number;
  stopsPlayed: Set<number>;
  reason?: string;
}

/** Result of an operator action on a broadcast. */
export type BroadcastActionResult = { ok: true; summary: BroadcastSummary } | Refusal;

/**
 * Runs broadcast missions: plans the operator's road and message (the pure planner), picks an
 * idle drone with a speaker and a display standing at a pad of the plan, uploads the sorties as
 * one drone mission (hover stops that play the message, the QR shown while flying) and flies them
 * one after another: the next sortie starts when the drone has landed from the last one (after
 * the pad crew's battery swap, which the drone waits for itself). What plays where comes from the
 * drone's telemetry. Emits `broadcast` (its summary) on every change. Kept in memory only: a
 * restarted controller forgets its broadcasts (the drone flies its sortie to the end on its own).
 */
export class BroadcastManager extends EventEmitter<{ broadcast: [BroadcastSummary] }> {
  private readonly broadcasts = new Map<string, Broadcast>();
  private seq = 0;
  private headerId = 0;
  private readonly onTelemetry = (drone: KnownDrone) => this.telemetry(drone);

  constructor(private readonly options: BroadcastManagerOptions) {
    super();
    options.drones.on('telemetry', this.onTelemetry);
  }

  close(): void {
    this.options.drones.off('telemetry', this.onTelemetry);
  }

  /** Drones flying (or about to fly) a broadcast. */
  busyDrones(): ReadonlySet<string> {
    return new Set([...this.broadcasts.values()].filter((b) => b.status === 'planned' || b.status === 'running').map((b) => b.droneId));
  }

  private creating: Promise<unknown> = Promise.resolve();

  /** Plans a broadcast and assigns a drone; nothing is sent until {@link launch}. One at a time, so two never take the same drone. */
  create(body: CreateBroadcastBody, actor = 'api'): Promise<{ ok: true; summary: BroadcastSummary; plan: ReturnType<typeof broadcastToGeoJson> } | Refusal> {
    const run = this.creating.then(() => this.createNow(body, actor));
    this.creating = run.catch(() => {});
    return run;
  }

  private async createNow(body: CreateBroadcastBody, actor: string): Promise<{ ok: true; summary: BroadcastSummary; plan: ReturnType<typeof broadcastToGeoJson> } | Refusal> {
    const planned = await (this.options.planner ?? inProcess)(body.road, planOptions(body));
    if (!planned.ok) return fieldsRefusal('status' in planned ? 'unavailable' : 'invalid', planned.errors.map(bodyPath));
    const plan = planned.plan;
    const pads = plan.sorties.map((s) => s.path[0]!);
    const busy = new Set([...this.busyDrones(), ...(this.options.busyElsewhere?.() ?? [])]);
    const reach = this.options.padReachM ?? 30;
    const candidates = this.options.drones.list().filter((d) => {
      const t = d.telemetry;
      return d.online && t?.mode === 'landed' && !busy.has(d.id) && t.autopilot.capabilities.includes('speaker') && t.autopilot.capabilities.includes('display');
    });
    if (candidates.length === 0) return refusal('conflict', 'no idle drone with a speaker and a display online');
    const near = (d: KnownDrone) => Math.min(...pads.map((p) => distanceM(d.telemetry!, p)));
    const drone = candidates.sort((a, b) => near(a) - near(b))[0]!;
    if (near(drone) > reach) {
      const names = [...new Set(plan.sorties.map((s) => s.pad))].join(', ');
      return refusal('conflict', `no idle speaker drone stands at a pad of this road (${names}); the nearest, ${drone.id}, is ${Math.round(near(drone))} m away: bring one there first`);
    }
    const { sorties, stopsOf } = broadcastSorties(plan, body.heightM, SPEAKER_QUAD.cruiseMps);
    const id = `broadcast-${++this.seq}-${Math.trunc(this.options.clock.now()).toString(36).slice(-4)}`;
    const b: Broadcast = {
      id,
      status: 'planned',
      droneId: drone.id,
      createdAtMs: this.options.clock.now(),
      body,
      plan,
      mission: {
        missionId: id,
        sorties,
        pads,
        // Returns (failsafe, return home) at the broadcast height at least: over the cars, not into them.
        transitAltM: Math.max(20, body.heightM),
        broadcast: { message: body.message, volumePct: body.volumePct ?? 100, qr: body.qr },
      },
      stopsOf,
      started: -1,
      stopsPlayed: new Set(),
    };
    this.broadcasts.set(id, b);
    this.options.audit?.({ actor, action: 'broadcastCreated', subject: `broadcast ${id}`, detail: { drone: drone.id, stops: plan.stops.length } });
    return { ok: true, summary: this.summary(b), plan: this.planOf(b) };
  }

  list(): BroadcastSummary[] {
    return [...this.broadcasts.values()].reverse().map((b) => this.summary(b));
  }

  get(id: string): BroadcastSummary | undefined {
    const b = this.broadcasts.get(id);
    return b && this.summary(b);
  }

  /** The plan as GeoJSON (stops and sortie paths) with the road file it was planned on. */
  plan(id: string): { id: string; road: CreateBroadcastBody['road']; plan: ReturnType<typeof broadcastToGeoJson> } | undefined {
    const b = this.broadcasts.get(id);
    return b && { id, road: b.body.road, plan: this.planOf(b) };
  }

  /** Uploads the mission and starts the first sortie. */
  launch(id: string, actor = 'api'): BroadcastActionResult {
    const b = this.broadcasts.get(id);
    if (!b) return refusal('notFound', `no broadcast ${id}`);
    if (b.status !== 'planned') return refusal('conflict', `broadcast ${id} is ${b.status}`);
    const t = this.options.drones.get(b.droneId)?.telemetry;
    if (!this.options.drones.get(b.droneId)?.online || t?.mode !== 'landed') return refusal('conflict', `${b.droneId} is not on its pad and online (${t?.mode ?? 'never seen'})`);
    this.publish(b.droneId, 'mission', { ...this.header(b.droneId), ...b.mission });
    this.start(b, 0);
    b.status = 'running';
    this.options.audit?.({ actor, action: 'broadcast launch', subject: `broadcast ${id}` });
    return this.changed(b);
  }

  /** Drops the sortie: the drone goes silent and returns to the nearest pad. */
  abort(id: string, actor = 'api'): BroadcastActionResult {
    const b = this.broadcasts.get(id);
    if (!b) return refusal('notFound', `no broadcast ${id}`);
    if (b.status === 'done' || b.status === 'aborted') return refusal('conflict', `broadcast ${id} is ${b.status}`);
    if (b.status === 'running') this.command(b.droneId, { command: 'abort' });
    b.status = 'aborted';
    b.reason = `aborted by ${actor}`;
    this.options.audit?.({ actor, action: 'broadcast abort', subject: `broadcast ${id}` });
    return this.changed(b);
  }

  private telemetry(drone: KnownDrone): void {
    const t = drone.telemetry;
    if (!t) return;
    for (const b of this.broadcasts.values()) {
      if (b.droneId !== drone.id || b.status !== 'running' || t.missionId !== b.id) continue;
      this.follow(b, t);
      this.emit('broadcast', this.summary(b));
    }
  }

  /** One telemetry of the drone flying `b`: what it plays where, the mission refused, a sortie done. */
  private follow(b: Broadcast, t: DroneTelemetry): void {
    const refused = t.lastCommand && !t.lastCommand.accepted && (t.lastCommand.commandId === `mission:${b.id}` || t.lastCommand.commandId.startsWith(`${b.id}:`));
    if (refused) {
      b.status = 'aborted';
      b.reason = `${b.droneId} refused ${t.lastCommand!.commandId}: ${t.lastCommand!.reason ?? 'no reason given'}`;
      this.options.log.warn({ broadcast: b.id, reason: b.reason }, 'broadcast stopped');
      return;
    }
    const stop = t.sortie === b.started && t.waypoint !== undefined ? b.stopsOf[b.started]?.get(t.waypoint) : undefined;
    if (stop !== undefined && t.payload?.playing !== undefined) b.stopsPlayed.add(stop);
    if (t.mode !== 'landed' || t.lastCompletedSortie !== b.started) return;
    if (b.started + 1 < b.mission.sorties.length) this.start(b, b.started + 1);
    else b.status = 'done';
  }

  private start(b: Broadcast, sortie: number): void {
    b.started = sortie;
    this.command(b.droneId, { command: 'start', missionId: b.id, sortie }, `${b.id}:start:${sortie}`);
  }

  private summary(b: Broadcast): BroadcastSummary {
    const t = this.options.drones.get(b.droneId)?.telemetry;
    const mine = t?.missionId === b.id;
    const stop = mine && t.sortie !== undefined && t.waypoint !== undefined ? this.stopAt(b, t.sortie, t.waypoint) : undefined;
    return {
      id: b.id,
      status: b.status,
      droneId: b.droneId,
      createdAtMs: b.createdAtMs,
      stops: b.plan.stops.length,
      sorties: b.plan.sorties.length,
      stopsPlayed: [...b.stopsPlayed].sort((x, y) => x - y),
      sortie: b.started >= 0 ? b.started : null,
      stop: stop ?? null,
      playing: (mine && t.payload?.playing) || null,
      showing: (mine && t.payload?.showing) || null,
      drone: t ? { lat: t.lat, lon: t.lon, altM: t.altM, mode: t.mode } : null,
      ...(b.reason ? { reason: b.reason } : {}),
    };
  }

  /** The stop at or ahead of `waypoint` in `sortie` (the one the drone flies to). */
  private stopAt(b: Broadcast, sortie: number, waypoint: number): number | undefined {
    const stops = b.stopsOf[sortie];
    if (!stops) return undefined;
    let best: number | undefined;
    for (const w of stops.keys()) if (w >= waypoint && (best === undefined || w < best)) best = w;
    return best === undefined ? undefined : stops.get(best);
  }

  private planOf(b: Broadcast) {
    return broadcastToGeoJson(b.plan, { side: b.body.side, heightM: b.body.heightM, offsetM: b.body.offsetM, qr: b.body.qr, droneId: b.droneId });
  }

  private changed(b: Broadcast): BroadcastActionResult {
    const summary = this.summary(b);
    this.emit('broadcast', summary);
    return { ok: true, summary };
  }

  private command(droneId: string, body: Record<string, unknown>, commandId = `broadcast-cmd-${++this.headerId}`): void {
    this.publish(droneId, 'command', { ...this.header(droneId), commandId, ...body } as DroneCommand);
  }

  private header(droneId: string) {
    return { headerId: ++this.headerId, timestamp: new Date(this.options.clock.now()).toISOString(), droneId };
  }

  private publish(droneId: string, topic: 'mission' | 'command', message: object): void {
    this.options.mqtt.publishAsync(droneTopic(droneId, topic, this.options.drones.site), JSON.stringify(message), { qos: 1 }).catch((error: Error) => {
      this.options.log.warn({ drone: droneId, topic, err: error.message }, 'broadcast publish failed');
    });
  }
}

const inProcess: BroadcastPlanner = async (road, options) => planBroadcast(road, options);

/** A planner problem as a field of the request body: the road file's paths under `body.road`, the options by their body names. */
function bodyPath(e: { path: string; message: string }): FieldProblem {
  const p = e.path;
  if (p === 'messageS') return { path: 'body.message', message: e.message };
  if (p === 'heightM' || p === 'offsetM' || p === 'hoverS' || p === 'forwardMps') return { path: `body.${p}`, message: e.message };
  if (p.startsWith('acoustics')) return { path: 'body', message: e.message };
  return { path: p === '(root)' || p === '' ? 'body.road' : `body.road.${p}`, message: e.message };
}
