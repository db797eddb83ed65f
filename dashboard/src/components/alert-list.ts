import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { Alert, AlertKind, Site, TripView } from '../api/types.js';
import { timeText } from '../i18n/format.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import type { LiveStore } from '../live/live-store.js';
import { placeText, siteMap } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';
import { without, withoutKey } from './state-updates.js';

/** The alert's text in the current language, from its kind and fields (not the server's English). */
export function alertText(alert: Alert): string {
  // Every alert kind has a text in both languages (dashboard/src/i18n/messages.ts).
  const key = `alert.${alert.kind}` as MessageKey;
  return t(key, { subject: alert.subject, room: alert.room ?? '?', tray: alert.tray ?? '?', door: alert.door ?? '?', way: alert.way ?? '?' });
}

/** The trip a robot was on when it dropped out: the newest one not finished, or failed for its dropping out. */
export function tripOfOffline(alert: Alert, trips: Iterable<TripView>): TripView | undefined {
  let found: TripView | undefined;
  for (const trip of trips) {
    if (trip.robot !== alert.subject) continue;
    const open = trip.status === 'planned' || trip.status === 'running' || (trip.status === 'failed' && trip.trays.some((t) => t.status === 'failed' || t.status === 'returned'));
    if (open && (!found || trip.createdAt > found.createdAt)) found = trip;
  }
  return found;
}

/** Rooms on the robot's trays: what the server says, else the trays of its trip still on board. */
export function roomsOnBoard(alert: Alert, trips: Iterable<TripView>): string[] {
  if (alert.roomsOnBoard) return alert.roomsOnBoard;
  if (alert.kind !== 'robotOffline' && alert.kind !== 'robotStuck') return [];
  const trip = tripOfOffline(alert, trips);
  return trip && trip.status !== 'failed' ? trip.trays.filter((t) => t.status === 'loaded').map((t) => t.room) : [];
}

/** How long an acknowledged alert keeps its place (ms): the next tap lands on what the medic read. */
const HOLD_MS = 3000;

/**
 * Open alerts: unacknowledged ones with a big acknowledge button each (newest first), with how
 * often the cause was seen, where the robot is and the rooms on board; for a robot that dropped
 * out, a button that plans its rooms on other robots; for a robot dead inside a single-width way,
 * a button staff press once they carried it out, which frees the way. The list is bounded (it scrolls) so it never
 * pushes the screen's work away; an acknowledged alert keeps its place for a moment, so the
 * list does not move under the next tap. Resolved ones leave. Optionally limited to some kinds or
 * subjects.
 *
 * @fires alert-acknowledged - detail `{id}` after the server accepted an acknowledgement.
 */
export class AlertList extends LitElement {
  static override properties = {
    kinds: { attribute: false },
    subject: { type: String },
    compact: { type: Boolean },
    busy: { state: true },
    held: { state: true },
    results: { state: true },
    site: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .head { display: flex; align-items: center; gap: 10px; margin-bottom: 6px; font-weight: 700; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
      :host([compact]) ul { max-height: min(260px, 34vh); overflow-y: auto; overscroll-behavior: contain; padding-right: 4px; }
      :host([compact]) { margin-bottom: 10px; }
      li { display: flex; align-items: center; gap: 12px; padding: 8px 12px; border-radius: 10px; background: var(--bad-bg); color: var(--ink); border: 2px solid var(--bad); flex-wrap: wrap; }
      li.acked { background: var(--paper); border-color: var(--line); }
      .text { flex: 1 1 14em; font-weight: 700; font-size: 18px; min-width: 0; }
      .detail { font-weight: 500; font-size: 16px; }
      .time { color: var(--muted); font-size: 15px; font-weight: 600; }
      .actions { display: flex; gap: 12px; flex-wrap: wrap; }
      button { min-height: 60px; }
      .result { flex-basis: 100%; }
    `,
  ];

  declare kinds: AlertKind[] | undefined;
  declare subject: string | undefined;
  declare compact: boolean;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['alerts', 'trips', 'fleet']);
  /** Alerts (by id) and replans (`replan:` id) whose request is under way; replaced, never changed in place, so that a change renders. */
  declare private busy: ReadonlySet<string>;
  /** Alerts acknowledged here, held in their place (until, and the row's height in px). */
  declare private held: ReadonlyMap<string, { until: number; heightPx: number }>;
  declare private results: ReadonlyMap<string, { kind: 'success' | 'error'; text: string }>;
  declare private site?: Site;

  constructor() {
    super();
    this.compact = false;
    this.busy = new Set();
    this.held = new Map();
    this.results = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void siteMap().then((site) => {
      this.site = site;
    });
  }

  override render() {
    const store = this.live.store;
    const now = performance.now();
    const all = ([...store.alerts.values()] as Alert[])
      .filter((a) => a.status !== 'resolved' && (!this.kinds || this.kinds.includes(a.kind)) && (!this.subject || a.subject === this.subject))
      .sort((a, b) => b.at.localeCompare(a.at));
    // Acknowledged alerts go to the end, except those just acknowledged here: they stay in place.
    const holding = (a: Alert) => (this.held.get(a.id)?.until ?? 0) > now;
    const open = all.filter((a) => !a.acknowledged || holding(a));
    const shown = open.concat(all.filter((a) => a.acknowledged && !holding(a)).slice(0, this.compact ? 0 : 3));
    if (!shown.length) return this.compact ? nothing : html`<p class="muted" data-testid="alerts-none">${t('alerts.none')}</p>`;
    const unacked = all.filter((a) => !a.acknowledged).length;
    return html`${this.compact ? html`<div class="head" data-testid="alerts-count">⚠ ${unacked === 1 ? t('alerts.countOne') : t('alerts.count', { n: unacked })}</div>` : nothing}
      <ul data-testid="alerts">${shown.map((a) => (a.acknowledged && holding(a) ? this.renderHeld(a) : this.renderAlert(a, store)))}</ul>`;
  }

  private renderHeld(a: Alert) {
    return html`<li class="acked" data-testid="alert-held" data-id=${a.id} style="min-height:${this.held.get(a.id)?.heightPx ?? 0}px;box-sizing:border-box">
      <span aria-hidden="true">✓</span><span class="text">${alertText(a)}<br /><span class="time">${t('alerts.acked')}</span></span>
    </li>`;
  }

  private renderAlert(a: Alert, store: LiveStore) {
    const rooms = roomsOnBoard(a, store.trips.values());
    const robot = store.robots.find((r) => r.id === a.subject);
    const where = a.where?.text ?? (robot && (a.kind === 'robotOffline' || a.kind === 'robotStuck') ? placeText(this.site, robot.level, robot.node) : undefined);
    const trip = a.kind === 'robotOffline' ? tripOfOffline(a, store.trips.values()) : undefined;
    const result = this.results.get(a.id);
    const mayAck = can('POST', '/api/alerts/:id/ack');
    const mayReplan = can('POST', '/api/trips/:id/replan');
    const mayFreeWay = a.kind === 'wayBlocked' && a.way !== undefined && can('POST', '/api/ways/:way/robot-removed');
    return html`<li class=${a.acknowledged ? 'acked' : ''} data-testid="alert" data-kind=${a.kind} data-id=${a.id}>
      <span aria-hidden="true">${a.acknowledged ? '✓' : '⚠'}</span>
      <span class="text">${alertText(a)}${(a.count ?? 1) > 1 ? html` <span class="chip" data-testid="alert-count">×${a.count}</span>` : nothing}
        ${where ? html`<br /><span class="detail" data-testid="alert-where">${t('alerts.where', { place: where })}</span>` : nothing}
        ${rooms.length ? html`<br /><span class="detail" data-testid="alert-rooms">${t('alerts.onBoard', { rooms: rooms.join(', ') })}</span>` : nothing}
        ${a.robotsWaiting?.length ? html`<br /><span class="detail" data-testid="alert-waiting">${t('alerts.waiting', { robots: a.robotsWaiting.join(', ') })}</span>` : nothing}
        <br /><span class="time">${timeText(a.lastSeenAt ?? a.at)}</span></span>
      <span class="actions">
        ${
          trip && mayReplan && !robot?.online
            ? html`<button class="primary" data-testid="alert-replan" ?disabled=${this.busy.has(`replan:${a.id}`)} @click=${() => this.replan(a, trip)}>${t('alerts.replan')}</button>`
            : nothing
        }
        ${
          mayFreeWay
            ? html`<button class="primary" data-testid="alert-removed-from-way" ?disabled=${this.busy.has(`way:${a.id}`)} @click=${() => this.removedFromWay(a)}>${t('alerts.removedFromWay')}</button>`
            : nothing
        }
        ${
          a.acknowledged
            ? html`<span class="chip">${t('alerts.acked')}</span>`
            : mayAck
              ? html`<button class="danger" data-testid="alert-ack" ?disabled=${this.busy.has(a.id)} @click=${() => this.ack(a)}>${t('alerts.ack')}</button>`
              : nothing
        }
      </span>
      ${result ? html`<div class="${result.kind} result" role="status" data-testid="alert-result">${result.text}</div>` : nothing}
    </li>`;
  }

  private async ack(alert: Alert): Promise<void> {
    this.busy = new Set([...this.busy, alert.id]);
    const result = await api.ackAlert(alert.id);
    this.busy = without(this.busy, alert.id);
    if (result.ok) {
      const row = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(alert.id)}"]`);
      this.held = new Map(this.held).set(alert.id, { until: performance.now() + HOLD_MS, heightPx: row?.getBoundingClientRect().height ?? 0 });
      // The hold is over: the row moves to the acknowledged ones.
      setTimeout(() => (this.held = withoutKey(this.held, alert.id)), HOLD_MS + 50);
      this.live.store.putAlert({ ...alert, acknowledged: true });
      this.dispatchEvent(new CustomEvent('alert-acknowledged', { detail: { id: alert.id }, bubbles: true, composed: true }));
    }
  }

  /** Staff carried the robot out of the way the alert names: the server frees the way (its reply says to whom). */
  private async removedFromWay(alert: Alert): Promise<void> {
    const key = `way:${alert.id}`;
    this.busy = new Set([...this.busy, key]);
    const result = await api.robotRemovedFromWay(alert.way!, alert.subject);
    this.busy = without(this.busy, key);
    this.results = new Map(this.results).set(
      alert.id,
      result.ok ? { kind: 'success', text: t('alerts.wayFreed', { way: result.value.way }) } : { kind: 'error', text: t('common.error', { message: result.message }) },
    );
  }

  private async replan(alert: Alert, trip: TripView): Promise<void> {
    const key = `replan:${alert.id}`;
    this.busy = new Set([...this.busy, key]);
    const result = await api.replanTrip(trip.id);
    this.busy = without(this.busy, key);
    this.results = new Map(this.results).set(
      alert.id,
      result.ok ? { kind: 'success', text: t('alerts.replanned', { rooms: result.value.rooms.join(', ') }) } : { kind: 'error', text: t('common.error', { message: result.message }) },
    );
  }
}
customElements.define('alert-list', AlertList);

declare global {
  interface HTMLElementTagNameMap {
    'alert-list': AlertList;
  }
}
