import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Server } from 'socket.io';
import {
  droneTopic,
  type Clock,
  type ClockTimer,
  type CoverageRasterView,
  type CoverageUpdate,
  type CreateMissionBody,
  type DroneAlert,
  type LiveCommands,
  type LiveEvents,
  type MissionSummary,
} from '../../protocol/index.js';
import type { Logger } from '../../common/index.js';
import { DroneRegistry, type KnownDrone } from './drone-registry.js';
import type { Mission, PlanView } from './mission.js';
import { MissionCore, type MissionActed, type MissionEffect } from './mission-core.js';
import { refusal, type Refusal } from '../refusal.js';
import { missionOf } from './mission-record.js';
import { MissionSaver, type MissionStore } from './mission-saver.js';
import type { Audit } from '../storage/index.js';
import { newMission } from './new-mission.js';
import { inProcessSprayPlanner, type SprayPlanner } from '../workers/index.js';
import { coverageView, missionSummary, planView, round2 } from './mission-views.js';

/** Options of {@link MissionManager}. */
export interface MissionManagerOptions {
  /** The controller's MQTT client (shared with the robot side). */
  mqtt: MqttClient;
  clock: Clock;
  log: Logger;
  /** socket.io server for live push (`drones`, `mission`, `coverage`). */
  io?: Server<LiveCommands, LiveEvents>;
  /**
   * Paces the pushes to screens. Default `clock`; the controller gives the system clock: people
   * watch in real time, and a demo at ×10 would otherwise push ten times as often.
   */
  pushClock?: Clock;
  /** No spraying above this wind (smoothed over ~10 s), m/s. Default 6. */
  windLimitMps?: number;
  /**
   * A wind hold ends once the smoothed wind has stayed 0.5 m/s under the limit this long, s.
   * Default 120: gusts change every few seconds, and a lull between two of them is no reason
   * to send the drones up again.
   */
  windCalmS?: number;
  /** A drone silent this long while in the air is reported lost and its sorties go to the others, s. Default 600. */
  notReturnedTimeoutS?: number;
  /** Silence after which a flying drone's link counts as lost, s. Default 15. */
  linkLostAfterS?: number;
  /** Battery needed to launch a sortie, %. Default 90. */
  readyBatteryPct?: number;
  /** Only drones whose id starts with this (tests on a shared broker). Default all. */
  droneIdPrefix?: string;
  /** The site whose drone topics it uses (`isofleetInterfaceName`); none: the plain `isofleet` topics. */
  site?: string;
  /** Drones busy with other work (broadcast missions): never assigned. */
  busyElsewhere?: () => ReadonlySet<string>;
  /** Coverage raster cell, m; default: the size that keeps the raster under 250 000 cells (≥ 0.5 m). */
  coverageCellM?: number;
  /** Where missions, sorties and coverage are kept; restored on `start()`. Default: memory only. */
  store?: MissionStore;
  /** The audit log: missions created and every operator action on them, with who did it. Default none. */
  audit?: Audit;
  /**
   * Finished missions (done or aborted) kept in memory and served by the API, newest first;
   * older ones stay in the store only. Default 20 (a raster is up to ~1.5 MB).
   */
  finishedKept?: number;
  /** Clock ms between coverage snapshots of a mission in flight. Default 5000. */
  coverageSnapshotMs?: number;
  /**
   * Plans spraying. The controller's runs in a planner thread (`threadSprayPlanner`), so a big plan
   * never holds the event loop; default: on this thread (tools and tests).
   */
  planner?: SprayPlanner;
}

/** Result of an operator action: the summary, or why it is not allowed now. */
export type MissionActionResult = { ok: true; summary: MissionSummary } | Refusal;
/** Result of creating a mission. */
export type CreateMissionResult = { ok: true; id: string; plan: PlanView; assigned: string[] } | Refusal;

type Events = {
  alert: [DroneAlert];
  mission: [MissionSummary];
  coverage: [CoverageUpdate];
  /** A drone's view changed (its id). */
  drones: [string];
};

/** Clock ms between pushes of changed drones: a drone's telemetry reaches a screen within it. */
const DRONE_PUSH_MS = 50;

/**
 * Runs spray missions: plans them (controller/spray), uploads each drone's sorties, and flies
 * the sortie cycle from telemetry: start a sortie when the drone is on a pad with a fresh battery
 * and a full tank, continue an interrupted one from its exact point, hold on the pad when the
 * wind is too strong, send a drone home on a geofence breach, hand a lost drone's sorties to the
 * others. Coverage is measured from telemetry. Events: `alert`, `mission`, `coverage`, `drones`.
 *
 * The decisions are {@link MissionCore}'s (no I/O); this shell feeds it the drones' messages,
 * the operator's actions and the clock's ticks, and applies what it answers: MQTT publishes,
 * store writes, alerts, log lines and socket.io pushes.
 */
export class MissionManager extends EventEmitter<Events> {
  readonly drones: DroneRegistry;
  private readonly core: MissionCore;
  private tick?: ClockTimer;
  private seq = 0;
  private readonly saver: MissionSaver;
  private readonly push = new Map<string, ClockTimer>();
  /** The next push of changed drones, when one is due. */
  private dronesPush?: ClockTimer;
  private audit(entry: Parameters<Audit>[0]): void {
    this.options.audit?.(entry);
  }
  private get pushClock(): Clock {
    return this.options.pushClock ?? this.options.clock;
  }
  private readonly dirtyCells = new Map<string, Map<number, number>>();
  private closed = false;

  constructor(private readonly options: MissionManagerOptions) {
    super();
    this.core = new MissionCore({
      windLimitMps: options.windLimitMps ?? 6,
      windCalmS: options.windCalmS ?? 120,
      notReturnedTimeoutS: options.notReturnedTimeoutS ?? 600,
      linkLostAfterS: options.linkLostAfterS ?? 15,
      readyBatteryPct: options.readyBatteryPct ?? 90,
      finishedKept: options.finishedKept ?? 20,
      // Tags this run's command ids: a drone must never take a command after a restart for one it has seen.
      instance: randomBytes(3).toString('hex'),
    });
    this.saver = new MissionSaver(options.store, options.clock, options.log, options.coverageSnapshotMs);
    this.drones = new DroneRegistry(options.mqtt, options.clock, options.log, options.droneIdPrefix, options.site);
    this.drones.on('telemetry', (drone, previous) => this.onTelemetry(drone, previous));
    this.drones.on('connection', (drone) => this.onConnection(drone));
    if (options.io) this.attach(options.io);
  }

  /** Restores the stored missions, then listens to the drones. */
  async start(): Promise<void> {
    this.core.started(this.options.clock.now());
    await this.restore();
    await this.drones.start();
    this.scheduleTick();
  }

  close(): void {
    if (!this.closed) this.saver.close(this.core.missions.values());
    this.closed = true;
    this.drones.stop();
    if (this.tick) this.options.clock.clearTimeout(this.tick);
    for (const timer of this.push.values()) this.pushClock.clearTimeout(timer);
    if (this.dronesPush) this.pushClock.clearTimeout(this.dronesPush);
  }

  list(): MissionSummary[] {
    return [...this.core.missions.values()].map((m) => missionSummary(m, this.options.clock.now()));
  }

  get(id: string): MissionSummary | undefined {
    const m = this.core.missions.get(id);
    return m && missionSummary(m, this.options.clock.now());
  }

  /** The internal mission (for tests and the scenario runner). */
  mission(id: string): Mission | undefined {
    return this.core.missions.get(id);
  }

  /** `GET /api/missions/:id/coverage`: the dose raster measured from telemetry. */
  coverage(id: string): CoverageRasterView | undefined {
    const m = this.core.missions.get(id);
    return m && coverageView(m);
  }

  /** The creation under way: creations run one at a time, so two plans cannot take the same drones. */
  private creating: Promise<unknown> = Promise.resolve();

  /** Plans a mission on the zones and uploads each assigned drone's sorties. */
  create(body: CreateMissionBody, actor = 'api'): Promise<CreateMissionResult> {
    const run = this.creating.then(() => this.createNow(body, actor));
    this.creating = run.catch(() => {});
    return run;
  }

  /** Drones flying (or assigned to) a spray mission. */
  busyDrones(): ReadonlySet<string> {
    return this.core.busyDrones();
  }

  private async createNow(body: CreateMissionBody, actor: string): Promise<CreateMissionResult> {
    if (this.closed) return refusal('unavailable', 'the controller is stopping');
    const busy = new Set([...this.core.busyDrones(), ...(this.options.busyElsewhere?.() ?? [])]);
    const landed = this.drones.list().filter((d) => d.online && d.telemetry?.mode === 'landed' && !busy.has(d.id));
    const id = `mission-${++this.seq}-${Math.random().toString(36).slice(2, 6)}`;
    const made = await newMission(id, body, landed, {
      nowMs: this.options.clock.now(),
      coverageCellM: this.options.coverageCellM,
      planner: this.options.planner ?? inProcessSprayPlanner,
    });
    if (!made.ok) return made;
    if (this.closed) return refusal('unavailable', 'the controller is stopping');
    const { mission } = made;
    this.core.restored(mission);
    // Saved before anything is uploaded: after a crash the restored mission uploads again what a drone lacks.
    await this.saver.create(mission);
    this.audit({ actor, action: 'missionCreated', subject: `mission ${id}`, detail: { drones: mission.runs.map((r) => r.droneId) } });
    await this.apply(this.core.planned(mission, this.options.clock.now()));
    return { ok: true, id, plan: planView(mission), assigned: mission.runs.map((r) => r.droneId) };
  }

  /** What a mission was planned on and the plan, for a screen that did not make it (another tablet, a reload, a restart). */
  planOf(id: string): { id: string; zones: CreateMissionBody['zones']; plan: PlanView; assigned: string[] } | undefined {
    const m = this.core.missions.get(id);
    return m && { id, zones: m.setup.body.zones, plan: planView(m), assigned: m.runs.map((r) => r.droneId) };
  }

  /** Operator confirms the zone is clear of people. */
  clear(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.clear(id, this.options.clock.now()), actor, 'clear');
  }

  launch(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.launch(id, this.options.clock.now()), actor, 'launch');
  }

  pause(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.pause(id, this.options.clock.now()), actor, 'pause');
  }

  resume(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.resume(id, this.options.clock.now()), actor, 'resume');
  }

  /** The operator hands drones that a pilot (or their autopilot's failsafe) took over back to their bridges; they then hold where they are. */
  takeControl(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.takeControl(id, this.options.clock.now()), actor, 'take-control');
  }

  returnHome(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.returnHome(id, this.options.clock.now()), actor, 'return-home');
  }

  abort(id: string, actor = 'api'): MissionActionResult {
    return this.act(this.core.abort(id, this.options.clock.now()), actor, 'abort');
  }

  // ---- inputs -------------------------------------------------------------------------------

  private onTelemetry(drone: KnownDrone, previous: KnownDrone['telemetry']): void {
    this.emit('drones', drone.id);
    void this.apply(this.core.telemetry(drone.id, drone.telemetry!, previous, this.options.clock.now()));
  }

  private onConnection(drone: KnownDrone): void {
    this.emit('drones', drone.id);
    if (drone.online) return;
    void this.apply(this.core.linkDown(drone.id, this.options.clock.now()));
  }

  private onTick(): void {
    void this.apply(this.core.tick(this.options.clock.now(), (id) => this.drones.get(id)?.lastSeenMs));
  }

  /** Applies an operator action's effects and writes its audit line (`mission clear`, `mission launch` …: the operator's word, and who said it). */
  private act(outcome: MissionActed, actor: string, action: string): MissionActionResult {
    if (outcome.refused) return outcome.refused;
    this.audit({ actor, action: `mission ${action}`, subject: `mission ${outcome.mission.id}` });
    void this.apply(outcome.effects);
    return { ok: true, summary: missionSummary(outcome.mission, this.options.clock.now()) };
  }

  // ---- effects ------------------------------------------------------------------------------

  /** Applies the core's effects in order; resolves once the mission uploads among them are published. */
  private apply(effects: MissionEffect[]): Promise<unknown> {
    const uploads: Promise<unknown>[] = [];
    for (const e of effects) {
      switch (e.kind) {
        case 'publish':
          if (e.topic === 'mission') uploads.push(this.options.mqtt.publishAsync(droneTopic(e.message.droneId, 'mission', this.drones.site), JSON.stringify(e.message), { qos: 1 }));
          else this.options.mqtt.publish(droneTopic(e.message.droneId, 'command', this.drones.site), JSON.stringify(e.message), { qos: 1 });
          break;
        case 'save':
          this.saver.save(e.mission);
          break;
        case 'flush':
          this.saver.flush(e.mission, { coverage: e.coverage });
          break;
        case 'changed':
          this.changed(e.mission);
          break;
        case 'dosed':
          this.dose(e.mission, e.fresh, e.near);
          break;
        case 'alert':
          this.emit('alert', e.alert);
          break;
        case 'log':
          this.options.log[e.level === 'info' ? 'info' : 'warn']({ mission: e.missionId }, e.message);
          break;
        case 'forget':
          this.saver.flush(e.mission, { coverage: true });
          this.dirtyCells.delete(e.mission.id);
          break;
      }
    }
    return Promise.all(uploads);
  }

  /** Marks dosed cells for the live push (the first-time ones, and the dose change around `near`). */
  private dose(m: Mission, fresh: number[], near: { x: number; y: number }): void {
    this.saver.coverageChangedOf(m);
    if (this.listenerCount('coverage') === 0 && !this.options.io) return;
    const dirty = this.dirtyCells.get(m.id) ?? new Map<number, number>();
    this.dirtyCells.set(m.id, dirty);
    for (const k of fresh) dirty.set(k, 0);
    // Dose changes on cells already sprayed are pushed too (centre cell of the segment, cheap).
    const mid = m.coverage.cellAt(near);
    if (mid >= 0) dirty.set(mid, 0);
  }

  private async restore(): Promise<void> {
    for (const record of (await this.options.store?.missions({ finished: this.options.finishedKept ?? 20 })) ?? []) {
      try {
        const m = missionOf(record);
        this.core.restored(m);
        this.seq++;
        if (!['done', 'aborted'].includes(m.status)) this.options.log.info({ mission: m.id, status: m.status }, 'mission restored; waiting for its drones');
      } catch (error) {
        this.options.log.warn({ mission: record.id, err: (error as Error).message }, 'stored mission could not be restored');
      }
    }
  }

  /** Mission changed: `mission` event now, socket.io push throttled per mission. */
  private changed(m: Mission): void {
    if (this.closed) return;
    this.saver.changed(m);
    if (this.listenerCount('mission') > 0) this.emit('mission', missionSummary(m, this.options.clock.now()));
    const io = this.options.io;
    if (!io || this.push.has(m.id)) return;
    this.push.set(
      m.id,
      this.pushClock.setTimeout(() => {
        this.push.delete(m.id);
        io.emit('mission', missionSummary(m, this.options.clock.now()));
        const dirty = this.dirtyCells.get(m.id);
        if (dirty && dirty.size > 0) {
          const cells: [number, number][] = [...dirty.keys()].map((k) => [k, Math.round(m.coverage.dose[k]! * 10) / 10]);
          dirty.clear();
          io.emit('coverage', { missionId: m.id, coveragePct: round2(m.coverage.stats().coveragePct), cells });
        }
      }, 500),
    );
  }

  private attach(io: Server<LiveCommands, LiveEvents>): void {
    // The drones changed since the last push, sent at most every DRONE_PUSH_MS: a push carries
    // only those, so its cost follows the telemetry rate, not the fleet's size.
    const changed = new Set<string>();
    this.on('drones', (id) => {
      changed.add(id);
      this.dronesPush ??= this.pushClock.setTimeout(() => {
        this.dronesPush = undefined;
        const views = this.drones.views([...changed]);
        changed.clear();
        if (!this.closed) io.emit('dronesChanged', views);
      }, DRONE_PUSH_MS);
    });
    io.on('connection', (socket) => {
      socket.emit('drones', this.drones.views());
      for (const summary of this.list()) socket.emit('mission', summary);
    });
  }

  private scheduleTick(): void {
    this.tick = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      this.onTick();
      this.scheduleTick();
    }, 2000);
  }
}
