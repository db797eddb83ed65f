import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import type { Alert, AlertKind } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { sharedStyles } from './shared-styles.js';

/** The alert's text in the current language, from its kind and fields (not the server's English). */
export function alertText(alert: Alert): string {
  const key = `alert.${alert.kind}` as MessageKey;
  const known: AlertKind[] = ['robotOffline', 'robotStuck', 'trayNotCollected', 'geofenceBreach', 'keepoutBreach', 'externalControl', 'windTooStrong', 'droneLinkLost', 'droneNotReturned', 'batteryLow'];
  if (!known.includes(alert.kind)) return alert.message;
  return t(key, { subject: alert.subject, room: alert.room ?? '?', tray: alert.tray ?? '?' });
}

/**
 * Open alerts: unacknowledged ones with a big acknowledge button each (newest first), with how
 * often the cause was seen, where the robot is and the rooms on board; acknowledged ones fade
 * out after a while; resolved ones leave. Optionally limited to some kinds or subjects.
 *
 * @fires alert-acknowledged - detail `{id}` after the server accepted an acknowledgement.
 */
export class AlertList extends LitElement {
  static override properties = {
    kinds: { attribute: false },
    subject: { type: String },
    compact: { type: Boolean },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      li { display: flex; align-items: center; gap: 12px; padding: 8px 12px; border-radius: 10px; background: var(--bad-bg); border: 2px solid var(--bad); }
      li.acked { background: #f1f2f4; border-color: var(--line); }
      .text { flex: 1; font-weight: 700; font-size: 18px; }
      .time { color: var(--muted); font-size: 14px; }
      .detail { font-weight: 400; font-size: 16px; }
      button { min-height: 56px; }
    `,
  ];

  declare kinds: AlertKind[] | undefined;
  declare subject: string | undefined;
  declare compact: boolean;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['alerts']);
  private busy = new Set<string>();

  constructor() {
    super();
    this.compact = false;
  }

  override render() {
    const store = this.live.store;
    // Resolved alerts (their cause is gone) leave the list; the history is in GET /api/alerts?status=resolved.
    const all = [...store.alerts.values()]
      .filter((a) => a.status !== 'resolved' && (!this.kinds || this.kinds.includes(a.kind)) && (!this.subject || a.subject === this.subject))
      .sort((a, b) => Number(a.acknowledged) - Number(b.acknowledged) || b.at.localeCompare(a.at));
    const shown = all.filter((a) => !a.acknowledged).concat(all.filter((a) => a.acknowledged).slice(0, this.compact ? 0 : 3));
    if (!shown.length) return this.compact ? nothing : html`<p class="muted" data-testid="alerts-none">${t('alerts.none')}</p>`;
    return html`<ul data-testid="alerts">
      ${shown.map(
        (a) => html`<li class=${a.acknowledged ? 'acked' : ''} data-testid="alert" data-kind=${a.kind} data-id=${a.id}>
          <span aria-hidden="true">${a.acknowledged ? '✓' : '⚠'}</span>
          <span class="text">${alertText(a)}${a.count > 1 ? html` <span class="chip" data-testid="alert-count">×${a.count}</span>` : nothing}
            ${a.where ? html`<br /><span class="detail" data-testid="alert-where">${a.where.text}</span>` : nothing}
            ${a.roomsOnBoard?.length ? html`<br /><span class="detail" data-testid="alert-rooms">${t('alerts.onBoard', { rooms: a.roomsOnBoard.join(', ') })}</span>` : nothing}
            <br /><span class="time">${new Date(a.lastSeenAt).toLocaleTimeString()}</span></span>
          ${a.acknowledged
            ? html`<span class="chip">${t('alerts.acked')}</span>`
            : html`<button class="danger" data-testid="alert-ack" ?disabled=${this.busy.has(a.id)} @click=${() => this.ack(a)}>${t('alerts.ack')}</button>`}
        </li>`,
      )}
    </ul>`;
  }

  private async ack(alert: Alert): Promise<void> {
    this.busy.add(alert.id);
    this.requestUpdate();
    const result = await api.ackAlert(alert.id);
    this.busy.delete(alert.id);
    if (result.ok) {
      this.live.store.putAlert({ ...alert, acknowledged: true });
      this.dispatchEvent(new CustomEvent('alert-acknowledged', { detail: { id: alert.id }, bubbles: true, composed: true }));
    }
    this.requestUpdate();
  }
}
customElements.define('alert-list', AlertList);

declare global {
  interface HTMLElementTagNameMap {
    'alert-list': AlertList;
  }
}
