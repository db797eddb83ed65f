import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import type { TripView } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { sharedStyles } from './shared-styles.js';
import { trayTone, tripTone } from './status.js';

/** True while a trip waits at the loading station for trays to be confirmed. */
export function waitsForLoading(trip: TripView): boolean {
  if (!trip.loading || trip.status === 'done' || trip.status === 'failed') return false;
  return trip.trays.some((tray) => !trip.loading!.confirmedTrays.includes(tray.tray));
}

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
      .tray button { margin-left: auto; min-height: 56px; }
    `,
  ];

  declare robot: string | undefined;
  declare limit: number;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['trips']);
  private readonly sending = new Set<string>();

  constructor() {
    super();
    this.limit = 6;
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
    return html`<div class="trip ${waiting ? 'waiting' : ''}" data-testid="trip" data-trip=${trip.id} data-status=${trip.status}>
      <div class="head">
        <span>${trip.robot}</span>
        <span class="chip ${tone}" data-testid="trip-status">${symbol} ${t(`trip.status.${trip.status}` as MessageKey)}</span>
        <span class="muted">${new Date(trip.createdAt).toLocaleTimeString()}</span>
      </div>
      ${waiting ? html`<div class="note">${t('trip.loadingWait')}</div>` : nothing}
      <div class="trays">
        ${[...trip.trays]
          .sort((a, b) => a.tray - b.tray)
          .map((tray) => {
            const [trayToneName, traySymbol] = trayTone[tray.status];
            const confirmed = trip.loading?.confirmedTrays.includes(tray.tray) ?? false;
            const key = `${trip.id}/${tray.tray}`;
            return html`<div class="tray" data-testid="tray-progress" data-tray=${tray.tray} data-room=${tray.room} data-status=${tray.status}>
              <b>${t('medic.tray', { n: tray.tray })} → ${tray.room}</b>
              <span class="chip ${trayToneName}">${traySymbol} ${t(`tray.status.${tray.status}` as MessageKey)}</span>
              ${waiting && !confirmed
                ? html`<button class="primary" data-testid="confirm-tray" ?disabled=${this.sending.has(key)} @click=${() => this.confirm(trip, tray.tray)}>
                    ${t('tray.confirmLoaded', { n: tray.tray })}
                  </button>`
                : waiting && confirmed
                  ? html`<span class="chip ok">${t('tray.confirmed')}</span>`
                  : nothing}
            </div>`;
          })}
      </div>
    </div>`;
  }

  private async confirm(trip: TripView, tray: number): Promise<void> {
    const key = `${trip.id}/${tray}`;
    this.sending.add(key);
    this.requestUpdate();
    const result = await api.confirmTray(trip.id, tray);
    this.sending.delete(key);
    if (result.ok) this.dispatchEvent(new CustomEvent('tray-confirmed', { detail: { tripId: trip.id, tray }, bubbles: true, composed: true }));
    this.requestUpdate();
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
