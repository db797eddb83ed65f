import { describe, expect, it } from 'vitest';
import { localFrame, type DroneCommand, type DroneTelemetry } from '../../protocol/index.js';
import { inProcessSprayPlanner } from '../workers/index.js';
import { shownState, type Mission } from './mission.js';
import { MissionCore, type MissionEffect, type MissionRules } from './mission-core.js';
import { missionOf, progressOf } from './mission-record.js';
import { newMission } from './new-mission.js';
import { yard } from './yard-zones.test-support.js';
import { landedDroneTelemetry } from '../../test-support/device-messages.js';

const origin = { lat: 22.72, lon: 114.25 };
const { zones, pad } = yard(origin);
const frame = localFrame(origin.lat, origin.lon);
/** A point of the yard in local metres (x east, y north of its south-west corner). */
const at = (x: number, y: number) => frame.toGeo(x, y);
const TANK_L = 5;
const RULES: MissionRules = { windLimitMps: 6, windCalmS: 120, notReturnedTimeoutS: 600, linkLostAfterS: 15, readyBatteryPct: 90, finishedKept: 20, instance: 'run1' };

/** A drone's telemetry: on the pad, ready, holding the mission `m1`, unless `over` says otherwise. */
function tele(droneId: string, over: Partial<DroneTelemetry> = {}): DroneTelemetry {
  return landedDroneTelemetry(droneId, { lat: pad.lat, lon: pad.lon, tankL: TANK_L }, { missionId: 'm1', ...over });
}

const commands = (effects: MissionEffect[]): DroneCommand[] => effects.flatMap((e) => (e.kind === 'publish' && e.topic === 'command' ? [e.message] : []));
const alerts = (effects: MissionEffect[]) => effects.flatMap((e) => (e.kind === 'alert' ? [e.alert.kind] : []));
const uploads = (effects: MissionEffect[]) => effects.flatMap((e) => (e.kind === 'publish' && e.topic === 'mission' ? [e.message] : []));

/** A planned and cleared mission `m1` on the yard for `drones` (5 L tanks: several sorties each). */
async function planned(drones = ['d1', 'd2'], rules: Partial<MissionRules> = {}) {
  const landed = drones.map((id) => ({ id, online: true, lastSeenMs: 0, telemetry: tele(id, { missionId: undefined }) }));
  const made = await newMission('m1', { zones, tankL: TANK_L }, landed, { nowMs: 0, planner: inProcessSprayPlanner });
  if (!made.ok) throw new Error(made.message);
  const core = new MissionCore({ ...RULES, ...rules });
  const effects = core.planned(made.mission, 0);
  core.clear('m1', 0);
  return { core, mission: made.mission, effects };
}

/** Launches with every drone reporting ready on the pad; answers the start commands sent. */
function launch(core: MissionCore, m: Mission, nowMs = 1000) {
  for (const run of m.runs) core.telemetry(run.droneId, tele(run.droneId), undefined, nowMs);
  const acted = core.launch('m1', nowMs);
  if (acted.refused) throw new Error(acted.refused.message);
  return commands(acted.effects);
}

describe('mission core: the sortie cycle from fixed sequences', () => {
  it('uploads each drone its queue when planned, and starts sortie 1 of each on launch only after the zone is cleared', async () => {
    const landed = ['d1', 'd2'].map((id) => ({ id, online: true, lastSeenMs: 0, telemetry: tele(id, { missionId: undefined }) }));
    const made = await newMission('m1', { zones, tankL: TANK_L }, landed, { nowMs: 0, planner: inProcessSprayPlanner });
    if (!made.ok) throw new Error(made.message);
    const core = new MissionCore(RULES);
    const up = uploads(core.planned(made.mission, 0));
    expect(up.map((u) => u.droneId)).toEqual(['d1', 'd2']);
    expect(up[0]!.sorties.length).toBe(made.mission.runs[0]!.queue.length);
    expect(made.mission.runs[0]!.queue.length).toBeGreaterThan(1);
    expect(up[0]!.geofence?.length).toBeGreaterThan(2);

    expect(core.launch('m1', 0).refused?.message).toMatch(/confirm the zone is clear/);
    expect(core.clear('m1', 0).refused).toBeUndefined();
    for (const id of ['d1', 'd2']) core.telemetry(id, tele(id), undefined, 0);
    const acted = core.launch('m1', 0);
    const starts = commands(acted.effects);
    expect(starts.map((c) => [c.droneId, c.command, c.command === 'start' && c.sortie])).toEqual([
      ['d1', 'start', 0],
      ['d2', 'start', 0],
    ]);
    expect(new Set(starts.map((c) => c.commandId)).size).toBe(2);
    expect(starts.every((c) => c.commandId.startsWith('run1-'))).toBe(true);
    expect(made.mission.runs.map((r) => r.progress.kind)).toEqual(['starting', 'starting']);
    expect(made.mission.runs.map((r) => shownState(r.progress))).toEqual(['flying', 'flying']);
    // The decision is saved with the start.
    expect(acted.effects.some((e) => e.kind === 'save')).toBe(true);
  });

  it('waits for the answer to a start, retries a refused one, and flies the next sortie only with a fresh battery and a full tank', async () => {
    const { core, mission } = await planned(['d1']);
    const [start] = launch(core, mission);
    const run = mission.runs[0]!;
    // Telemetry that does not answer the start changes nothing.
    expect(commands(core.telemetry('d1', tele('d1'), undefined, 1500))).toEqual([]);
    expect(run.progress.kind).toBe('starting');

    const refused = core.telemetry('d1', tele('d1', { lastCommand: { commandId: start!.commandId, accepted: false, reason: 'not armed' } }), undefined, 2000);
    expect(refused.some((e) => e.kind === 'log' && /refused start: not armed/.test(e.message))).toBe(true);
    const retry = commands(refused);
    expect(retry.map((c) => c.command)).toEqual(['start']);
    expect(retry[0]!.commandId).not.toBe(start!.commandId);

    const ok = { commandId: retry[0]!.commandId, accepted: true };
    core.telemetry('d1', tele('d1', { mode: 'takingOff', lastCommand: ok, sortie: 0, waypoint: 0 }), undefined, 3000);
    expect(run.progress.kind).toBe('flying');
    core.telemetry('d1', tele('d1', { mode: 'mission', lat: at(10, 10).lat, lon: at(10, 10).lon, sortie: 0, waypoint: 3, lastCommand: ok }), undefined, 4000);
    expect(run.waypoint).toBe(3);
    core.telemetry('d1', tele('d1', { mode: 'returning', sortie: 0, lastCommand: ok }), undefined, 5000);
    expect(shownState(run.progress)).toBe('returning');

    // Landed with the sortie flown to its end, tank empty: done, serviced before the next.
    const landed = core.telemetry('d1', tele('d1', { lastCompletedSortie: 0, tankL: 0.2, batteryPct: 40, lastCommand: ok }), undefined, 6000);
    expect(mission.jobs[run.queue[0]!.id]!.done).toBe(true);
    expect(run.next).toBe(1);
    expect(run.progress.kind).toBe('servicing');
    expect(commands(landed)).toEqual([]);
    // Refilled but the battery not swapped: still servicing.
    expect(commands(core.telemetry('d1', tele('d1', { lastCompletedSortie: 0, batteryPct: 40, lastCommand: ok }), undefined, 7000))).toEqual([]);
    const next = commands(core.telemetry('d1', tele('d1', { lastCompletedSortie: 0, lastCommand: ok }), undefined, 8000));
    expect(next.map((c) => c.command === 'start' && c.sortie)).toEqual([1]);
  });

  it('keeps the exact point of a sortie cut short (battery low: alert) and starts it again from there', async () => {
    const { core, mission } = await planned(['d1']);
    const [start] = launch(core, mission);
    const ok = { commandId: start!.commandId, accepted: true };
    core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 4, lastCommand: ok }), undefined, 2000);
    const cut = at(50, 20);
    const back = core.telemetry('d1', tele('d1', { batteryPct: 20, lastCommand: ok, alarm: 'batteryLow', resume: { sortie: 0, waypoint: 4, lat: cut.lat, lon: cut.lon } }), undefined, 3000);
    expect(alerts(back)).toEqual(['batteryLow']);
    expect(mission.runs[0]!.next).toBe(0);
    expect(mission.runs[0]!.queue[0]!.progress).toEqual({ waypoint: 4, lat: cut.lat, lon: cut.lon });
    const again = commands(core.telemetry('d1', tele('d1', { lastCommand: ok }), undefined, 4000));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ command: 'start', sortie: 0, from: { sortie: 0, waypoint: 4, lat: cut.lat, lon: cut.lon } });
  });

  it('holds sorties on the pad in strong wind (one alert, airborne drones called home) and starts them when the smoothed wind has stayed down for the calm spell', async () => {
    const { core, mission } = await planned(['d1', 'd2']);
    const [s1, s2] = launch(core, mission, 0);
    core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, lastCommand: { commandId: s1!.commandId, accepted: true } }), undefined, 1000);
    // d2 never took its start; d1 flies. A gust is smoothed (10 s): 1 → 9 m/s over 1 s stays under 6.
    expect(alerts(core.telemetry('d2', tele('d2', { windMps: 9 }), undefined, 2000))).toEqual([]);
    const windy = core.telemetry('d2', tele('d2', { windMps: 9 }), undefined, 20_000);
    expect(alerts(windy)).toEqual(['windTooStrong']);
    expect(commands(windy).map((c) => [c.droneId, c.command])).toEqual([['d1', 'returnHome']]);
    expect(mission.windHold).toBe(true);
    expect(alerts(core.telemetry('d2', tele('d2', { windMps: 9 }), undefined, 21_000))).toEqual([]);
    // d2 answers its start at last but stays on the pad: held, no new start.
    const held = core.telemetry('d2', tele('d2', { windMps: 9, lastCommand: { commandId: s2!.commandId, accepted: false, reason: 'wind' } }), undefined, 22_000);
    expect(commands(held)).toEqual([]);
    expect(mission.runs[1]!.progress.kind).toBe('held');
    // 5.6 m/s is not 0.5 below the limit: still held.
    core.telemetry('d2', tele('d2', { windMps: 5.6 }), undefined, 40_000);
    expect(mission.windHold).toBe(true);
    // Calm from 60 s on: a lull is not enough, the hold ends after 120 s under 5.5 m/s.
    expect(commands(core.telemetry('d2', tele('d2', { windMps: 2 }), undefined, 60_000))).toEqual([]);
    expect(commands(core.telemetry('d2', tele('d2', { windMps: 2 }), undefined, 179_000))).toEqual([]);
    expect(mission.windHold).toBe(true);
    const calm = core.telemetry('d2', tele('d2', { windMps: 2 }), undefined, 180_000);
    expect(mission.windHold).toBe(false);
    expect(commands(calm).map((c) => [c.droneId, c.command])).toEqual([['d2', 'start']]);
  });

  it('sends a drone that leaves the geofence home once, holds it on the pad, and lets it fly again after the operator resumes', async () => {
    const { core, mission } = await planned(['d1']);
    const [start] = launch(core, mission);
    const ok = { commandId: start!.commandId, accepted: true };
    const outside = at(200, 30);
    const out = core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, lat: outside.lat, lon: outside.lon, lastCommand: ok }), undefined, 2000);
    expect(alerts(out)).toEqual(['geofenceBreach']);
    expect(commands(out).map((c) => c.command)).toEqual(['returnHome']);
    // Still outside on the next report: no second alert or command.
    const still = core.telemetry('d1', tele('d1', { mode: 'returning', sortie: 0, lat: outside.lat, lon: outside.lon, lastCommand: ok }), undefined, 3000);
    expect(alerts(still)).toEqual([]);
    expect(commands(still)).toEqual([]);
    core.telemetry('d1', tele('d1', { lastCommand: ok }), undefined, 4000);
    expect(mission.runs[0]!.progress.kind).toBe('held');
    expect(commands(core.tick(6000, () => 6000))).toEqual([]);
    // Resume is allowed only while paused or returning; return home, then resume.
    expect(core.resume('m1', 7000).refused?.kind).toBe('conflict');
    core.returnHome('m1', 7000);
    expect(mission.status).toBe('paused');
    const resumed = core.resume('m1', 8000);
    expect(resumed.refused).toBeUndefined();
    expect(mission.runs[0]!.breachHold).toBe(false);
    expect(commands(resumed.effects).map((c) => c.command)).toEqual(['start']);
  });

  it('counts a silent drone lost only after four ticks in a row past the limit, then gives its sorties to the other drone', async () => {
    const { core, mission } = await planned(['d1', 'd2'], { notReturnedTimeoutS: 60 });
    const [s1, s2] = launch(core, mission, 0);
    core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, lastCommand: { commandId: s1!.commandId, accepted: true } }), undefined, 1000);
    core.telemetry('d2', tele('d2', { mode: 'mission', sortie: 0, waypoint: 2, lastCommand: { commandId: s2!.commandId, accepted: true } }), undefined, 1000);
    const d2Queue = mission.runs[1]!.queue.length;
    const d1Left = mission.runs[0]!.queue.length;
    // d2 keeps reporting; d1 was last heard at 1 s.
    const lastSeen = (id: string) => (id === 'd1' ? 1000 : undefined);
    const ticks = [20_000, 22_000, 24_000].map((t) => alerts(core.tick(t, lastSeen)));
    expect(ticks).toEqual([[], [], []]);
    expect(alerts(core.tick(26_000, lastSeen))).toEqual(['droneLinkLost']);
    // One alert for one silence.
    expect(alerts(core.tick(28_000, lastSeen))).toEqual([]);
    const lost = core.tick(62_000, lastSeen);
    expect(alerts(lost)).toEqual(['droneNotReturned']);
    expect(shownState(mission.runs[0]!.progress)).toBe('lost');
    expect(mission.runs[1]!.queue.length).toBe(d2Queue + d1Left);
    expect(uploads(lost).map((u) => [u.droneId, u.sorties.length])).toEqual([['d2', d2Queue + d1Left]]);
    // A stall (a tick far late, no telemetry read yet) does not count alone: a fresh silence restarts at one tick.
    expect(alerts(core.tick(64_000, () => 63_000))).toEqual([]);
  });

  it('reconciles a restored drone from its first telemetry: sorties finished meanwhile count as done, the drone is in touch again', async () => {
    const { core, mission } = await planned(['d1']);
    const [start] = launch(core, mission);
    core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, lastCommand: { commandId: start!.commandId, accepted: true } }), undefined, 2000);
    // The store's record of it, back as a new controller would load it.
    const record = { id: 'm1', setup: mission.setup, progress: structuredClone(progressOf(mission)) };
    const restored = missionOf(record);
    expect(restored.runs[0]!.progress).toEqual({ kind: 'restored', stored: 'flying' });
    const after = new MissionCore({ ...RULES, instance: 'run2' });
    after.restored(restored);
    after.started(100_000);
    // Never heard: silent since the restart (four ticks past the limit).
    const silence = [116_000, 118_000, 120_000, 122_000].flatMap((t) => alerts(after.tick(t, () => undefined)));
    expect(silence).toEqual(['droneLinkLost']);
    const back = after.telemetry('d1', tele('d1', { lastCompletedSortie: 1 }), undefined, 123_000);
    const notes = back.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    expect(notes[0]).toBe('d1: link back');
    expect(notes[1]).toMatch(/in touch again after a controller restart, landed; 2 sorties finished meanwhile/);
    expect(restored.runs[0]!.next).toBe(2);
    expect(restored.jobs.filter((j) => j.done)).toHaveLength(2);
    const started = commands(back);
    expect(started.map((c) => c.command === 'start' && [c.sortie, c.commandId])).toEqual([[2, 'run2-1']]);
  });

  it('pauses airborne drones only, aborts with the drones called back, and keeps no more finished missions than asked', async () => {
    const { core, mission } = await planned(['d1', 'd2'], { finishedKept: 0 });
    const [s1] = launch(core, mission, 0);
    core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, lastCommand: { commandId: s1!.commandId, accepted: true } }), undefined, 1000);
    const paused = core.pause('m1', 2000);
    expect(commands(paused.effects).map((c) => [c.droneId, c.command])).toEqual([['d1', 'pause']]);
    const aborted = core.abort('m1', 3000);
    expect(aborted.refused).toBeUndefined();
    expect(commands(aborted.effects).map((c) => [c.droneId, c.command])).toEqual([['d1', 'abort']]);
    expect(aborted.refused === undefined && aborted.mission.status).toBe('aborted');
    expect(aborted.effects.some((e) => e.kind === 'forget' && e.mission.id === 'm1')).toBe(true);
    expect(core.missions.has('m1')).toBe(false);
    expect(core.abort('m1', 4000).refused?.kind).toBe('notFound');
  });

  it('gives the same effects for the same inputs (no clock, no randomness inside)', async () => {
    const run = async () => {
      const { core, mission } = await planned(['d1']);
      const [start] = launch(core, mission);
      const ok = { commandId: start!.commandId, accepted: true };
      const effects = [
        ...core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 1, lastCommand: ok }), undefined, 2000),
        ...core.telemetry('d1', tele('d1', { mode: 'mission', sortie: 0, waypoint: 2, sprayedL: 1, lat: at(30, 30).lat, lon: at(30, 30).lon, lastCommand: ok }), undefined, 3000),
        ...core.telemetry('d1', tele('d1', { lastCompletedSortie: 0, lastCommand: ok }), undefined, 4000),
      ];
      return JSON.stringify(effects.map((e) => ('mission' in e ? { ...e, mission: e.mission.id } : e)));
    };
    expect(await run()).toBe(await run());
  });
});
