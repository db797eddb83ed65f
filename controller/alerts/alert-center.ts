import { EventEmitter } from 'node:events';
import type { Alert, AlertKind, Clock } from '../../protocol/index.js';

/** What raising an alert needs; the rest is filled in. */
export interface AlertInput {
  kind: AlertKind;
  subject: string;
  room?: string;
  tray?: number;
  message: string;
}

/** Alerts are kept in memory up to this many, oldest acknowledged ones dropped first. */
const KEEP = 500;

/**
 * The alerts people must see and acknowledge (a robot offline, a tray not collected, a drone
 * breaching the geofence). The same problem raised again while unacknowledged stays one alert.
 */
export class AlertCenter extends EventEmitter<{ alert: [Alert] }> {
  private readonly alerts: Alert[] = [];
  private counter = 0;

  constructor(private readonly clock: Clock) {
    super();
  }

  list(): Alert[] {
    return [...this.alerts].reverse();
  }

  raise(input: AlertInput): Alert {
    const open = this.alerts.find(
      (a) => !a.acknowledged && a.kind === input.kind && a.subject === input.subject && a.room === input.room && a.tray === input.tray,
    );
    if (open) return open;
    const alert: Alert = {
      id: `a${++this.counter}`,
      ...input,
      at: new Date(this.clock.now()).toISOString(),
      acknowledged: false,
    };
    this.alerts.push(alert);
    if (this.alerts.length > KEEP) {
      const i = this.alerts.findIndex((a) => a.acknowledged);
      this.alerts.splice(Math.max(i, 0), 1);
    }
    this.emit('alert', alert);
    return alert;
  }

  acknowledge(id: string): Alert | undefined {
    const alert = this.alerts.find((a) => a.id === id);
    if (alert && !alert.acknowledged) {
      alert.acknowledged = true;
      this.emit('alert', alert);
    }
    return alert;
  }
}
