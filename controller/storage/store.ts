import type { Order, TripView } from '../../protocol/index.js';

/** A trip as kept: what the API shows, the exact order sent (to re-send it unchanged), where it came from. */
export interface TripRecord {
  view: TripView;
  orderId: string;
  order: Order;
  /** Set when a round sent it: the round and its request indices, in tray order. */
  origin?: { round: string; requests: number[] };
}

/** A round as kept: its requests and what is sent and still queued. */
export interface RoundRecord {
  id: string;
  createdAtMs: number;
  requests: { room: string; item?: string; priority: 'meal' | 'medicine'; readyByMs?: number }[];
  sent: { tripId: string; robot: string; requests: number[]; sentAtMs: number; predictedS: number }[];
  /** Trips not sent yet per robot: [robot, trips of request indices][]. */
  queue: [string, number[][]][];
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

/** Writes one audit entry now: who did what to what. */
export type Audit = (entry: Omit<AuditEntry, 'id' | 'at'>) => void;

/**
 * Where the controller keeps what must survive a restart. SQLite implements it today; a
 * PostgreSQL implementation would satisfy the same interface. Writes are synchronous and
 * durable when they return, so "saved, then sent" holds across a crash.
 */
export interface Store {
  saveTrip(record: TripRecord): void;
  trips(): TripRecord[];
  saveRound(record: RoundRecord): void;
  rounds(): RoundRecord[];
  /** Appends to the audit log; entries are never changed or removed. */
  audit(entry: Omit<AuditEntry, 'id'>): void;
  auditLog(options?: { subject?: string; limit?: number }): AuditEntry[];
  close(): void;
}
