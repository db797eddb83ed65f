import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { DoorMuteBody, DoorView } from '../api/types.js';
import { timeText } from '../i18n/format.js';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';
import { naturalOrder } from '../../../common/natural-order.js';

/** How often the panel reads the doors again, ms: a door's state is not pushed live. */
const REFRESH_MS = 5000;

/**
 * The rooms' doors as their sensors report them, open ones and muted ones first, each with
 * buttons sized for gloves to mute its unexpected-open alert for 30 minutes or until lifted
 * (a visit, a resident allowed out), or to lift the mute. Rooms whose sensor was never heard and
 * that are not muted are left out, except those changed here (a lifted mute keeps its row, so
 * a tap by mistake can be undone at the same place).
 *
 * @fires door-muted - detail `{room, muted}` after the server accepted a change.
 */
export class DoorPanel extends LitElement {
  static override properties = {
    doors: { state: true },
    busy: { state: true },
    problem: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; max-height: 70vh; overflow-y: auto; overscroll-behavior: contain; }
      li { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 10px 12px; border-radius: 10px; border: 2px solid var(--line); background: var(--paper); }
      li.open { border-color: var(--warn); background: var(--warn-bg); }
      .room { font-size: 28px; font-weight: 800; letter-spacing: 1px; min-width: 4.5em; }
      .state { flex: 1 1 10em; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; font-size: 17px; }
      .actions { display: flex; gap: 10px; flex-wrap: wrap; }
      button { min-height: 64px; min-width: 8em; font-size: 19px; }
    `,
  ];

  declare doors: DoorView[] | undefined;
  declare busy: string | undefined;
  declare problem: string | undefined;
  private readonly i18n = new I18nController(this);
  private timer?: ReturnType<typeof setInterval>;
  /** Rooms muted or unmuted on this panel. */
  private readonly touched = new Set<string>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    const result = await api.doors();
    if (result.ok) this.doors = result.value;
    else this.problem = t('common.error', { message: result.message });
  }

  override render() {
    const shown = (this.doors ?? [])
      .filter((d) => d.lastSeenAt !== undefined || d.muted || this.touched.has(d.room))
      .sort((a, b) => Number(b.open === true) - Number(a.open === true) || Number(b.muted) - Number(a.muted) || naturalOrder(a.room, b.room));
    const mayMute = can('PUT', '/api/doors/:room/mute');
    return html`<h2>${t('doors.title')}</h2>
      ${mayMute ? nothing : html`<p class="note" data-testid="doors-role-note">${t('doors.cannotMute')}</p>`}
      ${this.problem ? html`<div class="error" role="status">${this.problem}</div>` : nothing}
      ${
        this.doors && shown.length === 0
          ? html`<p class="muted" data-testid="doors-none">${t('doors.none')}</p>`
          : html`<ul data-testid="doors">${shown.map((door) => this.renderDoor(door, mayMute))}</ul>`
      }`;
  }

  private renderDoor(door: DoorView, mayMute: boolean) {
    const busy = this.busy === door.room;
    return html`<li class=${door.open ? 'open' : ''} data-testid="door" data-room=${door.room}>
      <span class="room">${door.room}</span>
      <span class="state">
        <span class="chip ${door.open ? 'warn' : door.open === false ? 'ok' : ''}" data-testid="door-state">${t(door.open ? 'doors.open' : door.open === false ? 'doors.closed' : 'doors.unknown')}</span>
        ${door.muted ? html`<span class="chip info" data-testid="door-muted">${door.mutedUntil ? t('doors.mutedUntil', { time: timeText(door.mutedUntil, { hour: '2-digit', minute: '2-digit' }) }) : t('doors.muted')}</span>` : nothing}
      </span>
      ${
        mayMute
          ? html`<span class="actions">
            ${
              door.muted
                ? html`<button class="primary" data-testid="door-unmute" ?disabled=${busy} @click=${() => this.mute(door.room, { muted: false })}>${t('doors.unmute')}</button>`
                : html`<button data-testid="door-mute-30" ?disabled=${busy} @click=${() => this.mute(door.room, { muted: true, minutes: 30 })}>${t('doors.mute30')}</button>
                  <button data-testid="door-mute" ?disabled=${busy} @click=${() => this.mute(door.room, { muted: true })}>${t('doors.mute')}</button>`
            }
          </span>`
          : nothing
      }
    </li>`;
  }

  private async mute(room: string, body: DoorMuteBody): Promise<void> {
    this.busy = room;
    const result = await api.muteDoor(room, body);
    this.busy = undefined;
    if (!result.ok) {
      this.problem = t('common.error', { message: result.message });
      return;
    }
    this.problem = undefined;
    this.touched.add(room);
    this.doors = (this.doors ?? []).map((d) => (d.room === room ? result.value : d));
    this.dispatchEvent(new CustomEvent('door-muted', { detail: { room, muted: body.muted }, bubbles: true, composed: true }));
  }
}
customElements.define('door-panel', DoorPanel);

declare global {
  interface HTMLElementTagNameMap {
    'door-panel': DoorPanel;
  }
}
