import { EventEmitter } from 'node:events';
import type { Alert, AlertKind, AlertPlace, AlertQuery, Clock } from '../../protocol/index.js';
import type { Audit } from '../storage/index.js';

/** What an alert is about: one cause is one alert. */
export interface AlertCause {
  kind: AlertKind;
  /** The robot or drone (or `site`). */
  subject: string;
  room?: string;
  tray?: number;
  /** A door on the robot's way. */
  door?: string;
  /** A single-width way. */
  way?: string;
}

/** What raising an alert needs; the rest is filled in. */
export interface AlertInput extends AlertCause {
  message: string;
  roomsOnBoard?: string[];
  robotsWaiting?: string[];
  where?: AlertPlace;
  doing?: string;
}

export interface AlertCenterOptions {
  /**
   * A cause raised again this soon (clock ms) after its alert resolved reopens that alert
   * (count + 1) instead of making a new one: a robot whose link flaps is one alert. Default 10 min.
   */
  reopenWithinMs?: number;
  /** Alerts kept in memory; beyond it the oldest resolved go first, then the oldest acknowledged. Default 1000. */
  keep?: number;
  /** The audit log: who acknowledged which alert. Default none. */
  audit?: Audit;
}

/**
 * The alerts people must see (a robot offline or stuck, a tray not collected, a drone breaching
 * the geofence) and their history. A cause raised again while its alert is open, or soon after
 * it resolved, counts on the same alert (`count`, `lastSeenAt`; a repeat asks for a new
 * acknowledgement); whoever raised it resolves it when the cause is gone, saying why.
 * Emits `alert` on every change.
 */
export class AlertCenter extends EventEmitter<{ alert: [Alert] }> {
  /** By id, in the order first raised (the order of the history's pages). */
  private readonly alerts = new Map<string, Alert>();
  /** The latest alert of each cause. */
  private readonly byCause = new Map<string, Alert>();
  private counter = 0;
  private readonly reopenWithinMs: number;
  private readonly keep: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: AlertCenterOptions = {},
  ) {
    super();
    this.reopenWithinMs = options.reopenWithinMs ?? 10 * 60_000;
    this.keep = options.keep ?? 1000;
  }

  /**
   * Newest first: the open alerts (acknowledged or not) by default; `status` `resolved` or
   * `all` for the history, `limit` at a time, starting after the alert `before`.
   */
  list(query: Partial<AlertQuery> = {}): Alert[] {
    const status = query.status ?? 'open';
    const limit = query.limit ?? Infinity;
    const beforeSeq = query.before ? Number(query.before.slice(1)) : Infinity;
    const out: Alert[] = [];
    const all = [...this.alerts.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const alert = all[i]!;
      if (Number(alert.id.slice(1)) >= beforeSeq) continue;
      if (status === 'all' || alert.status === status) out.push(alert);
    }
    return out;
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /** The open alert of a cause, if any. */
  openAlertOf(cause: AlertCause): Alert | undefined {
    const alert = this.byCause.get(keyOf(cause));
    return alert?.status === 'open' ? alert : undefined;
  }

  /** Raises an alert, or counts the cause again on its open (or just resolved) alert. */
  raise(input: AlertInput): Alert {
    const now = this.clock.now();
    const at = new Date(now).toISOString();
    const key = keyOf(input);
    const previous = this.byCause.get(key);
    const reopen = previous?.status === 'resolved' && previous.resolvedAt !== undefined && now - Date.parse(previous.resolvedAt) <= this.reopenWithinMs;
    if (previous && (previous.status === 'open' || reopen)) {
      Object.assign(previous, context(input), { lastSeenAt: at, count: previous.count + 1, status: 'open', acknowledged: false });
      delete previous.resolvedAt;
      delete previous.resolution;
      this.emit('alert', previous);
      return previous;
    }
    const alert: Alert = {
      id: `a${++this.counter}`,
      kind: input.kind,
      subject: input.subject,
      ...(input.room !== undefined ? { room: input.room } : {}),
      ...(input.tray !== undefined ? { tray: input.tray } : {}),
      ...(input.door !== undefined ? { door: input.door } : {}),
      ...(input.way !== undefined ? { way: input.way } : {}),
      at,
      lastSeenAt: at,
      count: 1,
      status: 'open',
      acknowledged: false,
      ...context(input),
    };
    this.alerts.set(alert.id, alert);
    this.byCause.set(key, alert);
    this.trim();
    this.emit('alert', alert);
    return alert;
  }

  /**
   * Brings an open alert's description up to date (who waits, where) without counting its cause
   * again: nothing new happened, so it asks for no new acknowledgement. Undefined when the cause
   * has no open alert.
   */
  refresh(input: AlertInput): Alert | undefined {
    const alert = this.openAlertOf(input);
    if (!alert) return undefined;
    Object.assign(alert, context(input));
    if (!input.robotsWaiting) delete alert.robotsWaiting;
    this.emit('alert', alert);
    return alert;
  }

  /**
   * Resolves the open alerts whose cause matches every field given (e.g. `{kind:
   * 'trayNotCollected', room: '305'}` whichever robot and tray), with the reason. Returns them.
   */
  resolve(match: Partial<AlertCause> & { kind: AlertKind }, why: string): Alert[] {
    const resolvedAt = new Date(this.clock.now()).toISOString();
    const resolved: Alert[] = [];
    for (const alert of this.byCause.values()) {
      if (alert.status !== 'open' || !matches(alert, match)) continue;
      Object.assign(alert, { status: 'resolved', resolvedAt, resolution: why });
      resolved.push(alert);
      this.emit('alert', alert);
    }
    return resolved;
  }

  /** Marks an alert seen by `actor` (written to the audit log, each time asked); undefined when there is no such alert. */
  acknowledge(id: string, actor = 'api'): Alert | undefined {
    const alert = this.alerts.get(id);
    if (alert) this.options.audit?.({ actor, action: 'alertAcknowledged', subject: alert.subject, detail: { alert: alert.id, kind: alert.kind } });
    if (alert && !alert.acknowledged) {
      alert.acknowledged = true;
      this.emit('alert', alert);
    }
    return alert;
  }

  private trim(): void {
    if (this.alerts.size <= this.keep) return;
    const values = [...this.alerts.values()];
    const victim = values.find((a) => a.status === 'resolved') ?? values.find((a) => a.acknowledged) ?? values[0]!;
    this.alerts.delete(victim.id);
    if (this.byCause.get(keyOf(victim)) === victim) this.byCause.delete(keyOf(victim));
  }
}

function keyOf(cause: AlertCause): string {
  return JSON.stringify([cause.kind, cause.subject, cause.room ?? null, cause.tray ?? null, cause.door ?? null, cause.way ?? null]);
}

function matches(alert: Alert, match: Partial<AlertCause>): boolean {
  return (Object.keys(match) as (keyof AlertCause)[]).every((field) => match[field] === undefined || alert[field] === match[field]);
}

/** The fields of an input that describe the situation now (refreshed on every raise). */
function context(input: AlertInput): Pick<Alert, 'message' | 'roomsOnBoard' | 'robotsWaiting' | 'where' | 'doing'> {
  return {
    message: input.message,
    ...(input.roomsOnBoard ? { roomsOnBoard: input.roomsOnBoard } : {}),
    ...(input.robotsWaiting ? { robotsWaiting: input.robotsWaiting } : {}),
    ...(input.where ? { where: input.where } : {}),
    ...(input.doing ? { doing: input.doing } : {}),
  };
}
