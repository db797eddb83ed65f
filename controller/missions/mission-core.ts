import type { DroneTelemetry } from '../../protocol/index.js';
import { approachPath, homePath } from './flight-paths.js';
import { watchAutopilot, watchGeofence, watchKeepout, watchWind } from './flight-watch.js';
import { isAirborne, shownState, type DroneRun, type Mission } from './mission.js';
import { MissionEffects, type MissionEffect } from './mission-effects.js';
import { reconcileRun } from './reconcile-run.js';
import { refusal, type Refusal } from '../refusal.js';

export type { MissionEffect } from './mission-effects.js';

/** Ticks in a row a drone must be silent past the link-lost time before it counts as silent (see {@link MissionCore.tick}). */
const SILENT_TICKS = 4;
const AIRBORNE_MODES = new Set(['takingOff', 'transit', 'mission', 'paused', 'returning', 'landing']);

/** The rules of the sortie cycle (see `MissionManagerOptions` for their meaning and defaults). */
export interface MissionRules {
  windLimitMps: number;
  windCalmS: number;
  notReturnedTimeoutS: number;
  linkLostAfterS: number;
  readyBatteryPct: number;
  finishedKept: number;
  /** Tags command ids of this run of the controller, so that none repeats after a restart. */
  instance: string;
}

/** An operator action's outcome: refused (no such mission, or not now), or taken on the mission with these effects. */
export type MissionActed = { refused: Refusal; effects: [] } | { refused?: undefined; mission: Mission; effects: MissionEffect[] };

/**
 * The spray missions' sortie cycle without I/O: telemetry, link changes, ticks and operator actions
 * in; the missions' new state and the effects to apply out (commands and mission uploads to
 * publish, records to save, alerts, log lines, pushes). It reads no clock (`nowMs` comes with every
 * input) and no randomness, so a fixed sequence of inputs gives the same effects.
 */
export class MissionCore {
  readonly missions = new Map<string, Mission>();
  /** Runs (mission/drone) past the link-lost silence, with the ticks in a row they have been. */
  private silentTicks = new Map<string, number>();
  /** When the controller started: restored drones count as silent from then until they report. */
  private startedAtMs = 0;
  private readonly fx: MissionEffects;

  constructor(private readonly rules: MissionRules) {
    this.fx = new MissionEffects(rules.instance);
  }

  /** The controller (re)started at `nowMs`. */
  started(nowMs: number): void {
    this.startedAtMs = nowMs;
  }

  /** Drones that fly a mission not finished (a new plan cannot take them). */
  busyDrones(): Set<string> {
    return new Set([...this.missions.values()].filter((m) => !['done', 'aborted'].includes(m.status)).flatMap((m) => m.runs.map((r) => r.droneId)));
  }

  /** A mission restored from the store. */
  restored(m: Mission): void {
    this.missions.set(m.id, m);
  }

  /** A mission just planned (and saved): noted and uploaded to each of its drones. */
  planned(m: Mission, nowMs: number): MissionEffect[] {
    this.fx.begin(nowMs);
    this.missions.set(m.id, m);
    const { plan } = m.setup;
    this.fx.note(
      m,
      `planned: ${plan.stats.sorties} sorties for ${m.runs.length} drones (${m.runs.map((r) => r.droneId).join(', ')}), ${(plan.stats.areaM2 / 10_000).toFixed(2)} ha, predicted ${Math.round(plan.stats.makespanS / 60)} min`,
    );
    for (const run of m.runs) this.fx.upload(m, run);
    return this.fx.end();
  }

  // ---- operator actions ---------------------------------------------------------------------

  /** Operator confirms the zone is clear of people. */
  clear(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['planned', 'cleared'], (m) => {
      m.zoneClear = true;
      m.status = 'cleared';
      this.fx.note(m, 'operator confirmed the zone is clear');
    });
  }

  launch(id: string, nowMs: number): MissionActed {
    const m = this.missions.get(id);
    if (m && m.status === 'planned') return { refused: refusal('conflict', 'confirm the zone is clear first (POST /api/missions/:id/clear)'), effects: [] };
    return this.act(id, nowMs, ['cleared'], (mission) => {
      mission.status = 'running';
      mission.startedAtMs = this.fx.nowMs;
      this.fx.note(mission, 'launched');
      this.updateWind(mission);
      for (const run of mission.runs) this.advance(mission, run);
    });
  }

  pause(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['running'], (m) => {
      m.status = 'paused';
      this.fx.note(m, 'paused: drones hover where they are, the pump off; landed drones stay');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '') && run.lastTelemetry?.mode !== 'returning') this.fx.command(run, { command: 'pause' });
    });
  }

  resume(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['paused', 'returning'], (m) => {
      m.status = 'running';
      this.fx.note(m, 'resumed');
      for (const run of m.runs) {
        run.breachHold = false;
        if (run.lastTelemetry?.mode === 'paused') this.fx.command(run, { command: 'resume' });
        else this.advance(m, run);
      }
    });
  }

  /** The operator hands drones that a pilot (or their autopilot's failsafe) took over back to their bridges; they then hold where they are. */
  takeControl(id: string, nowMs: number): MissionActed {
    const m = this.missions.get(id);
    if (m && !m.runs.some((r) => r.watch.externalControl)) return { refused: refusal('conflict', 'no drone of this mission is under external control'), effects: [] };
    return this.act(id, nowMs, ['running', 'paused', 'returning'], (mission) => {
      for (const run of mission.runs) {
        if (!run.watch.externalControl) continue;
        this.fx.note(mission, `${run.droneId}: the operator hands control back to the bridge`);
        this.fx.command(run, { command: 'resumeControl' });
      }
    });
  }

  returnHome(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['running', 'paused'], (m) => {
      m.status = 'returning';
      this.fx.note(m, 'return home: every drone back to a pad, the point reached is kept');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '')) this.fx.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
      this.checkReturned(m);
    });
  }

  abort(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['planned', 'cleared', 'running', 'paused', 'returning'], (m) => {
      m.status = 'aborted';
      m.finishedAtMs = this.fx.nowMs;
      this.fx.note(m, 'aborted: drones return to the nearest pad', 'warn');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '')) this.fx.command(run, { command: 'abort' });
      this.forgetOldFinished();
    });
  }

  // ---- drones -------------------------------------------------------------------------------

  /** A drone's telemetry (`previous`: the one before it, for the counters). */
  telemetry(droneId: string, t: DroneTelemetry, previous: DroneTelemetry | undefined, nowMs: number): MissionEffect[] {
    this.fx.begin(nowMs);
    for (const m of this.missions.values()) {
      const run = m.runs.find((r) => r.droneId === droneId);
      if (!run || m.status === 'done' || (m.status === 'aborted' && !AIRBORNE_MODES.has(t.mode))) continue;
      run.lastTelemetry = t;
      if (run.watch.linkLost) {
        run.watch.linkLost = false;
        this.fx.note(m, `${droneId}: link back`);
      }
      if (run.progress.kind === 'restored') this.resync(m, run, t);
      if (t.missionId !== m.id) continue;
      this.measure(m, run, t);
      this.count(m, t, previous);
      this.updateWind(m);
      watchGeofence(this.fx, m, run, t);
      watchKeepout(this.fx, m, run, t);
      watchAutopilot(this.fx, m, run, t);
      if (m.status !== 'aborted') this.advance(m, run);
      if (m.status === 'returning') this.checkReturned(m);
      this.fx.changed(m);
    }
    return this.fx.end();
  }

  /** A drone's link went down (its `connection` says so). */
  linkDown(droneId: string, nowMs: number): MissionEffect[] {
    this.fx.begin(nowMs);
    for (const m of this.activeMissions()) {
      const run = m.runs.find((r) => r.droneId === droneId);
      const state = run && shownState(run.progress);
      if (run && !run.watch.linkLost && state !== 'done' && state !== 'lost') {
        run.watch.linkLost = true;
        this.fx.alert(m, {
          kind: 'droneLinkLost',
          drone: droneId,
          message: `${droneId}: link lost${isAirborne(run.progress) ? ' in the air; it returns home on its own after its timeout' : ''}`,
        });
      }
    }
    return this.fx.end();
  }

  /**
   * Silence checks, every tick: link lost, drone not returned (its sorties then go to the
   * others); runs on a pad try the next sortie. `lastSeenMs`: clock ms of a drone's last telemetry.
   */
  tick(nowMs: number, lastSeenMs: (droneId: string) => number | undefined): MissionEffect[] {
    this.fx.begin(nowMs);
    const silentNow = new Map<string, number>();
    for (const m of this.activeMissions()) {
      for (const run of m.runs) {
        const state = shownState(run.progress);
        const restored = run.progress.kind === 'restored';
        if (state === 'done' || state === 'lost' || (!isAirborne(run.progress) && !restored)) continue;
        // Restored and never heard since: it may have gone down with the controller, landed or not.
        const seen = restored ? this.startedAtMs : lastSeenMs(run.droneId);
        // Silent on several ticks in a row: after a stall (a GC pause, a busy machine; at high
        // time scales minutes of clock time) the overdue tick runs before the telemetry waiting in
        // the sockets is read, and a message takes two reads (the broker's, then ours), each after
        // the next tick at worst. No real time is read, so a run on the simulator's virtual clock
        // decides the same at any machine load.
        const key = `${m.id}/${run.droneId}`;
        const rawSilentS = seen !== undefined ? (nowMs - seen) / 1000 : 0;
        const ticks = rawSilentS > this.rules.linkLostAfterS ? (this.silentTicks.get(key) ?? 0) + 1 : 0;
        if (ticks) silentNow.set(key, ticks);
        const silentS = ticks >= SILENT_TICKS ? rawSilentS : 0;
        if (silentS > this.rules.linkLostAfterS && !run.watch.linkLost) {
          run.watch.linkLost = true;
          const why = restored ? 'since the controller restarted' : 'while in the air';
          this.fx.alert(m, { kind: 'droneLinkLost', drone: run.droneId, message: `${run.droneId}: no telemetry for ${Math.round(silentS)} s ${why}` });
        }
        if (silentS > this.rules.notReturnedTimeoutS) this.lose(m, run);
      }
      if (m.status === 'running')
        for (const run of m.runs) {
          const state = shownState(run.progress);
          if (state !== 'flying' && state !== 'returning') this.advance(m, run);
        }
      this.fx.changed(m);
    }
    this.silentTicks = silentNow;
    for (const m of this.missions.values()) this.fx.push({ kind: 'flush', mission: m, coverage: false });
    return this.fx.end();
  }

  // ---- the sortie cycle ---------------------------------------------------------------------

  /** First telemetry of a drone after a controller restart: see {@link reconcileRun}. */
  private resync(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    const outcome = reconcileRun(m, run, t);
    if (outcome.dosed) this.fx.push({ kind: 'dosed', mission: m, fresh: outcome.dosed.fresh, near: outcome.dosed.near });
    for (const n of outcome.notes) this.fx.note(m, n.message, n.level);
    if (outcome.upload) this.fx.upload(m, run);
  }

  /** Doses the cells under the segment since the last report, with the litres the flow meter counted. */
  private measure(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
    const last = run.lastSample;
    run.lastSample = { x, y, sprayedL: t.sprayedL, ...(t.sortie !== undefined ? { sortie: t.sortie } : {}), ...(t.waypoint !== undefined ? { waypoint: t.waypoint } : {}) };
    if (!last || t.sprayedL < last.sprayedL) return;
    const litres = t.sprayedL - last.sprayedL;
    if (litres <= 1e-6) return;
    const fresh = m.coverage.addSegment(last, { x, y }, litres, run.droneId);
    this.fx.push({ kind: 'dosed', mission: m, fresh, near: { x: (x + last.x) / 2, y: (y + last.y) / 2 } });
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
    if (!t || shownState(run.progress) === 'lost') return;
    let airborne = isAirborne(run.progress);
    if (run.progress.kind === 'starting') {
      if (t.lastCommand?.commandId !== run.progress.commandId) return;
      const refused = !t.lastCommand.accepted;
      if (refused) this.fx.note(m, `${run.droneId} refused start: ${t.lastCommand.reason}`, 'warn');
      airborne = !refused;
    }
    if (t.mode !== 'landed') {
      run.progress = { kind: t.mode === 'returning' || t.mode === 'landing' ? 'returning' : 'flying' };
      if (t.sortie === run.next) run.waypoint = t.waypoint ?? 0;
      return;
    }
    if (airborne) {
      // Landed after a flight: the job is done, or cut short with its exact point kept.
      const job = run.queue[run.next];
      if (job && t.lastCompletedSortie >= run.next) {
        job.done = true;
        job.progress = undefined;
        this.fx.note(m, `${run.droneId}: sortie ${run.next + 1}/${run.queue.length} done`);
        run.next++;
      } else if (job && t.resume && t.resume.sortie === run.next) {
        job.progress = { waypoint: t.resume.waypoint, lat: t.resume.lat, lon: t.resume.lon };
        const why = t.alarm ? ` (${t.alarm})` : '';
        this.fx.note(m, `${run.droneId}: back on a pad in sortie ${run.next + 1}${why}; continues at waypoint ${t.resume.waypoint}`, t.alarm ? 'warn' : 'info');
        if (t.alarm === 'batteryLow')
          this.fx.alert(m, {
            kind: 'batteryLow',
            drone: run.droneId,
            message: `${run.droneId}: battery low, returned before the end of its sortie; it resumes from the same point after a swap`,
          });
      }
    }
    if (run.next >= run.queue.length) {
      run.progress = { kind: 'done' };
      this.checkDone(m);
      return;
    }
    if (m.status !== 'running') {
      run.progress = { kind: 'waiting' };
      return;
    }
    if (m.windHold || run.breachHold) {
      run.progress = { kind: 'held' };
      return;
    }
    const ready = t.batteryPct >= this.rules.readyBatteryPct && t.tankL >= 0.95 * m.setup.tankL;
    if (!ready) {
      run.progress = { kind: 'servicing' };
      return;
    }
    const job = run.queue[run.next]!;
    run.waypoint = job.progress?.waypoint ?? 1;
    const commandId = this.fx.command(run, {
      command: 'start',
      missionId: m.id,
      sortie: run.next,
      ...(job.progress ? { from: { sortie: run.next, ...job.progress } } : {}),
      ...approachPath(m, t, job.progress ?? job.waypoints[0]!),
    });
    run.progress = { kind: 'starting', commandId, atMs: this.fx.nowMs };
    this.fx.save(m);
  }

  private updateWind(m: Mission): void {
    if (watchWind(this.fx, m, this.rules.windLimitMps, this.rules.windCalmS) === 'calmed') for (const run of m.runs) this.advance(m, run);
  }

  private checkReturned(m: Mission): void {
    if (m.status !== 'returning') return;
    if (m.runs.every((r) => shownState(r.progress) === 'lost' || r.lastTelemetry?.mode === 'landed')) {
      m.status = 'paused';
      this.fx.note(m, 'all drones on the ground; resume to continue from where each stopped');
    }
  }

  private checkDone(m: Mission): void {
    if (m.status === 'done' || m.status === 'aborted') return;
    const over = (state: string) => state === 'done' || state === 'lost';
    if (m.runs.every((r) => over(shownState(r.progress))) && m.jobs.every((j) => j.done)) {
      m.status = 'done';
      m.finishedAtMs = this.fx.nowMs;
      this.fx.push({ kind: 'flush', mission: m, coverage: true });
      const s = m.coverage.stats();
      this.forgetOldFinished();
      this.fx.note(m, `done: coverage ${s.coveragePct.toFixed(2)} %, overspray ${s.oversprayPct.toFixed(2)} %, ${m.sortiesFlown} flights, ${m.refills} refills`);
    }
  }

  private lose(m: Mission, run: DroneRun): void {
    run.progress = { kind: 'lost' };
    const t = run.lastTelemetry;
    const job = run.queue[run.next];
    if (job && t && t.sortie === run.next && t.waypoint !== undefined && t.waypoint >= 1) {
      job.progress = t.resume && t.resume.sortie === run.next ? { waypoint: t.resume.waypoint, lat: t.resume.lat, lon: t.resume.lon } : { waypoint: t.waypoint, lat: t.lat, lon: t.lon };
    }
    const left = run.queue.slice(run.next).filter((j) => !j.done);
    run.queue = run.queue.slice(0, run.next);
    this.fx.alert(m, { kind: 'droneNotReturned', drone: run.droneId, message: `${run.droneId} has not come back; its ${left.length} remaining sorties go to the other drones` });
    const others = m.runs.filter((r) => shownState(r.progress) !== 'lost');
    if (others.length === 0) {
      this.fx.note(m, 'no drone left to fly the remaining sorties', 'error');
      return;
    }
    for (const job of left) {
      const to = others.reduce((a, b) => (b.queue.length - b.next < a.queue.length - a.next ? b : a));
      to.queue.push(job);
    }
    for (const r of others) {
      if (shownState(r.progress) === 'done' && r.next < r.queue.length) r.progress = { kind: 'waiting' };
      this.fx.upload(m, r);
      this.advance(m, r);
    }
  }

  // ---- effects ------------------------------------------------------------------------------

  private act(id: string, nowMs: number, allowed: Mission['status'][], apply: (m: Mission) => void): MissionActed {
    const m = this.missions.get(id);
    if (!m) return { refused: refusal('notFound', `no mission ${id}`), effects: [] };
    if (!allowed.includes(m.status)) return { refused: refusal('conflict', `not allowed while the mission is ${m.status}`), effects: [] };
    this.fx.begin(nowMs);
    apply(m);
    this.fx.changed(m);
    this.fx.save(m);
    return { mission: m, effects: this.fx.end() };
  }

  private activeMissions(): Mission[] {
    return [...this.missions.values()].filter((m) => ['running', 'paused', 'returning'].includes(m.status));
  }

  /** Drops the oldest finished missions from memory beyond `finishedKept`; the store keeps them. */
  private forgetOldFinished(): void {
    const finished = [...this.missions.values()].filter((m) => m.status === 'done' || m.status === 'aborted').sort((a, b) => b.createdAtMs - a.createdAtMs);
    for (const m of finished.slice(this.rules.finishedKept)) {
      this.missions.delete(m.id);
      this.fx.push({ kind: 'forget', mission: m });
    }
  }
}
