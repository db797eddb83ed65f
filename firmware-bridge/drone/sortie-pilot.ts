import {
  bearingDeg,
  distanceM,
  sleep,
  turnRad,
  type Clock,
  type DroneAlarm,
  type DroneCommand,
  type DroneMission,
  type DroneMode,
  type GeoPoint,
  type ResumePoint,
} from '../../protocol/index.js';
import type { DroneDriver, FlightLeg, FlightPlan, GoToTarget } from './driver.js';
import { isPayloadCommand, PayloadControl } from './payload-control.js';

/** Flight constants of the bridge (not of the aircraft). */
export interface PilotSettings {
  /** Ferry speed for approaches and returns, m/s. Default 10 (T20 profile). */
  ferrySpeedMps: number;
  /** Battery that must be left on landing after a failsafe return, %. Default 12 (planned 20 % less a margin for estimate errors and wind). */
  failsafeReservePct: number;
  /** Approaches longer than this climb to the transit height first, m. Default 30. */
  climbAboveM: number;
}

const DEFAULTS: PilotSettings = { ferrySpeedMps: 10, failsafeReservePct: 12, climbAboveM: 30 };
/** Nominal drain before any is observed: 10 min at a full tank (T20 profile), in % per second. */
const NOMINAL_DRAIN_PCT_PER_S = 100 / 600;
const LANDING_S = 20;
const VERTICAL_MPS = 3;

type TaskKind = 'sortie' | 'return' | 'land';

/**
 * The flight logic of the drone bridge: flies one sortie at a time from the mission it holds,
 * keeps the exact point to resume from whenever a sortie is cut short (pause, return home,
 * battery, pump, link), and runs the failsafes. Mirrors the MAVLink mission model: items, a
 * current item (`waypoint`, the one flown towards), and resume at a point within a leg, not at
 * item 1 (the QGroundControl complaint qgc#5393).
 */
export class SortiePilot {
  mission?: DroneMission;
  mode: DroneMode = 'landed';
  sortie?: number;
  waypoint?: number;
  lastCompletedSortie = -1;
  /** Where the interrupted (or running) sortie continues. */
  resume?: ResumePoint;
  alarm?: DroneAlarm;
  private task?: { kind: TaskKind; ac: AbortController; done: Promise<void> };
  /** True while a mission leg (not an approach) is flown: an interrupt then moves the resume point. */
  private onLeg = false;
  private lastGood?: ResumePoint;
  private pumpBadChecks = 0;
  private drain?: { atMs: number; pct: number; ratePctPerS: number };
  private home?: GeoPoint;
  private readonly settings: PilotSettings;
  private readonly payload: PayloadControl;

  constructor(
    private readonly driver: DroneDriver,
    private readonly clock: Clock,
    private readonly changed: () => void,
    settings: Partial<PilotSettings> = {},
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
    this.payload = new PayloadControl(driver, onError);
  }

  /** Takes a new mission; refused while flying another one. Returns the reason when refused. */
  setMission(mission: DroneMission): string | undefined {
    if (this.task && this.mission?.missionId !== mission.missionId) return `busy flying mission ${this.mission?.missionId}`;
    if (this.mission?.missionId !== mission.missionId) {
      this.lastCompletedSortie = -1;
      this.resume = undefined;
      this.sortie = undefined;
      this.waypoint = undefined;
    }
    this.mission = mission;
    this.changed();
    return undefined;
  }

  /** Runs one command; returns the reason when refused. */
  async command(command: DroneCommand): Promise<string | undefined> {
    // The speaker and display are not flight controls: they answer whoever flies the aircraft.
    if (isPayloadCommand(command)) return this.payload.command(command);
    const external = this.driver.status().externalControl;
    if (command.command === 'resumeControl') {
      if (!external) return 'the bridge is in control';
      this.driver.releaseExternalControl?.();
      this.changed();
      return undefined;
    }
    // A pilot (or the autopilot's failsafe) flies it: the bridge keeps its hands off until the operator hands it back.
    if (external) return `under external control (${external.mode}): send resumeControl first`;
    switch (command.command) {
      case 'start': {
        const m = this.mission;
        if (!m || m.missionId !== command.missionId) return `no mission ${command.missionId} uploaded`;
        const sortie = m.sorties[command.sortie];
        if (!sortie) return `mission has no sortie ${command.sortie}`;
        if (this.task) return `busy (${this.mode})`;
        if (command.from && command.from.waypoint >= sortie.waypoints.length) return `sortie ${command.sortie} has no waypoint ${command.from.waypoint}`;
        const from = command.from ?? (this.resume?.sortie === command.sortie ? this.resume : undefined);
        this.run('sortie', (signal) => this.flySortie(command.sortie, from, command.via, signal));
        return undefined;
      }
      case 'pause':
        if (this.task?.kind !== 'sortie') return 'not flying a sortie';
        await this.interrupt();
        this.setMode('paused');
        return undefined;
      case 'resume': {
        if (this.mode !== 'paused' || !this.resume) return 'not paused in a sortie';
        const from = this.resume;
        this.run('sortie', (signal) => this.flySortie(from.sortie, from, undefined, signal));
        return undefined;
      }
      case 'returnHome':
        return this.returnHome({ pad: command.pad, via: command.via });
      case 'land':
        await this.interrupt();
        if (this.driver.status().landed) return undefined;
        this.run('land', async (signal) => {
          this.setMode('landing');
          await this.driver.land(signal);
          this.setMode('landed');
        });
        return undefined;
      case 'abort':
        await this.interrupt();
        this.resume = undefined;
        return this.returnHome({});
    }
  }

  /** Failsafe after the link to the controller has been down too long. */
  async linkLost(): Promise<void> {
    if (this.task?.kind === 'sortie' || this.mode === 'paused') await this.returnHome({ alarm: 'linkLoss' });
  }

  /** Periodic checks (battery, pump); the agent calls this on its telemetry tick. */
  async check(): Promise<void> {
    const s = this.driver.status();
    this.observeDrain(s.landed, s.batteryPct);
    const inSortie = this.task?.kind === 'sortie' || this.mode === 'paused';
    if (!inSortie) return;
    // Pump: commanded on, flying at speed, no flow → failed; resume where flow was last seen.
    if (this.onLeg && s.pumpOn && s.groundSpeedMps > 1 && s.flowLPerMin === 0) this.pumpBadChecks++;
    else {
      this.pumpBadChecks = 0;
      if (this.onLeg && this.sortie !== undefined && this.waypoint !== undefined) this.lastGood = { sortie: this.sortie, waypoint: this.waypoint, lat: s.lat, lon: s.lon };
    }
    if (this.pumpBadChecks >= 2) {
      const good = this.lastGood;
      await this.interrupt();
      if (good && good.sortie === this.resume?.sortie) this.resume = good;
      await this.returnHome({ alarm: 'pumpFailure' });
      return;
    }
    // Battery: go home while what is left covers the way home, the landing and the reserve.
    const pad = this.nearestPad();
    const distance = pad ? distanceM(s, pad) : 0;
    const climbS = distance > this.settings.climbAboveM ? (2 * this.transitAlt()) / VERTICAL_MPS : 0;
    const needS = distance / this.settings.ferrySpeedMps + climbS + LANDING_S;
    const needPct = needS * (this.drain?.ratePctPerS ?? NOMINAL_DRAIN_PCT_PER_S);
    if (s.batteryPct - needPct < this.settings.failsafeReservePct) await this.returnHome({ alarm: 'batteryLow' });
  }

  /** Stops any flight task and, on a mission leg, keeps the exact point reached. */
  private async interrupt(): Promise<void> {
    const task = this.task;
    if (!task) return;
    if (this.onLeg && this.sortie !== undefined && this.waypoint !== undefined) {
      const s = this.driver.status();
      this.resume = { sortie: this.sortie, waypoint: this.waypoint, lat: s.lat, lon: s.lon };
    }
    this.onLeg = false;
    this.driver.setPump(false, 0);
    task.ac.abort(new Error('interrupted'));
    await task.done;
    await this.payload.leaves();
  }

  private async returnHome(options: { pad?: number; via?: GeoPoint[]; alarm?: DroneAlarm }): Promise<string | undefined> {
    await this.interrupt();
    if (options.alarm) this.alarm = options.alarm;
    if (this.driver.status().landed) {
      this.setMode('landed');
      return undefined;
    }
    const pad = (options.pad !== undefined ? this.mission?.pads[options.pad] : undefined) ?? this.nearestPad();
    if (!pad) return 'no pad and no home to return to';
    this.run('return', async (signal) => {
      this.setMode('returning');
      const here = this.driver.status();
      const alt = options.via ? Math.max(here.altM, 1) : this.transitAlt();
      const speedMps = this.settings.ferrySpeedMps;
      if (this.driver.flyPlan) {
        const leg = (p: GeoPoint): FlightLeg => ({ lat: p.lat, lon: p.lon, altM: alt, speedMps, spray: false, flowLPerMin: 0, exitSpeedMps: 0 });
        const legs = [...(options.via ?? [here]).map(leg), leg(pad)];
        await this.driver.flyPlan({ takeOffAltM: alt, legs, land: true }, signal, (i) => i >= legs.length && this.setMode('landing'));
        this.setMode('landed');
        return;
      }
      if (options.via) for (const p of options.via) await this.driver.goTo({ ...p, altM: alt, speedMps, exitSpeedMps: 0 }, signal);
      else await this.driver.goTo({ lat: here.lat, lon: here.lon, altM: alt, speedMps, exitSpeedMps: 0 }, signal);
      await this.driver.goTo({ ...pad, altM: alt, speedMps, exitSpeedMps: 0 }, signal);
      this.setMode('landing');
      await this.driver.land(signal);
      this.setMode('landed');
    });
    return undefined;
  }

  private async flySortie(index: number, from: ResumePoint | undefined, via: GeoPoint[] | undefined, signal: AbortSignal): Promise<void> {
    const wps = this.mission!.sorties[index]!.waypoints;
    const start: ResumePoint = from ?? { sortie: index, waypoint: 1, lat: wps[0]!.lat, lon: wps[0]!.lon };
    this.sortie = index;
    this.waypoint = start.waypoint;
    this.resume = { ...start, sortie: index };
    this.alarm = undefined;
    this.pumpBadChecks = 0;
    this.lastGood = undefined;
    const cruiseAlt = wps.find((w) => w.altM > 0)?.altM ?? 2.5;
    const ferry = this.settings.ferrySpeedMps;
    if (this.driver.flyPlan) return this.flySortieAsMission(index, start, via, cruiseAlt, signal);
    if (this.driver.status().landed) {
      this.setMode('takingOff');
      this.home = { lat: this.driver.status().lat, lon: this.driver.status().lon };
      await this.driver.takeOff(cruiseAlt, signal);
    }
    const here = this.driver.status();
    const far = distanceM(here, start);
    if (far > 1 || Math.abs(here.altM - cruiseAlt) > 0.5) {
      this.setMode('transit');
      if (via?.length) {
        for (const p of via) await this.driver.goTo({ ...p, altM: cruiseAlt, speedMps: ferry, exitSpeedMps: 0 }, signal);
      } else if (far > this.settings.climbAboveM) {
        // Straight at transit height, as an autopilot's return does (ArduPilot RTL_ALT): clear of low obstacles.
        await this.driver.goTo({ lat: here.lat, lon: here.lon, altM: this.transitAlt(), speedMps: ferry, exitSpeedMps: 0 }, signal);
        await this.driver.goTo({ lat: start.lat, lon: start.lon, altM: this.transitAlt(), speedMps: ferry, exitSpeedMps: 0 }, signal);
      }
      await this.driver.goTo({ lat: start.lat, lon: start.lon, altM: cruiseAlt, speedMps: ferry, exitSpeedMps: 0 }, signal);
    }
    // The QR up before the mode says so: telemetry taken at 'mission' then shows the leg's pump and waypoint.
    await this.payload.sortieStarts(this.mission);
    this.setMode('mission');
    const last = wps.length - 1;
    for (let i = start.waypoint; i <= last; i++) {
      const leg = wps[i - 1]!;
      const target = wps[i]!;
      this.waypoint = i;
      this.onLeg = true;
      this.driver.setPump(leg.spray, leg.flowLPerMin);
      this.changed();
      const landHere = i === last && target.altM === 0;
      const altM = landHere ? this.driver.status().altM : target.altM;
      await this.driver.goTo({ lat: target.lat, lon: target.lon, altM, speedMps: leg.speedMps, exitSpeedMps: landHere || i === last ? 0 : exitSpeed(wps, i) }, signal);
      await this.payload.arrived(this.mission, target);
      if (target.holdS) {
        // A stop: hover with the pump off, playing the message when the waypoint says so.
        this.driver.setPump(false, 0);
        await sleep(this.clock, target.holdS * 1000, signal);
        await this.payload.leaves(target);
      }
    }
    this.onLeg = false;
    this.driver.setPump(false, 0);
    this.lastCompletedSortie = index;
    this.resume = undefined;
    if (wps[last]!.altM === 0) {
      this.setMode('landing');
      await this.driver.land(signal);
      this.setMode('landed');
    } else this.setMode('paused');
  }

  /**
   * The sortie from `start` as one flight plan the aircraft flies on its own (an autopilot
   * mission): the approach (via points, or straight at transit height when far), the start (a
   * resume point is a waypoint of its own, so the drone goes back to it after drifting), then the
   * sortie's legs with their speeds and pump, landing when the last waypoint is on a pad.
   */
  private async flySortieAsMission(index: number, start: ResumePoint, via: GeoPoint[] | undefined, cruiseAlt: number, signal: AbortSignal): Promise<void> {
    const wps = this.mission!.sorties[index]!.waypoints;
    const ferry = this.settings.ferrySpeedMps;
    const here = this.driver.status();
    const approach = (p: GeoPoint, altM: number): FlightLeg => ({ lat: p.lat, lon: p.lon, altM, speedMps: ferry, spray: false, flowLPerMin: 0 });
    const legs: Array<FlightLeg & { waypoint?: number }> = [];
    if (via?.length) legs.push(...via.map((p) => approach(p, cruiseAlt)));
    else if (distanceM(here, start) > this.settings.climbAboveM) legs.push(approach(here, this.transitAlt()), approach(start, this.transitAlt()));
    legs.push(approach(start, cruiseAlt));
    const last = wps.length - 1;
    const land = wps[last]!.altM === 0;
    for (let i = start.waypoint; i <= last; i++) {
      const leg = wps[i - 1]!;
      const target = wps[i]!;
      const altM = i === last && land ? leg.altM || cruiseAlt : target.altM;
      legs.push({
        lat: target.lat,
        lon: target.lon,
        altM,
        speedMps: leg.speedMps,
        spray: leg.spray,
        flowLPerMin: leg.flowLPerMin,
        waypoint: i,
        exitSpeedMps: i === last ? 0 : exitSpeed(wps, i),
        ...(target.holdS ? { holdS: target.holdS } : {}),
        ...(leg.play && !leg.holdS ? { play: true } : {}),
      });
    }
    const plan: FlightPlan = { takeOffAltM: cruiseAlt, legs, land };
    if (this.driver.status().landed) {
      this.home = { lat: here.lat, lon: here.lon };
      this.setMode('takingOff');
    }
    const progress = (i: number) => {
      const leg = legs[i];
      // Moving on from a stop: silence it (along a broadcast line it plays on). The arrival (below) starts the playing.
      void this.payload.leaves(leg?.waypoint !== undefined ? wps[leg.waypoint - 1] : undefined);
      if (i < 0) return this.setMode('takingOff');
      if (!leg) return this.setMode('landing');
      if (leg.waypoint === undefined) {
        this.onLeg = false;
        return this.setMode('transit');
      }
      this.waypoint = leg.waypoint;
      this.onLeg = true;
      if (this.mode !== 'mission') void this.payload.sortieStarts(this.mission);
      this.setMode('mission');
    };
    const arrived = (i: number) => {
      const w = legs[i]?.waypoint;
      if (w !== undefined) void this.payload.arrived(this.mission, wps[w]);
    };
    await this.driver.flyPlan!(plan, signal, progress, arrived);
    this.onLeg = false;
    this.lastCompletedSortie = index;
    this.resume = undefined;
    this.setMode(this.driver.status().landed ? 'landed' : 'paused');
  }

  private run(kind: TaskKind, fly: (signal: AbortSignal) => Promise<void>): void {
    const ac = new AbortController();
    const done = fly(ac.signal)
      .catch((error: Error) => {
        // An interrupt is expected; anything else leaves the drone hovering where it is.
        if (!ac.signal.aborted) {
          // Taken over or failed on a leg: the point reached is where the sortie continues.
          if (this.onLeg && this.sortie !== undefined && this.waypoint !== undefined) {
            const s = this.driver.status();
            this.resume = { sortie: this.sortie, waypoint: this.waypoint, lat: s.lat, lon: s.lon };
          }
          this.onLeg = false;
          this.driver.setPump(false, 0);
          void this.payload.leaves();
          this.setMode(this.driver.status().landed ? 'landed' : 'paused');
          this.onError(error);
        }
      })
      .finally(() => {
        if (this.task?.ac === ac) this.task = undefined;
      });
    this.task = { kind, ac, done };
  }

  private setMode(mode: DroneMode): void {
    if (mode === 'landed' && this.mode !== 'landed') void this.payload.landed();
    this.mode = mode;
    this.changed();
  }

  private transitAlt(): number {
    return this.mission?.transitAltM ?? 20;
  }

  private nearestPad(): GeoPoint | undefined {
    const here = this.driver.status();
    const pads = this.mission?.pads ?? (this.home ? [this.home] : []);
    let best: GeoPoint | undefined;
    for (const p of pads) if (!best || distanceM(here, p) < distanceM(here, best)) best = p;
    return best;
  }

  /** Drain rate seen while flying (% per s), smoothed: a sagging battery shows up here before it is empty. */
  private observeDrain(landed: boolean, pct: number): void {
    const now = this.clock.now();
    if (landed || !this.drain || pct > this.drain.pct) {
      this.drain = { atMs: now, pct, ratePctPerS: this.drain?.ratePctPerS ?? NOMINAL_DRAIN_PCT_PER_S };
      return;
    }
    const dtS = (now - this.drain.atMs) / 1000;
    if (dtS < 5) return;
    const rate = (this.drain.pct - pct) / dtS;
    this.drain = { atMs: now, pct, ratePctPerS: 0.7 * this.drain.ratePctPerS + 0.3 * rate };
  }
}

/** Speed to arrive at waypoint `i` with: the slower leg's speed, lowered by cos of the turn (stop at 90°+), as the planner's time model assumes. */
function exitSpeed(wps: DroneMission['sorties'][number]['waypoints'], i: number): number {
  const a = wps[i - 1]!;
  const b = wps[i]!;
  const c = wps[i + 1];
  if (!c || b.holdS) return 0;
  const turn = turnRad(bearingDeg(a, b), bearingDeg(b, c));
  return Math.min(a.speedMps, b.speedMps) * Math.max(0, Math.cos(turn));
}

export type { GoToTarget };
