import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { TripView } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { robotNumber } from '../live/site.js';
import { timeText } from '../i18n/format.js';
import { sharedStyles } from './shared-styles.js';
import { without, withoutKey } from './state-updates.js';
import { trayPhase, tripTone, waitsForLoading } from './status.js';

/**
 * Live progress of trips: each tray's room and status in words and symbol (collected, coming
 * back, …), and for a trip waiting at the station a "tray loaded" button per tray.
 *
 * @fires tray-confirmed - detail `{tripId, tray}` after the server accepted a confirmation.
 */
export class TripProgress extends LitElement {
  static override properties = {
    robot: { type: String },
    limit: { type: Number },
    sending: { state: true },
    errors: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .trip { border: 2px solid var(--line); border-radius: 10px; padding: 8px 10px; margin-bottom: 8px; background: #fff; }
      .trip.waiting { border-color: var(--accent); }
      .head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-weight: 700; }
      .trays { display: grid; gap: 6px; margin-top: 6px; }
      .tray { display: flex; gap: 10px; align-items: center; font-size: 18px; }
      .tray b { min-width: 8em; }
      .tray { flex-wrap: wrap; }
      .tray button { margin-left: auto; min-height: 64px; }
      .trays { gap: 12px; }
    `,
  ];

  declare robot: string | undefined;
  declare limit: number;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['trips']);
  /** Trays (`trip/tray`) whose confirmation is under way. */
  declare private sending: ReadonlySet<string>;
  /** The server's answer to a confirmation that failed, shown on the trip it was for. */
  declare private errors: ReadonlyMap<string, string>;

  constructor() {
    super();
    this.limit = 6;
    this.sending = new Set();
    this.errors = new Map();
  }

  override render() {
    const trips = [...this.live.store.trips.values()]
      .filter((trip) => !this.robot || trip.robot === this.robot)
      .sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.createdAt.localeCompare(a.createdAt))
      .slice(0, this.limit);
    if (!trips.length) return html`<p class="muted">${t('medic.noTrips')}</p>`;
    return html`${trips.map((trip) => this.renderTrip(trip))}`;
  }

  private renderTrip(trip: TripView) {
    const [tone, symbol] = tripTone[trip.status];
    const waiting = waitsForLoading(trip);
    const error = this.errors.get(trip.id);
    return html`<div class="trip ${waiting ? 'waiting' : ''}" data-testid="trip" data-trip=${trip.id} data-status=${trip.status}>
      <div class="head">
        <span>${t('robot.name', { n: robotNumber(trip.robot) })}</span>
        <span class="chip ${tone}" data-testid="trip-status">${symbol} ${t(`trip.status.${trip.status}` as MessageKey)}</span>
        <span class="muted">${timeText(trip.createdAt)}</span>
      </div>
      ${waiting ? html`<div class="note" data-testid="loading-wait">${t('trip.loadingWait')}</div>` : nothing}
      ${error ? html`<div class="error" role="alert" data-testid="confirm-error">${error}</div>` : nothing}
      <div class="trays">
        ${[...trip.trays]
          .sort((a, b) => a.tray - b.tray)
          .map((tray) => {
            const phase = trayPhase(trip, tray);
            const confirmed = trip.loading?.confirmedTrays.includes(tray.tray) ?? false;
            const key = `${trip.id}/${tray.tray}`;
            return html`<div class="tray" data-testid="tray-progress" data-tray=${tray.tray} data-room=${tray.room} data-status=${tray.status}>
              <b>${t('medic.tray', { n: tray.tray })} → ${tray.room}</b>
              <span class="chip ${phase.tone}" data-testid="tray-phase">${phase.symbol} ${t(phase.key)}</span>
              ${
                waiting && !confirmed && can('POST', '/api/trips/:id/trays/:tray/loaded')
                  ? html`<button class="primary" data-testid="confirm-tray" ?disabled=${this.sending.has(key)} @click=${() => this.confirm(trip, tray.tray)}>
                    ${t('tray.confirmLoaded', { n: tray.tray })}
                  </button>`
                  : nothing
              }
            </div>`;
          })}
      </div>
    </div>`;
  }

  private async confirm(trip: TripView, tray: number): Promise<void> {
    const key = `${trip.id}/${tray}`;
    this.sending = new Set([...this.sending, key]);
    const result = await api.confirmTray(trip.id, tray);
    this.sending = without(this.sending, key);
    this.errors = result.ok ? withoutKey(this.errors, trip.id) : new Map(this.errors).set(trip.id, t('common.error', { message: result.message }));
    if (result.ok) this.dispatchEvent(new CustomEvent('tray-confirmed', { detail: { tripId: trip.id, tray }, bubbles: true, composed: true }));
  }
}

function isActive(trip: TripView): boolean {
  return trip.status === 'planned' || trip.status === 'running';
}

customElements.define('trip-progress', TripProgress);

declare global {
  interface HTMLElementTagNameMap {
    'trip-progress': TripProgress;
  }
}
