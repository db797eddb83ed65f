import type { Clock } from '../../protocol/index.js';
import { writeInBackground, type Awaitable, type Store } from '../storage/index.js';
import type { Logger } from '../../common/index.js';
import type { Mission } from './mission.js';
import { coverageSnapshotOf, progressOf } from './mission-record.js';

/** The part of the store missions use. */
export type MissionStore = Pick<Store, 'createMission' | 'saveMissionProgress' | 'saveCoverage' | 'missions'>;

/**
 * Writes missions to the store: progress on every decision (`save`), what only telemetry changed
 * on the next `flush`, and the dose raster at most every `coverageSnapshotMs` of clock time (a
 * snapshot is a few hundred kB before compression; telemetry comes many times a second).
 */
export class MissionSaver {
  private readonly unsaved = new Set<string>();
  private readonly coverageChanged = new Set<string>();
  private readonly coverageSavedAt = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly store: MissionStore | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly coverageSnapshotMs = 5000,
  ) {}

  /** Saves a new mission; awaited before anything is uploaded. */
  create(m: Mission): Awaitable<void> {
    return this.store?.createMission(m.id, m.setup, progressOf(m));
  }

  /** Progress changed (saved on the next flush). */
  changed(m: Mission): void {
    this.unsaved.add(m.id);
  }

  coverageChangedOf(m: Mission): void {
    this.coverageChanged.add(m.id);
  }

  /** Saves the progress now, on every decision: the store gets it ahead of any later write. */
  save(m: Mission): void {
    const { store } = this;
    if (this.closed || !store) return;
    this.unsaved.delete(m.id);
    const progress = progressOf(m);
    writeInBackground(() => store.saveMissionProgress(m.id, progress), this.log, `mission ${m.id}`);
  }

  /** Saves what changed since: progress always, the dose raster when due (or now, with `coverage`). */
  flush(m: Mission, { coverage = false } = {}): void {
    if (this.closed) return;
    if (this.unsaved.has(m.id)) this.save(m);
    if (!this.coverageChanged.has(m.id)) return;
    const now = this.clock.now();
    if (!coverage && now - (this.coverageSavedAt.get(m.id) ?? -Infinity) < this.coverageSnapshotMs) return;
    this.coverageChanged.delete(m.id);
    this.coverageSavedAt.set(m.id, now);
    const { store } = this;
    if (!store) return;
    // A copy: the raster keeps changing while a network store is still writing.
    const snapshot = coverageSnapshotOf(m, this.clock.now());
    writeInBackground(() => store.saveCoverage(m.id, { ...snapshot, dose: snapshot.dose.slice() }), this.log, `coverage of ${m.id}`);
  }

  /** Flushes everything and writes nothing more. */
  close(missions: Iterable<Mission>): void {
    for (const m of missions) this.flush(m, { coverage: true });
    this.closed = true;
  }
}
