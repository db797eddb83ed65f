import type { DroneAlert, DroneCommand, DroneMission, DroneTelemetry, MissionLogEntry } from '../../protocol/index.js';
import { insideMultiPolygon } from './coverage-raster.js';
import { approachPath, homePath } from './flight-paths.js';
import { autopilotFence, controlChange, keepoutBreach } from './keepout-watch.js';
import { isAirborne, shownState, type DroneRun, type Mission } from './mission.js';
import { reconcileRun } from './reconcile-run.js';

/** Ticks in a row a drone must be silent past the link-lost time before it counts as silent (see {@link MissionCore.tick}). */
const SILENT_TICKS = 4;
const LOG_LIMIT = 500;
const AIRBORNE_MODES = new Set(['takingOff', 'transit', 'mission', 'paused', 'returning', 'landing']);

/** The rules of the sortie cycle (see `MissionManagerOptions` for their meaning and defaults). */
export interface MissionRules {
  windLimitMps: number;
  notReturnedTimeoutS: number;
  linkLostAfterS: number;
  readyBatteryPct: number;
  finishedKept: number;
  /** Tags command ids of this run of the controller, so that none repeats after a restart. */
  instance: string;
}

/**
 * What the shell is to do, in order. Records to save name the mission; the shell reads what to
 * write from it when it applies the effect (a later save carries a later state, never an older one).
 */
export type MissionEffect =
  /** Publish on the drone's topic (QoS 1). */
  | { kind: 'publish'; topic: 'command'; message: DroneCommand }
  | { kind: 'publish'; topic: 'mission'; message: DroneMission }
  /** Save the mission's progress now (a decision was taken). */
  | { kind: 'save'; mission: Mission }
  /** Save what changed since the last save; the dose raster when due, or now with `coverage`. */
  | { kind: 'flush'; mission: Mission; coverage: boolean }
  /** The mission changed: push it to the screens, save it on the next flush. */
  | { kind: 'changed'; mission: Mission }
  /** Cells dosed (the first-time ones, and around `near`, local metres): push them, snapshot the raster. */
  | { kind: 'dosed'; mission: Mission; fresh: number[]; near: { x: number; y: number } }
  | { kind: 'alert'; alert: DroneAlert }
  /** A line of the mission log, for the process log too. */
  | { kind: 'log'; missionId: string; level: MissionLogEntry['level']; message: string }
  /** Dropped from memory (finished, beyond `finishedKept`): flush it whole and forget its pushes. */
  | { kind: 'forget'; mission: Mission };

/** An operator action refused: no such mission, or not now. */
export type MissionRefusal = { ok: false; status: 404 | 409; message: string };
/** An operator action's outcome: refused, or taken on the mission with these effects. */
export type MissionActed = { refused: MissionRefusal; effects: [] } | { refused?: undefined; mission: Mission; effects: MissionEffect[] };

/**
 * The spray missions' sortie cycle without I/O: telemetry, link changes, ticks and operator actions
 * in; the missions' new state and the effects to apply out (commands and mission uploads to
 * publish, records to save, alerts, log lines, pushes). It reads no clock (`nowMs` comes with every
 * input) and no randomness, so a fixed sequence of inputs gives the same effects.
 */
export class MissionCore {
  readonly missions = new Map<string, Mission>();
  private commandSeq = 0;
  /** Runs (mission/drone) past the link-lost silence, with the ticks in a row they have been. */
  private silentTicks = new Map<string, number>();
  /** When the controller started: restored drones count as silent from then until they report. */
  private startedAtMs = 0;
  private out: MissionEffect[] = [];
  private nowMs = 0;

  constructor(private readonly rules: MissionRules) {}

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
    this.begin(nowMs);
    this.missions.set(m.id, m);
    const { plan } = m.setup;
    this.note(
      m,
      `planned: ${plan.stats.sorties} sorties for ${m.runs.length} drones (${m.runs.map((r) => r.droneId).join(', ')}), ${(plan.stats.areaM2 / 10_000).toFixed(2)} ha, predicted ${Math.round(plan.stats.makespanS / 60)} min`,
    );
    for (const run of m.runs) this.upload(m, run);
    return this.end();
  }

  // ---- operator actions ---------------------------------------------------------------------

  /** Operator confirms the zone is clear of people. */
  clear(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['planned', 'cleared'], (m) => {
      m.zoneClear = true;
      m.status = 'cleared';
      this.note(m, 'operator confirmed the zone is clear');
    });
  }

  launch(id: string, nowMs: number): MissionActed {
    const m = this.missions.get(id);
    if (m && m.status === 'planned') return { refused: { ok: false, status: 409, message: 'confirm the zone is clear first (POST /api/missions/:id/clear)' }, effects: [] };
    return this.act(id, nowMs, ['cleared'], (mission) => {
      mission.status = 'running';
      mission.startedAtMs = this.nowMs;
      this.note(mission, 'launched');
      this.updateWind(mission);
      for (const run of mission.runs) this.advance(mission, run);
    });
  }

  pause(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['running'], (m) => {
      m.status = 'paused';
      this.note(m, 'paused: drones hover where they are, the pump off; landed drones stay');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '') && run.lastTelemetry?.mode !== 'returning') this.command(run, { command: 'pause' });
    });
  }

  resume(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['paused', 'returning'], (m) => {
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
  takeControl(id: string, nowMs: number): MissionActed {
    const m = this.missions.get(id);
    if (m && !m.runs.some((r) => r.watch.externalControl)) return { refused: { ok: false, status: 409, message: 'no drone of this mission is under external control' }, effects: [] };
    return this.act(id, nowMs, ['running', 'paused', 'returning'], (mission) => {
      for (const run of mission.runs) {
        if (!run.watch.externalControl) continue;
        this.note(mission, `${run.droneId}: the operator hands control back to the bridge`);
        this.command(run, { command: 'resumeControl' });
      }
    });
  }

  returnHome(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['running', 'paused'], (m) => {
      m.status = 'returning';
      this.note(m, 'return home: every drone back to a pad, the point reached is kept');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
      this.checkReturned(m);
    });
  }

  abort(id: string, nowMs: number): MissionActed {
    return this.act(id, nowMs, ['planned', 'cleared', 'running', 'paused', 'returning'], (m) => {
      m.status = 'aborted';
      m.finishedAtMs = this.nowMs;
      this.note(m, 'aborted: drones return to the nearest pad', 'warn');
      for (const run of m.runs) if (AIRBORNE_MODES.has(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'abort' });
      this.forgetOldFinished();
    });
  }

  // ---- drones -------------------------------------------------------------------------------

  /** A drone's telemetry (`previous`: the one before it, for the counters). */
  telemetry(droneId: string, t: DroneTelemetry, previous: DroneTelemetry | undefined, nowMs: number): MissionEffect[] {
    this.begin(nowMs);
    for (const m of this.missions.values()) {
      const run = m.runs.find((r) => r.droneId === droneId);
      if (!run || m.status === 'done' || (m.status === 'aborted' && !AIRBORNE_MODES.has(t.mode))) continue;
      run.lastTelemetry = t;
      if (run.watch.linkLost) {
        run.watch.linkLost = false;
        this.note(m, `${droneId}: link back`);
      }
      if (run.progress.kind === 'restored') this.resync(m, run, t);
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
    return this.end();
  }

  /** A drone's link went down (its `connection` says so). */
  linkDown(droneId: string, nowMs: number): MissionEffect[] {
    this.begin(nowMs);
    for (const m of this.activeMissions()) {
      const run = m.runs.find((r) => r.droneId === droneId);
      const state = run && shownState(run.progress);
      if (run && !run.watch.linkLost && state !== 'done' && state !== 'lost') {
        run.watch.linkLost = true;
        this.alert(m, {
          kind: 'droneLinkLost',
          drone: droneId,
          message: `${droneId}: link lost${isAirborne(run.progress) ? ' in the air; it returns home on its own after its timeout' : ''}`,
        });
      }
    }
    return this.end();
  }

  /**
   * Silence checks, every tick: link lost, drone not returned (its sorties then go to the
   * others); runs on a pad try the next sortie. `lastSeenMs`: clock ms of a drone's last telemetry.
   */
  tick(nowMs: number, lastSeenMs: (droneId: string) => number | undefined): MissionEffect[] {
    this.begin(nowMs);
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
          this.alert(m, { kind: 'droneLinkLost', drone: run.droneId, message: `${run.droneId}: no telemetry for ${Math.round(silentS)} s ${why}` });
        }
        if (silentS > this.rules.notReturnedTimeoutS) this.lose(m, run);
      }
      if (m.status === 'running')
        for (const run of m.runs) {
          const state = shownState(run.progress);
          if (state !== 'flying' && state !== 'returning') this.advance(m, run);
        }
      this.changed(m);
    }
    this.silentTicks = silentNow;
    for (const m of this.missions.values()) this.out.push({ kind: 'flush', mission: m, coverage: false });
    return this.end();
  }

  // ---- the sortie cycle ---------------------------------------------------------------------

  /** First telemetry of a drone after a controller restart: see {@link reconcileRun}. */
  private resync(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    const outcome = reconcileRun(m, run, t);
    if (outcome.dosed) this.out.push({ kind: 'dosed', mission: m, fresh: outcome.dosed.fresh, near: outcome.dosed.near });
    for (const n of outcome.notes) this.note(m, n.message, n.level);
    if (outcome.upload) this.upload(m, run);
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
    this.out.push({ kind: 'dosed', mission: m, fresh, near: { x: (x + last.x) / 2, y: (y + last.y) / 2 } });
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
      if (refused) this.note(m, `${run.droneId} refused start: ${t.lastCommand.reason}`, 'warn');
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
    const commandId = this.command(run, {
      command: 'start',
      missionId: m.id,
      sortie: run.next,
      ...(job.progress ? { from: { sortie: run.next, ...job.progress } } : {}),
      ...approachPath(m, t, job.progress ?? job.waypoints[0]!),
    });
    run.progress = { kind: 'starting', commandId, atMs: this.nowMs };
    this.save(m);
  }

  private updateWind(m: Mission): void {
    if (m.status === 'done' || m.status === 'aborted') return;
    let worst = 0;
    for (const run of m.runs) {
      const t = run.lastTelemetry;
      if (!t || shownState(run.progress) === 'lost') continue;
      // Smoothed over ~10 s: one gust does not stop the mission, a windy minute does.
      const dtS = run.windAtMs === undefined ? Infinity : (this.nowMs - run.windAtMs) / 1000;
      const k = Math.min(1, dtS / 10);
      run.windEmaMps = run.windEmaMps === undefined ? t.windMps : run.windEmaMps + (t.windMps - run.windEmaMps) * k;
      run.windAtMs = this.nowMs;
      worst = Math.max(worst, run.windEmaMps);
    }
    const limit = this.rules.windLimitMps;
    if (!m.windHold && worst > limit) {
      m.windHold = true;
      this.alert(m, { kind: 'windTooStrong', drone: '', message: `wind ${worst.toFixed(1)} m/s above the limit of ${limit} m/s: no spraying, sorties held on the pads` });
      if (m.status === 'running')
        for (const run of m.runs)
          if (['takingOff', 'transit', 'mission', 'paused'].includes(run.lastTelemetry?.mode ?? '')) this.command(run, { command: 'returnHome', ...homePath(m, run.lastTelemetry!) });
    } else if (m.windHold && worst <= limit - 0.5) {
      m.windHold = false;
      this.note(m, `wind down to ${worst.toFixed(1)} m/s: sorties continue`);
      for (const run of m.runs) this.advance(m, run);
    }
  }

  private checkGeofence(m: Mission, run: DroneRun, t: DroneTelemetry): void {
    if (t.mode === 'landed') return;
    const [x, y] = m.zones.projection.toLocal(t.lon, t.lat);
    const inside = insideMultiPolygon({ x, y }, m.zones.geofence);
    if (inside) {
      run.watch.outsideFence = false;
      return;
    }
    if (run.watch.outsideFence) return;
    run.watch.outsideFence = true;
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
    if (m.runs.every((r) => shownState(r.progress) === 'lost' || r.lastTelemetry?.mode === 'landed')) {
      m.status = 'paused';
      this.note(m, 'all drones on the ground; resume to continue from where each stopped');
    }
  }

  private checkDone(m: Mission): void {
    if (m.status === 'done' || m.status === 'aborted') return;
    const over = (state: string) => state === 'done' || state === 'lost';
    if (m.runs.every((r) => over(shownState(r.progress))) && m.jobs.every((j) => j.done)) {
      m.status = 'done';
      m.finishedAtMs = this.nowMs;
      this.out.push({ kind: 'flush', mission: m, coverage: true });
      const s = m.coverage.stats();
      this.forgetOldFinished();
      this.note(m, `done: coverage ${s.coveragePct.toFixed(2)} %, overspray ${s.oversprayPct.toFixed(2)} %, ${m.sortiesFlown} flights, ${m.refills} refills`);
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
    this.alert(m, { kind: 'droneNotReturned', drone: run.droneId, message: `${run.droneId} has not come back; its ${left.length} remaining sorties go to the other drones` });
    const others = m.runs.filter((r) => shownState(r.progress) !== 'lost');
    if (others.length === 0) {
      this.note(m, 'no drone left to fly the remaining sorties', 'error');
      return;
    }
    for (const job of left) {
      const to = others.reduce((a, b) => (b.queue.length - b.next < a.queue.length - a.next ? b : a));
      to.queue.push(job);
    }
    for (const r of others) {
      if (shownState(r.progress) === 'done' && r.next < r.queue.length) r.progress = { kind: 'waiting' };
      this.upload(m, r);
      this.advance(m, r);
    }
  }

  // ---- effects ------------------------------------------------------------------------------

  private begin(nowMs: number): void {
    this.nowMs = nowMs;
    this.out = [];
  }

  private end(): MissionEffect[] {
    const effects = this.out;
    this.out = [];
    return effects;
  }

  private act(id: string, nowMs: number, allowed: Mission['status'][], apply: (m: Mission) => void): MissionActed {
    const m = this.missions.get(id);
    if (!m) return { refused: { ok: false, status: 404, message: `no mission ${id}` }, effects: [] };
    if (!allowed.includes(m.status)) return { refused: { ok: false, status: 409, message: `not allowed while the mission is ${m.status}` }, effects: [] };
    this.begin(nowMs);
    apply(m);
    this.changed(m);
    this.save(m);
    return { mission: m, effects: this.end() };
  }

  private upload(m: Mission, run: DroneRun): void {
    const message: DroneMission = {
      headerId: this.commandSeq++,
      timestamp: new Date(this.nowMs).toISOString(),
      droneId: run.droneId,
      missionId: m.id,
      sorties: run.queue.map((j, index) => ({ index, waypoints: j.waypoints })),
      pads: m.zones.pads.map((p) => ({ lat: p.lat, lon: p.lon })),
      ...autopilotFence(m),
    };
    this.out.push({ kind: 'publish', topic: 'mission', message });
  }

  private command(run: DroneRun, body: Record<string, unknown> & { command: DroneCommand['command'] }): string {
    const commandId = `${this.rules.instance}-${++this.commandSeq}`;
    const message = { headerId: this.commandSeq, timestamp: new Date(this.nowMs).toISOString(), droneId: run.droneId, commandId, ...body } as DroneCommand;
    this.out.push({ kind: 'publish', topic: 'command', message });
    return commandId;
  }

  private note(m: Mission, message: string, level: MissionLogEntry['level'] = 'info'): void {
    m.log.push({ at: new Date(this.nowMs).toISOString(), message, level });
    if (m.log.length > LOG_LIMIT) m.log.splice(0, m.log.length - LOG_LIMIT);
    this.out.push({ kind: 'log', missionId: m.id, level, message });
    this.changed(m);
    this.save(m);
  }

  private alert(m: Mission, alert: DroneAlert): void {
    this.note(m, alert.message, 'warn');
    this.out.push({ kind: 'alert', alert });
  }

  private changed(m: Mission): void {
    this.out.push({ kind: 'changed', mission: m });
  }

  private save(m: Mission): void {
    this.out.push({ kind: 'save', mission: m });
  }

  private activeMissions(): Mission[] {
    return [...this.missions.values()].filter((m) => ['running', 'paused', 'returning'].includes(m.status));
  }

  /** Drops the oldest finished missions from memory beyond `finishedKept`; the store keeps them. */
  private forgetOldFinished(): void {
    const finished = [...this.missions.values()].filter((m) => m.status === 'done' || m.status === 'aborted').sort((a, b) => b.createdAtMs - a.createdAtMs);
    for (const m of finished.slice(this.rules.finishedKept)) {
      this.missions.delete(m.id);
      this.out.push({ kind: 'forget', mission: m });
    }
  }
}
