import type { CreateMissionBody, MissionDrone, MissionLogEntry, MissionStatus, Order, ResumePoint, TripView } from '../../protocol/index.js';
import type { SprayPlan } from '../spray/index.js';

/** A trip as kept: what the API shows, the exact order sent (to re-send it unchanged), where it came from. */
export interface TripRecord {
  view: TripView;
  orderId: string;
  order: Order;
  /** Set when a round sent it: the round and its request indices, in tray order. */
  origin?: { round: string; requests: number[] };
  /**
   * A contactless trip (a robot with only standard actions) while it waits for the medic: its
   * delivery order, sent once every tray is confirmed; `order` is then the approach order.
   */
  pending?: Order;
}

/** A round as kept: its requests and what is sent and still queued. */
export interface RoundRecord {
  id: string;
  createdAtMs: number;
  requests: { room: string; item?: string; priority: 'meal' | 'medicine'; readyByMs?: number }[];
  sent: { tripId: string; robot: string; requests: number[]; sentAtMs: number; predictedS: number }[];
  /** Trips not sent yet per robot: [robot, trips of request indices][]. */
  queue: [string, number[][]][];
  /** Clock ms the round was over (every room served, every robot back); unset while it runs. */
  finishedAtMs?: number;
}

/** Which trips to load: every one not finished, the newest `finished` finished ones (default all), and every trip of `rounds`. */
export interface TripWindow {
  finished?: number;
  rounds?: readonly string[];
}

/** One page of a history, newest first: `limit` records older than the record with id `before`. */
export interface Page {
  limit: number;
  before?: string;
}

/** What a spray mission was planned from and with; written once, when it is created. */
export interface MissionSetup {
  body: CreateMissionBody;
  /** The plan as uploaded: kept, not re-planned, so a restart on newer code flies the same sorties. */
  plan: SprayPlan;
  targetDoseLPerHa: number;
  tankL: number;
  swathM: number;
  coverageCellM: number;
}

/** How far a spray mission got: its status, each sortie and each drone's queue. */
export interface MissionProgress {
  status: MissionStatus;
  zoneClear: boolean;
  createdAtMs: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  /** Every sortie of the plan; waypoints come from the setup's plan. */
  sorties: { id: number; planDrone: number; planSortie: number; done: boolean; progress?: Omit<ResumePoint, 'sortie'> }[];
  /** Each drone's queue of sortie ids, in the order uploaded to it. */
  drones: { droneId: string; queue: number[]; next: number; state: MissionDrone['state']; waypoint: number; breachHold: boolean }[];
  sortiesFlown: number;
  refills: number;
  swaps: number;
  windHold: boolean;
  log: MissionLogEntry[];
}

/** Where a drone's last telemetry put it when its dose was added to the raster. */
export interface CoverageSample {
  x: number;
  y: number;
  /** The drone's flow meter, L. */
  sprayedL: number;
  sortie?: number;
  waypoint?: number;
}

/** The dose raster of a mission at one moment, with the samples it was measured up to. */
export interface CoverageSnapshot {
  atMs: number;
  dose: Float32Array;
  unplacedL: number;
  /** Per drone id: the last sample dosed, so litres counted after it are placed after a restart. */
  samples: Record<string, CoverageSample>;
}

/** A spray mission as kept. */
export interface MissionRecord {
  id: string;
  setup: MissionSetup;
  progress: MissionProgress;
  coverage?: CoverageSnapshot;
}

/** A medic's mute of a room door's unexpected-open alert, as kept: who, and until when (clock ms; absent: until lifted). */
export interface DoorMuteRecord {
  room: string;
  by: string;
  untilMs?: number;
}

/** One line of the audit log: who did what to what, and when. */
export interface AuditEntry {
  id: number;
  /** ISO time. */
  at: string;
  /** A user name, a device id, or `controller` for what it decided itself. */
  actor: string;
  action: string;
  /** What it is about: a trip, a round, a room, a robot. */
  subject: string;
  detail?: Record<string, unknown>;
}

/** Writes one audit entry: who did what to what, and when (default now). */
export type Audit = (entry: Omit<AuditEntry, 'id' | 'at'> & { at?: string }) => void;

/** A value now (SQLite, in process) or later (a database over the network). */
export type Awaitable<T> = T | Promise<T>;

/**
 * Where the controller keeps what must survive a restart. SQLite implements it today, answering
 * at once; a PostgreSQL implementation would satisfy the same interface with promises. A write is
 * durable once it has returned (or resolved), so callers await the writes that must be on disk
 * before something is sent ("saved, then sent" across a crash), and hand the others to
 * `writeInBackground`. Writes reach the store in the order they are made.
 */
export interface Store {
  saveTrip(record: TripRecord): Awaitable<void>;
  /** The trips of a {@link TripWindow} (default: all), oldest first. */
  trips(window?: TripWindow): Awaitable<TripRecord[]>;
  /** A page of every trip ever saved, newest first; undefined when `before` names no trip. */
  tripPage(page: Page): Awaitable<TripRecord[] | undefined>;
  saveRound(record: RoundRecord): Awaitable<void>;
  /** Every round not finished and the newest `finished` finished ones (default all), oldest first. */
  rounds(options?: { finished?: number }): Awaitable<RoundRecord[]>;
  /** A page of every round ever saved, newest first; undefined when `before` names no round. */
  roundPage(page: Page): Awaitable<RoundRecord[] | undefined>;
  /** Saves a new mission: its setup (never changed afterwards) and its first progress. */
  createMission(id: string, setup: MissionSetup, progress: MissionProgress): Awaitable<void>;
  saveMissionProgress(id: string, progress: MissionProgress): Awaitable<void>;
  /** Keeps the latest coverage snapshot of a mission (earlier ones are replaced). */
  saveCoverage(id: string, snapshot: CoverageSnapshot): Awaitable<void>;
  /** Every mission not finished, and the newest `finished` of those done or aborted (default all). */
  missions(options?: { finished?: number }): Awaitable<MissionRecord[]>;
  /** Keeps a room door's mute (replacing the one it had), or with `mute` undefined removes it. */
  saveDoorMute(room: string, mute: Omit<DoorMuteRecord, 'room'> | undefined): Awaitable<void>;
  /** Every room door's mute kept (expired ones included: the caller knows the time), by room. */
  doorMutes(): Awaitable<DoorMuteRecord[]>;
  /** Appends to the audit log; entries are never changed or removed. */
  audit(entry: Omit<AuditEntry, 'id'>): Awaitable<void>;
  auditLog(options?: { subject?: string; limit?: number }): Awaitable<AuditEntry[]>;
  close(): Awaitable<void>;
}
