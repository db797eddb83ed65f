import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Server } from 'socket.io';
import {
  droneTopic,
  type Clock,
  type ClockTimer,
  type CoverageRasterView,
  type CreateMissionBody,
  type DroneAlert,
  type DroneCommand,
  type DroneMission,
  type DroneTelemetry,
  type FieldProblem,
  type MissionLogEntry,
  type MissionSummary,
} from '../../protocol/index.js';
import { insideMultiPolygon } from './coverage-raster.js';
import { autopilotFence, controlChange, keepoutBreach } from './keepout-watch.js';
import type { Logger } from '../../firmware-bridge/index.js';
import { DroneRegistry, type KnownDrone } from './drone-registry.js';
import type { DroneRun, Mission, PlanView } from './mission.js';
import { missionOf } from './mission-record.js';
import { MissionSaver, type MissionStore } from './mission-saver.js';
import { approachPath, homePath } from './flight-paths.js';
import { reconcileRun } from './reconcile-run.js';
import { newMission } from './new-mission.js';
import { inProcessSprayPlanner, type SprayPlanner } from '../workers/index.js';
import { coverageView, missionSummary, planView, round2 } from './mission-views.js';

/** Ticks in a row a drone must be silent past the link-lost time before it counts as silent (see onTick). */
const SILENT_TICKS = 4;

/** Options of {@link MissionManager}. */
export interface MissionManagerOptions {
  /** The controller's MQTT client (shared with the robot side). */
  mqtt: MqttClient;
  clock: Clock;
  log: Logger;
  /** socket.io server for live push (`drones`, `mission`, `coverage`). */
  io?: Server;
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
  /** Coverage raster cell, m; default: the size that keeps the raster under 250 000 cells (≥ 0.5 m). */
  coverageCellM?: number;
  /** Where missions, sorties and coverage are kept; restored on `start()`. Default: memory only. */
  store?: MissionStore;
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
export type MissionActionResult = { ok: true; summary: MissionSummary } | { ok: false; status: 404 | 409; message: string };
/** Result of creating a mission. */
export type CreateMissionResult = { ok: true; id: string; plan: PlanView; assigned: string[] } | { ok: false; status: 400 | 409 | 422 | 503; message: string; issues: FieldProblem[] };

type Events = {
  alert: [DroneAlert];
  mission: [MissionSummary];
  coverage: [{ missionId: string; coveragePct: number; cells: [number, number][] }];
  /** A drone's view changed (its id). */
  drones: [string];
};

const LOG_LIMIT = 500;
/** Clock ms between pushes of changed drones: a drone's telemetry reaches a screen within it. */
const DRONE_PUSH_MS = 50;
const AIRBORNE = new Set(['takingOff', 'transit', 'mission', 'paused', 'returning', 'landing']);

/**
 * Runs spray missions: plans them (controller/spray), uploads each drone's sorties, and flies
 * the sortie cycle from telemetry: start a sortie when the drone is on a pad with a fresh battery
 * and a full tank, continue an interrupted one from its exact point, hold on the pad when the
 * wind is too strong, send a drone home on a geofence breach, hand a lost drone's sorties to the
 * others. Coverage is measured from telemetry. Events: `alert`, `mission`, `coverage`, `drones`.
 */
export class MissionManager extends EventEmitter<Events> {
  readonly drones: DroneRegistry;
  private readonly missions = new Map<string, Mission>();
  private readonly windLimitMps: number;
  private tick?: ClockTimer;
  private seq = 0;
  private commandSeq = 0;
  /** Tags this run's command ids: a drone must never take a command after a restart for one it has seen. */
  private readonly instance = randomBytes(3).toString('hex');
  private readonly saver: MissionSaver;
  /** When this manager started: restored drones count as silent from then until they report. */
  private startedAt = { lastSeenMs: 0 };
  /** Runs (mission/drone) past the link-lost silence, with the ticks in a row they have been. */
  private silentTicks = new Map<string, number>();
  private readonly push = new Map<string, ClockTimer>();
  /** The next push of changed drones, when one is due. */
  private dronesPush?: ClockTimer;
  private readonly dirtyCells = new Map<string, Map<number, number>>();
  private closed = false;

  constructor(private readonly options: MissionManagerOptions) {
    super();
    this.windLimitMps = options.windLimitMps ?? 6;
    this.saver = new MissionSaver(options.store, options.clock, options.log, options.coverageSnapshotMs);
    this.drones = new DroneRegistry(options.mqtt, options.clock, options.log, options.droneIdPrefix);
    this.drones.on('telemetry', (drone, previous) => this.onTelemetry(drone, previous));
    this.drones.on('connection', (drone) => this.onConnection(drone));
    if (options.io) this.attach(options.io);
  }

  /** Restores the stored missions, then listens to the drones. */
  async start(): Promise<void> {
    this.startedAt = { lastSeenMs: this.options.clock.now() };
    await this.restore();
    await this.drones.start();
    this.scheduleTick();
  }

  close(): void {
    if (!this.closed) this.saver.close(this.missions.values());
    this.closed = true;
    this.drones.stop();
    if (this.tick) this.options.clock.clearTimeout(this.tick);
    for (const timer of this.push.values()) this.options.clock.clearTimeout(timer);
    if (this.dronesPush) this.options.clock.clearTimeout(this.dronesPush);
  }

  list(): MissionSummary[] {
    return [...this.missions.values()].map((m) => missionSummary(m, this.options.clock.now()));
  }

  get(id: string): MissionSummary | undefined {
    const m = this.missions.get(id);
    return m && missionSummary(m, this.options.clock.now());
  }

  /** The internal mission (for tests and the scenario runner). */
  mission(id: string): Mission | undefined {
    return this.missions.get(id);
  }

  /** `GET /api/missions/:id/coverage`: the dose raster measured from telemetry. */
  coverage(id: string): CoverageRasterView | undefined {
    const m = this.missions.get(id);
    return m && coverageView(m);
  }

  /** The creation under way: creations run one at a time, so two plans cannot take the same drones. */
  private creating: Promise<unknown> = Promise.resolve();

  /** Plans a mission on the zones and uploads each assigned drone's sorties. */
  create(body: CreateMissionBody): Promise<CreateMissionResult> {
    const run = this.creating.then(() => this.createNow(body));
    this.creating = run.catch(() => {});
    return run;
  }

  private async createNow(body: CreateMissionBody): Promise<CreateMissionResult> {
    if (this.closed) return { ok: false, status: 503, message: 'the controller is stopping', issues: [] };
    const busy = new Set([...this.missions.values()].filter((m) => !['done', 'aborted'].includes(m.status)).flatMap((m) => m.runs.map((r) => r.droneId)));
    const landed = this.drones.list().filter((d) => d.online && d.telemetry?.mode === 'landed' && !busy.has(d.id));
    const id = `mission-${++this.seq}-${Math.random().toString(36).slice(2, 6)}`;
    const made = await newMission(id, body, landed, {
      nowMs: this.options.clock.now(),
      coverageCellM: this.options.coverageCellM,
      planner: this.options.planner ?? inProcessSprayPlanner,
    });
    if (!made.ok) return made;
    if (this.closed) return { ok: false, status: 503, message: 'the controller is stopping', issues: [] };
    const { mission } = made;
    const { plan } = mission.setup;
    const { runs } = mission;
    this.missions.set(id, mission);
    // Saved before anything is uploaded: after a crash the restored mission uploads again what a drone lacks.
    await this.saver.create(mission);
    this.note(
      mission,
      `planned: ${plan.stats.sorties} sorties for ${runs.length} drones (${runs.map((r) => r.droneId).join(', ')}), ${(plan.stats.areaM2 / 10_000).toFixed(2)} ha, predicted ${Math.round(plan.stats.makespanS / 60)} min`,
    );
    for (const run of runs) await this.upload(mission, run);
    return { ok: true, id, plan: planView(mission), assigned: runs.map((r) => r.droneId) };
  }

  /** What a mission was planned on and the plan, for a screen that did not make it (another tablet, a reload, a restart). */
  planOf(id: string): { id: string; zones: CreateMissionBody['zones']; plan: PlanView; assigned: string[] } | undefined {
    const m = this.missions.get(id);
    return m && { id, zones: m.setup.body.zones, plan: planView(m), assigned: m.runs.map((r) => r.droneId) };
  }

  /** Operator confirms the zone is clear of people. */
  clear(id: string): MissionActionResult {
    return this.act(id, ['planned', 'cleared'], (m) => {
      m.zoneClear = true;
      m.status = 'cleared';
      this.note(m, 'operator confirmed the zone is clear');
    });
  }

  launch(id: string): MissionActionResult {
    const m = this.missions.get(id);
    if (m && m.status === 'planned') return { ok: false, status: 409, message: 'confirm the zone is clear first (POST /api/missions/:id/clear)' };
    return this.act(id, ['cleared'], (mission) => {
      mission.status = 'running';
      mission.startedAtMs = this.options.clock.now();
      this.note(mission, 'launched');
      this.updateWind(mission);
      for (const run of mission.runs) this.advance(mission, run);
    });
  }

  pause(id: string): MissionActionResult {
    return this.act(id, ['running'], (m) => {
      m.status = 'paused';
      this.note(m, 'paused: drones hover where they are, the pump off; landed drones stay');
      for (const run of m.runs) if (AIRBORNE.has(run.lastTelemetry?.mode ?? '') && run.lastTelemetry?.mode !== 'returning') this.command(run, { command: 'pause' });
    });
  }

  resume(id: string): MissionActionResult {
    return this.act(id, ['paused', 'returning'], (m) => {
      m.status = 'running';
      this.note(m, 'resumed');
      for (const run of m.runs) {
        run.breachHold = false;
        if (run.lastTelemetry?.mode === 'paused') this.command(run, { command: 'resume' });
        else this.advance(m, run);
      }
    });
  }

  /** The operator hands drones that a pilot (or their autopilot's failsafe) took over back to their bridges; they then hold where they are. */
  takeControl(id: string): MissionActionResult {
    const m = this.missions.get(id);
    if (m && !m.runs.some((r) => r.externalControl)) return { ok: false, status: 409, message: 'no drone of this mission is under external control' };
    return this.act(id, ['running', 'paused', 'returning'], (mission) => {
      for (const run of mission.runs) {
        if (!run.externalControl) continue;
        this.note(mission, `${run.droneId}: the operator hands control back to the bridge`);
        this.command(run, { command: 'resumeControl' });
      }
    });
  }

  returnHome(id: string): MissionActionResult {
    return this.act(id, ['running', 'paused'], (m) => {
      m.status = 'returning';
      this.note(m, 'return home: every drone back to a pad, the point reached is kept');
      for (const run of m.runs) if (AIRBORNE.has(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
      this.checkReturned(m);
    });
  }

  abort(id: string): MissionActionResult {
    return this.act(id, ['planned', 'cleared', 'running', 'paused', 'returning'], (m) => {
      m.status = 'aborted';
      m.finishedAtMs = this.options.clock.now();
      this.note(m, 'aborted: drones return to the nearest pad', 'warn');
      for (const run of m.runs) if (AIRBORNE.has(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'abort' });
      this.forgetOldFinished();
    });
  }

  // ---- telemetry ----------------------------------------------------------------------------

  private onTelemetry(drone: KnownDrone, previous: DroneTelemetry | undefined): void {
    this.emit('drones', drone.id);
    const t = drone.telemetry!;
    for (const m of this.missions.values()) {
      const run = m.runs.find((r) => r.droneId === drone.id);
      if (!run || m.status === 'done' || (m.status === 'aborted' && !AIRBORNE.has(t.mode))) continue;
      run.lastTelemetry = t;
      if (run.linkLostAlerted) {
        run.linkLostAlerted = false;
        this.note(m, `${drone.id}: link back`);
      }
      if (run.resync) this.resync(m, run, t);
      if (t.missionId !== m.id) continue;
      this.measure(m, run, t);
      this.count(m, t, previous);
      this.updateWind(m);
      this.checkGeofence(m, run, t);
      this.checkKeepout(m, run, t);
      this.checkAutopilot(m, run, t);
      if (m.status !== 'aborted') this.advance(m, run);
      if (m.status === 'returning') this.checkReturned(m);
      this.changed(m);
    }
  }

  private onConnection(drone: KnownDrone): void {
    this.emit('drones', drone.id);
    if (drone.online) return;
    for (const m of this.activeMissions()) {
      const run = m.runs.find((r) => r.droneId === drone.id);
      if (run && !run.linkLostAlerted && run.state !== 'done' && run.state !== 'lost') {
        run.linkLostAlerted = true;
        this.alert(m, { kind: 'droneLinkLost', drone: drone.id, message: `${drone.id}: link lost${run.airborne ? ' in the air; it returns home on its own after its timeout' : ''}` });
      }
    }
  }

  /** Doses the cells under the segment since the last report, with the litres the flow meter counted. */
  private measure(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
    const last = run.lastSample;
    run.lastSample = { x, y, sprayedL: t.sprayedL, ...(t.sortie !== undefined ? { sortie: t.sortie } : {}), ...(t.waypoint !== undefined ? { waypoint: t.waypoint } : {}) };
    if (!last || t.sprayedL < last.sprayedL) return;
    const litres = t.sprayedL - last.sprayedL;
    if (litres <= 1e-6) return;
    this.dose(m, m.coverage.addSegment(last, { x, y }, litres, run.droneId), { x: (x + last.x) / 2, y: (y + last.y) / 2 });
  }

  /** First telemetry of a drone after a controller restart: see {@link reconcileRun}. */
  private resync(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    const outcome = reconcileRun(m, run, t);
    if (outcome.dosed) this.dose(m, outcome.dosed.fresh, outcome.dosed.near);
    for (const n of outcome.notes) this.note(m, n.message, n.level);
    if (outcome.upload) void this.upload(m, run);
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

  private count(m: Mission, t: DroneTelemetry, previous: DroneTelemetry | undefined): void {
    if (!previous) return;
    if (previous.mode === 'landed' && t.mode === 'takingOff') m.sortiesFlown++;
    if (t.mode === 'landed' && t.tankL - previous.tankL > 1) m.refills++;
    if (t.mode === 'landed' && t.batteryPct - previous.batteryPct > 10) m.swaps++;
  }

  /** The sortie cycle of one drone, decided from its latest telemetry. */
  private advance(m: Mission, run: DroneRun): void {
    const t = run.lastTelemetry;
    if (!t || run.state === 'lost') return;
    if (run.pendingStart) {
      if (t.lastCommand?.commandId !== run.pendingStart.commandId) return;
      const refused = !t.lastCommand.accepted;
      if (refused) this.note(m, `${run.droneId} refused start: ${t.lastCommand.reason}`, 'warn');
      run.pendingStart = undefined;
      if (!refused) run.airborne = true;
    }
    if (t.mode !== 'landed') {
      run.airborne = true;
      run.state = t.mode === 'returning' || t.mode === 'landing' ? 'returning' : 'flying';
      if (t.sortie === run.next) run.waypoint = t.waypoint ?? 0;
      return;
    }
    if (run.airborne) {
      // Landed after a flight: the job is done, or cut short with its exact point kept.
      run.airborne = false;
      const job = run.queue[run.next];
      if (job && t.lastCompletedSortie >= run.next) {
        job.done = true;
        job.progress = undefined;
        this.note(m, `${run.droneId}: sortie ${run.next + 1}/${run.queue.length} done`);
        run.next++;
      } else if (job && t.resume && t.resume.sortie === run.next) {
        job.progress = { waypoint: t.resume.waypoint, lat: t.resume.lat, lon: t.resume.lon };
        const why = t.alarm ? ` (${t.alarm})` : '';
        this.note(m, `${run.droneId}: back on a pad in sortie ${run.next + 1}${why}; continues at waypoint ${t.resume.waypoint}`, t.alarm ? 'warn' : 'info');
        if (t.alarm === 'batteryLow')
          this.alert(m, {
            kind: 'batteryLow',
            drone: run.droneId,
            message: `${run.droneId}: battery low, returned before the end of its sortie; it resumes from the same point after a swap`,
          });
      }
    }
    if (run.next >= run.queue.length) {
      run.state = 'done';
      this.checkDone(m);
      return;
    }
    if (m.status !== 'running') {
      run.state = 'waiting';
      return;
    }
    if (m.windHold || run.breachHold) {
      run.state = 'held';
      return;
    }
    const ready = t.batteryPct >= (this.options.readyBatteryPct ?? 90) && t.tankL >= 0.95 * m.setup.tankL;
    if (!ready) {
      run.state = 'servicing';
      return;
    }
    const job = run.queue[run.next]!;
    run.state = 'flying';
    run.waypoint = job.progress?.waypoint ?? 1;
    const commandId = this.command(run, {
      command: 'start',
      missionId: m.id,
      sortie: run.next,
      ...(job.progress ? { from: { sortie: run.next, ...job.progress } } : {}),
      ...approachPath(m, t, job.progress ?? job.waypoints[0]!),
    });
    run.pendingStart = { commandId, atMs: this.options.clock.now() };
    this.saver.save(m);
  }

  private updateWind(m: Mission): void {
    if (m.status === 'done' || m.status === 'aborted') return;
    const now = this.options.clock.now();
    let worst = 0;
    for (const run of m.runs) {
      const t = run.lastTelemetry;
      if (!t || run.state === 'lost') continue;
      // Smoothed over ~10 s: one gust does not stop the mission, a windy minute does.
      const dtS = run.windAtMs === undefined ? Infinity : (now - run.windAtMs) / 1000;
      const k = Math.min(1, dtS / 10);
      run.windEmaMps = run.windEmaMps === undefined ? t.windMps : run.windEmaMps + (t.windMps - run.windEmaMps) * k;
      run.windAtMs = now;
      worst = Math.max(worst, run.windEmaMps);
    }
    if (!m.windHold && worst > this.windLimitMps) {
      m.windHold = true;
      this.alert(m, {
        kind: 'windTooStrong',
        drone: '',
        message: `wind ${worst.toFixed(1)} m/s above the limit of ${this.windLimitMps} m/s: no spraying, sorties held on the pads until it stays under ${this.windLimitMps - 0.5} m/s for ${this.options.windCalmS ?? 120} s`,
      });
      if (m.status === 'running')
        for (const run of m.runs)
          if (['takingOff', 'transit', 'mission', 'paused'].includes(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
    } else if (m.windHold && worst <= this.windLimitMps - 0.5) {
      // Calm since the first report under the threshold; a hold ends only after a calm spell.
      m.windCalmSinceMs ??= now;
      const calmS = this.options.windCalmS ?? 120;
      if (now - m.windCalmSinceMs < calmS * 1000) return;
      m.windHold = false;
      m.windCalmSinceMs = undefined;
      this.note(m, `wind down to ${worst.toFixed(1)} m/s for ${calmS} s: sorties continue`);
      for (const run of m.runs) this.advance(m, run);
    } else if (m.windHold) m.windCalmSinceMs = undefined;
  }

  private checkGeofence(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    if (t.mode === 'landed') return;
    const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
    const inside = insideMultiPolygon({ x, y }, m.zones.geofence);
    if (inside) {
      run.outside = false;
      return;
    }
    if (run.outside) return;
    run.outside = true;
    const where = `${t.lat.toFixed(6)}, ${t.lon.toFixed(6)}`;
    if (t.mode === 'returning' || t.mode === 'landing') {
      // A failsafe return flies straight at transit height (the drone has no map); it is on its way home already.
      this.alert(m, { kind: 'geofenceBreach', drone: run.droneId, message: `${run.droneId} left the geofence at ${where} on its way home` });
      return;
    }
    run.breachHold = true;
    this.alert(m, { kind: 'geofenceBreach', drone: run.droneId, message: `${run.droneId} left the geofence at ${where}: sent home, held until the operator resumes` });
    this.command(run, { command: 'returnHome', ...homePath(m, t) });
  }

  /** Inside a keepout with the pump on: pump off and out by the nearest clear way, home, held until the operator resumes. */
  private checkKeepout(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    if (keepoutBreach(m, run, t) !== 'breach') return;
    run.breachHold = true;
    this.alert(m, {
      kind: 'keepoutBreach',
      drone: run.droneId,
      message: `${run.droneId} sprayed inside a keepout at ${t.lat.toFixed(6)}, ${t.lon.toFixed(6)}: pump off, out by a clear path and home, held until the operator resumes`,
    });
    this.command(run, { command: 'returnHome', ...homePath(m, t) });
  }

  /** The autopilot's own lines go to the mission log; a takeover by a pilot (or its failsafe) is an alert. */
  private checkAutopilot(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    for (const entry of t.log ?? []) this.note(m, `${run.droneId}: ${entry.message}`, entry.level);
    const change = controlChange(run, t);
    if (change === 'taken') {
      const ext = t.autopilot.externalControl!;
      this.alert(m, {
        kind: 'externalControl',
        drone: run.droneId,
        message: `${run.droneId} is flown by someone else (${ext.mode}): ${ext.reason}; the controller does not command it until the operator hands it back`,
      });
    } else if (change === 'released') this.note(m, `${run.droneId}: back under the bridge's control`);
  }

  private checkReturned(m: Mission): void {
    if (m.status !== 'returning') return;
    if (m.runs.every((r) => r.state === 'lost' || r.lastTelemetry?.mode === 'landed')) {
      m.status = 'paused';
      this.note(m, 'all drones on the ground; resume to continue from where each stopped');
    }
  }

  private checkDone(m: Mission): void {
    if (m.status === 'done' || m.status === 'aborted') return;
    if (m.runs.every((r) => r.state === 'done' || r.state === 'lost') && m.jobs.every((j) => j.done)) {
      m.status = 'done';
      m.finishedAtMs = this.options.clock.now();
      this.saver.flush(m, { coverage: true });
      const s = m.coverage.stats();
      this.forgetOldFinished();
      this.note(m, `done: coverage ${s.coveragePct.toFixed(2)} %, overspray ${s.oversprayPct.toFixed(2)} %, ${m.sortiesFlown} flights, ${m.refills} refills`);
    }
  }

  /** Silence checks: link lost, drone not returned (its sorties then go to the others). */
  private onTick(): void {
    const now = this.options.clock.now();
    const linkLostAfterS = this.options.linkLostAfterS ?? 15;
    const silentNow = new Map<string, number>();
    for (const m of this.activeMissions()) {
      for (const run of m.runs) {
        if (run.state === 'done' || run.state === 'lost' || (!run.airborne && !run.resync)) continue;
        // Restored and never heard since: it may have gone down with the controller, landed or not.
        const known = run.resync ? this.startedAt : this.drones.get(run.droneId);
        // Silent on several ticks in a row: after a stall (a GC pause, a busy machine; at high
        // time scales minutes of clock time) the overdue tick runs before the telemetry waiting in
        // the sockets is read, and a message takes two reads (the broker's, then ours), each after
        // the next tick at worst. No real time is read, so a run on the simulator's virtual clock
        // decides the same at any machine load.
        const key = `${m.id}/${run.droneId}`;
        const rawSilentS = known ? (now - known.lastSeenMs) / 1000 : 0;
        const ticks = rawSilentS > linkLostAfterS ? (this.silentTicks.get(key) ?? 0) + 1 : 0;
        if (ticks) silentNow.set(key, ticks);
        const silentS = ticks >= SILENT_TICKS ? rawSilentS : 0;
        if (silentS > linkLostAfterS && !run.linkLostAlerted) {
          run.linkLostAlerted = true;
          const why = run.resync ? 'since the controller restarted' : 'while in the air';
          this.alert(m, { kind: 'droneLinkLost', drone: run.droneId, message: `${run.droneId}: no telemetry for ${Math.round(silentS)} s ${why}` });
        }
        if (silentS > (this.options.notReturnedTimeoutS ?? 600)) this.lose(m, run);
      }
      if (m.status === 'running') for (const run of m.runs) if (run.state !== 'flying' && run.state !== 'returning') this.advance(m, run);
      this.changed(m);
    }
    this.silentTicks = silentNow;
    for (const m of this.missions.values()) this.saver.flush(m);
  }

  private lose(m: Mission, run: DroneRun): void {
    run.state = 'lost';
    run.airborne = false;
    const t = run.lastTelemetry;
    const job = run.queue[run.next];
    if (job && t && t.sortie === run.next && t.waypoint !== undefined && t.waypoint >= 1) {
      job.progress = t.resume && t.resume.sortie === run.next ? { waypoint: t.resume.waypoint, lat: t.resume.lat, lon: t.resume.lon } : { waypoint: t.waypoint, lat: t.lat, lon: t.lon };
    }
    const left = run.queue.slice(run.next).filter((j) => !j.done);
    run.queue = run.queue.slice(0, run.next);
    this.alert(m, { kind: 'droneNotReturned', drone: run.droneId, message: `${run.droneId} has not come back; its ${left.length} remaining sorties go to the other drones` });
    const others = m.runs.filter((r) => r.state !== 'lost');
    if (others.length === 0) {
      this.note(m, 'no drone left to fly the remaining sorties', 'error');
      return;
    }
    for (const job of left) {
      const to = others.reduce((a, b) => (b.queue.length - b.next < a.queue.length - a.next ? b : a));
      to.queue.push(job);
    }
    for (const r of others) {
      if (r.state === 'done' && r.next < r.queue.length) r.state = 'waiting';
      void this.upload(m, r);
      this.advance(m, r);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private act(id: string, allowed: Mission['status'][], apply: (m: Mission) => void): MissionActionResult {
    const m = this.missions.get(id);
    if (!m) return { ok: false, status: 404, message: `no mission ${id}` };
    if (!allowed.includes(m.status)) return { ok: false, status: 409, message: `not allowed while the mission is ${m.status}` };
    apply(m);
    this.changed(m);
    this.saver.save(m);
    return { ok: true, summary: missionSummary(m, this.options.clock.now()) };
  }

  private async upload(m: Mission, run: DroneRun): Promise<void> {
    const message: DroneMission = {
      headerId: this.commandSeq++,
      timestamp: new Date(this.options.clock.now()).toISOString(),
      droneId: run.droneId,
      missionId: m.id,
      sorties: run.queue.map((j, index) => ({ index, waypoints: j.waypoints })),
      pads: m.zones.pads.map((p) => ({ lat: p.lat, lon: p.lon })),
      ...autopilotFence(m),
    };
    await this.options.mqtt.publishAsync(droneTopic(run.droneId, 'mission'), JSON.stringify(message), { qos: 1 });
  }

  private command(run: DroneRun, body: Record<string, unknown> & { command: DroneCommand['command'] }): string {
    const commandId = `${this.instance}-${++this.commandSeq}`;
    const message = { headerId: this.commandSeq, timestamp: new Date(this.options.clock.now()).toISOString(), droneId: run.droneId, commandId, ...body };
    this.options.mqtt.publish(droneTopic(run.droneId, 'command'), JSON.stringify(message), { qos: 1 });
    return commandId;
  }

  private note(m: Mission, message: string, level: MissionLogEntry['level'] = 'info'): void {
    m.log.push({ at: new Date(this.options.clock.now()).toISOString(), message, level });
    if (m.log.length > LOG_LIMIT) m.log.splice(0, m.log.length - LOG_LIMIT);
    this.options.log[level === 'info' ? 'info' : 'warn']({ mission: m.id }, message);
    this.changed(m);
    this.saver.save(m);
  }

  private alert(m: Mission, alert: DroneAlert): void {
    this.note(m, alert.message, 'warn');
    this.emit('alert', alert);
  }

  private activeMissions(): Mission[] {
    return [...this.missions.values()].filter((m) => ['running', 'paused', 'returning'].includes(m.status));
  }

  private get finishedKept(): number {
    return this.options.finishedKept ?? 20;
  }

  /** Drops the oldest finished missions from memory beyond `finishedKept`; the store keeps them. */
  private forgetOldFinished(): void {
    const finished = [...this.missions.values()].filter((m) => m.status === 'done' || m.status === 'aborted').sort((a, b) => b.createdAtMs - a.createdAtMs);
    for (const m of finished.slice(this.finishedKept)) {
      this.saver.flush(m, { coverage: true });
      this.missions.delete(m.id);
      this.dirtyCells.delete(m.id);
    }
  }

  private async restore(): Promise<void> {
    for (const record of (await this.options.store?.missions({ finished: this.finishedKept })) ?? []) {
      try {
        const m = missionOf(record);
        this.missions.set(m.id, m);
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
      this.options.clock.setTimeout(() => {
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

  private attach(io: Server): void {
    // The drones changed since the last push, sent at most every DRONE_PUSH_MS: a push carries
    // only those, so its cost follows the telemetry rate, not the fleet's size.
    const changed = new Set<string>();
    this.on('drones', (id) => {
      changed.add(id);
      this.dronesPush ??= this.options.clock.setTimeout(() => {
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
