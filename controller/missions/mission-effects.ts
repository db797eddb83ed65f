import type { DroneAlert, DroneCommand, DroneMission, MissionLogEntry } from '../../protocol/index.js';
import { autopilotFence } from './keepout-watch.js';
import type { DroneRun, Mission } from './mission.js';

const LOG_LIMIT = 500;

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

/**
 * The effects of one input of the mission core, in the order decided, with the ids and times
 * they carry: command ids count up under the controller run's tag (`instance`), so none repeats
 * after a restart; timestamps are the input's `nowMs`.
 */
export class MissionEffects {
  private out: MissionEffect[] = [];
  private commandSeq = 0;
  /** Clock ms of the input being decided. */
  nowMs = 0;

  constructor(private readonly instance: string) {}

  /** Starts deciding an input that came at `nowMs`. */
  begin(nowMs: number): void {
    this.nowMs = nowMs;
    this.out = [];
  }

  /** The effects decided since {@link begin}. */
  end(): MissionEffect[] {
    const effects = this.out;
    this.out = [];
    return effects;
  }

  push(effect: MissionEffect): void {
    this.out.push(effect);
  }

  /** The drone's queue of sorties, with the pads and the fence its autopilot keeps. */
  upload(m: Mission, run: DroneRun): void {
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

  /** A command to the drone; answers its id. */
  command(run: DroneRun, body: Record<string, unknown> & { command: DroneCommand['command'] }): string {
    const commandId = `${this.instance}-${++this.commandSeq}`;
    const message = { headerId: this.commandSeq, timestamp: new Date(this.nowMs).toISOString(), droneId: run.droneId, commandId, ...body } as DroneCommand;
    this.out.push({ kind: 'publish', topic: 'command', message });
    return commandId;
  }

  /** A line of the mission's log (kept, pushed, saved) and of the process log. */
  note(m: Mission, message: string, level: MissionLogEntry['level'] = 'info'): void {
    m.log.push({ at: new Date(this.nowMs).toISOString(), message, level });
    if (m.log.length > LOG_LIMIT) m.log.splice(0, m.log.length - LOG_LIMIT);
    this.out.push({ kind: 'log', missionId: m.id, level, message });
    this.changed(m);
    this.save(m);
  }

  /** An alert, noted in the mission's log too. */
  alert(m: Mission, alert: DroneAlert): void {
    this.note(m, alert.message, 'warn');
    this.out.push({ kind: 'alert', alert });
  }

  /** The mission changed: push it, save it on the next flush. */
  changed(m: Mission): void {
    this.push({ kind: 'changed', mission: m });
  }

  /** Save the mission's progress now. */
  save(m: Mission): void {
    this.out.push({ kind: 'save', mission: m });
  }
}
