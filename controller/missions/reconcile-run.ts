import type { DroneTelemetry, GeoPoint, MissionLogEntry } from '../../protocol/index.js';
import { placeAlongPlan } from './coverage-gap.js';
import { shownState, type DroneRun, type Mission, type RunProgress } from './mission.js';

/** What reconciling a drone's run found: notes for the log, dose to push, whether to upload the mission again. */
export interface Reconciled {
  notes: { message: string; level: MissionLogEntry['level'] }[];
  dosed?: { fresh: number[]; near: { x: number; y: number } };
  upload: boolean;
}

/**
 * First telemetry of a drone after the controller restarted: takes over what the drone did
 * meanwhile (sorties finished, the point where one was cut short, litres sprayed) so that no
 * sortie is flown twice and the dose lands where the plan put it. A drone that lacks the
 * mission (it restarted, or the upload was lost in the crash) is to get it again.
 */
export function reconcileRun(m: Mission, run: DroneRun, t: DroneTelemetry): Reconciled {
  const stored = shownState(run.progress);
  // Heard: no longer `restored`. What it shows stays the stored state until the sortie cycle decides.
  const heard = (airborne: boolean): RunProgress =>
    stored === 'lost' ? { kind: 'lost' } : airborne ? { kind: stored === 'returning' ? 'returning' : 'flying' } : { kind: 'landed', stored };
  run.progress = heard(false);
  if (m.status === 'done' || m.status === 'aborted') return { notes: [], upload: false };
  if (t.missionId !== m.id) {
    if (t.mode !== 'landed' || run.next >= run.queue.length) return { notes: [], upload: false };
    return { notes: [{ message: `${run.droneId} does not hold this mission (it restarted, or the upload was lost in a crash): uploading it again`, level: 'warn' }], upload: true };
  }
  const notes: Reconciled['notes'] = [];
  const gap = placeGap(m, run, t);
  if (gap.note) notes.push(gap.note);
  // The gap is placed: the next sample starts afresh rather than drawing a chord from the stored one.
  run.lastSample = undefined;

  const before = run.next;
  while (run.next < run.queue.length && run.next <= t.lastCompletedSortie) {
    const job = run.queue[run.next++]!;
    job.done = true;
    job.progress = undefined;
  }
  const job = run.queue[run.next];
  if (job && t.mode === 'landed' && t.resume?.sortie === run.next) job.progress = { waypoint: t.resume.waypoint, lat: t.resume.lat, lon: t.resume.lon };
  run.progress = heard(t.mode !== 'landed');
  const airborne = t.mode !== 'landed';
  const finished = run.next - before;
  const meanwhile = finished > 0 ? `; ${finished} sortie${finished > 1 ? 's' : ''} finished meanwhile` : '';
  const continues = job?.progress && !airborne ? `; sortie ${run.next + 1} continues at waypoint ${job.progress.waypoint}` : '';
  notes.unshift({ message: `${run.droneId}: in touch again after a controller restart, ${t.mode}${meanwhile}${continues}`, level: 'info' });
  return { notes, upload: false, ...(gap.dosed ? { dosed: gap.dosed } : {}) };
}

/** Litres sprayed since the last stored sample, placed along the sortie's planned legs up to where the drone is now. */
function placeGap(m: Mission, run: DroneRun, t: DroneTelemetry): { note?: Reconciled['notes'][number]; dosed?: Reconciled['dosed'] } {
  const from = run.lastSample;
  if (!from || from.sortie === undefined || from.waypoint === undefined || t.sprayedL <= from.sprayedL + 1e-6) return {};
  const litres = t.sprayedL - from.sprayedL;
  const job = run.queue[from.sortie];
  const local = (p: GeoPoint) => {
    const [x, y] = m.zones.projection.toLocal(p.lon, p.lat);
    return { x, y };
  };
  // Where the dose stops: the kept point of a sortie cut short, the end of one finished, or where the drone flies now.
  const to =
    t.mode !== 'mission' && t.resume?.sortie === from.sortie
      ? { ...local(t.resume), waypoint: t.resume.waypoint }
      : t.lastCompletedSortie >= from.sortie && job
        ? { ...local(job.waypoints.at(-1)!), waypoint: job.waypoints.length - 1 }
        : t.sortie === from.sortie && t.waypoint !== undefined
          ? { ...local(t), waypoint: t.waypoint }
          : undefined;
  if (!job || !to) {
    m.coverage.unplacedL += litres;
    return { note: { message: `${run.droneId}: ${litres.toFixed(1)} L sprayed while the controller was down could not be placed on the map`, level: 'warn' } };
  }
  const fresh = placeAlongPlan(m.coverage, job.waypoints, local, { x: from.x, y: from.y, waypoint: from.waypoint }, to, litres);
  return {
    note: { message: `${run.droneId}: ${litres.toFixed(1)} L sprayed while the controller was down placed along the planned legs`, level: 'info' },
    dosed: { fresh, near: to },
  };
}
