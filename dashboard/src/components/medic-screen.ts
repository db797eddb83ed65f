import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { CreateTripBody, Site } from '../api/types.js';
import { I18nController, t } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { markReady, robotNumber, roomsOf, siteMap } from '../live/site.js';
import { isFree } from './robot-picker.js';
import { sharedStyles } from './shared-styles.js';
import { withoutKey } from './state-updates.js';
import type { TrayItem } from './number-pad.js';
import './alert-list.js';
import './door-panel.js';
import './number-pad.js';
import './robot-picker.js';
import './round-plan.js';
import './trip-progress.js';
import { pathBase } from '../api/path-base.js';

const TRAYS = [1, 2, 3, 4] as const;
// The site's own (the sites behind one host name share the page's storage).
const RECENT_KEY = `isofleet.recentRooms${pathBase}`;

interface DraftTray {
  room: string;
  item: TrayItem;
}

/**
 * The medic's loading screen: choose the robot, tap a tray, enter the room on the number pad,
 * review, send; or follow a round's loading plan. With `lockedRobot` it is the robot's own
 * kiosk screen. Live trip progress and alerts sit beside it.
 *
 * @fires trip-sent - detail `{id, robot}` after the server accepted a trip.
 */
export class MedicScreen extends LitElement {
  static override properties = {
    lockedRobot: { type: String, attribute: 'locked-robot' },
    site: { state: true },
    rooms: { state: true },
    chosenRobot: { state: true },
    tab: { state: true },
    activeTray: { state: true },
    draft: { state: true },
    reviewing: { state: true },
    sending: { state: true },
    message: { state: true },
    recent: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .tabs { display: flex; gap: 8px; margin-bottom: 10px; }
      .tabs button { min-height: 60px; font-size: 19px; }
      .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 440px); gap: 10px; align-items: start; }
      @media (max-width: 820px) { .grid { grid-template-columns: 1fr; } }
      .trays { display: grid; gap: 8px; }
      .tray { display: flex; align-items: center; gap: 12px; min-height: 80px; font-size: 22px; text-align: left; width: 100%; }
      .tray .n { min-width: 6.5em; }
      .tray .room { font-size: 32px; font-weight: 800; letter-spacing: 2px; }
      .tray .empty { color: var(--muted); font-weight: 600; font-size: 18px; }
      .tray[aria-pressed='true'] .empty { color: #fff; }
      .row { display: flex; gap: 10px; margin-top: 10px; }
      .row button { flex: 1; min-height: 72px; font-size: 22px; }
      .overlay { position: fixed; inset: 0; background: #0009; display: flex; align-items: center; justify-content: center; z-index: 10; }
      .dialog { background: #fff; border-radius: 14px; padding: 18px; width: min(560px, 94vw); }
      .dialog li { font-size: 24px; margin: 6px 0; }
      section + section { margin-top: 10px; }
    `,
  ];

  declare lockedRobot: string | undefined;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['fleet', 'trips', 'alerts']);
  declare private site?: Site;
  declare private rooms?: Set<string>;
  declare private chosenRobot?: string;
  declare private tab: 'load' | 'plan' | 'doors';
  declare private activeTray?: number;
  /** The room and item on each tray so far; replaced, never changed in place, so that a change renders. */
  declare private draft: ReadonlyMap<number, DraftTray>;
  declare private reviewing: boolean;
  declare private sending: boolean;
  declare private message?: { kind: 'success' | 'error'; text: string };
  declare private recent: string[];

  constructor() {
    super();
    this.tab = 'load';
    this.draft = new Map();
    this.reviewing = false;
    this.sending = false;
    this.recent = loadRecent();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void siteMap().then((site) => {
      this.site = site;
      this.rooms = site ? new Set(roomsOf(site)) : undefined;
    });
  }

  override updated(): void {
    if (this.site && this.live.store.robots.length) markReady(this.lockedRobot ? 'kiosk' : 'medic');
  }

  private get robot(): string | undefined {
    return this.lockedRobot ?? this.chosenRobot;
  }

  override render() {
    return html`
      <alert-list compact .subject=${this.lockedRobot}></alert-list>
      <div class="tabs" role="tablist">
        <button role="tab" data-testid="tab-load" aria-pressed=${this.tab === 'load'} @click=${() => this.setTab('load')}>${t('medic.tabLoad')}</button>
        <button role="tab" data-testid="tab-plan" aria-pressed=${this.tab === 'plan'} @click=${() => this.setTab('plan')}>${t('medic.tabPlan')}</button>
        ${this.lockedRobot ? nothing : html`<button role="tab" data-testid="tab-doors" aria-pressed=${this.tab === 'doors'} @click=${() => this.setTab('doors')}>${t('medic.tabDoors')}</button>`}
      </div>
      ${
        this.tab === 'plan'
          ? html`<round-plan .robot=${this.lockedRobot} .rooms=${this.rooms}></round-plan>`
          : this.tab === 'doors'
            ? html`<section class="panel"><door-panel></door-panel></section>`
            : html`<div class="grid">
            <div>
              ${
                this.lockedRobot
                  ? nothing
                  : html`<section class="panel">
                    <h2>${t('medic.chooseRobot')}</h2>
                    <robot-picker .site=${this.site} .selected=${this.chosenRobot} @robot-select=${(e: CustomEvent<{ robot: string }>) => this.selectRobot(e.detail.robot)}></robot-picker>
                  </section>`
              }
              <section class="panel">${this.renderTrays()}</section>
            </div>
            <div>
              ${
                this.activeTray !== undefined
                  ? html`<section class="panel">
                    <number-pad
                      .heading=${t('medic.roomFor', { n: this.activeTray })}
                      .rooms=${this.rooms}
                      .recent=${this.recent}
                      .item=${this.draft.get(this.activeTray)?.item ?? 'meal'}
                      @room-chosen=${(e: CustomEvent<{ room: string; item: TrayItem }>) => this.setRoom(e.detail.room, e.detail.item)}
                      @pad-cancel=${() => {
                        this.activeTray = undefined;
                      }}
                    ></number-pad>
                  </section>`
                  : html`<section class="panel">
                    <h2>${t('medic.progress')}</h2>
                    <trip-progress .robot=${this.lockedRobot} .limit=${this.lockedRobot ? 3 : 6}></trip-progress>
                  </section>`
              }
            </div>
          </div>`
      }
      ${this.reviewing ? this.renderReview() : nothing}
    `;
  }

  private renderTrays() {
    const robot = this.robot;
    const free = robot ? this.live.store.robots.find((r) => r.id === robot) : undefined;
    const maySend = can('POST', '/api/trips');
    const canSend = maySend && !!robot && !!free && isFree(free, this.live.store.trips.values()) && this.draft.size > 0 && !this.sending;
    return html`
      <h2>${robot ? t('robot.name', { n: robotNumber(robot) }) : t('medic.pickRobotFirst')}</h2>
      <div class="trays">
        ${TRAYS.map((n) => {
          const tray = this.draft.get(n);
          return html`<button class="tray" data-testid="tray-${n}" aria-pressed=${this.activeTray === n} @click=${() => this.openTray(n)}>
            <span class="n">${t('medic.tray', { n })}</span>
            ${
              tray
                ? html`<span class="room" data-testid="tray-room-${n}">${tray.room}</span>
                  ${tray.item !== 'none' ? html`<span class="chip info">${t(tray.item === 'meal' ? 'medic.item.meal' : 'medic.item.medicine')}</span>` : nothing}`
                : html`<span class="empty">${t('medic.trayEmpty')}</span>`
            }
          </button>`;
        })}
      </div>
      ${maySend ? nothing : html`<p class="note" data-testid="role-note">${t('role.cannotSend')}</p>`}
      ${this.message ? html`<div class=${this.message.kind} role="status" data-testid="medic-message">${this.message.text}</div>` : nothing}
      <div class="row">
        ${
          this.activeTray !== undefined && this.draft.has(this.activeTray)
            ? html`<button data-testid="tray-remove" @click=${() => this.removeTray()}>${t('medic.removeTray')}</button>`
            : nothing
        }
        <button class="primary" data-testid="review" ?disabled=${!canSend} @click=${() => {
          this.reviewing = true;
        }}>
          ${t('medic.review', { n: this.draft.size })}
        </button>
      </div>
    `;
  }

  private renderReview() {
    const robot = this.robot!;
    return html`<div class="overlay" role="dialog" aria-modal="true">
      <div class="dialog">
        <h2>${t('medic.reviewTitle', { robot: t('robot.name', { n: robotNumber(robot) }) })}</h2>
        <ul data-testid="review-list">
          ${[...this.draft.entries()]
            .sort(([a], [b]) => a - b)
            .map(
              ([n, tray]) => html`<li><b>${t('medic.tray', { n })}</b> → <b>${tray.room}</b>
              ${tray.item !== 'none' ? `(${t(tray.item === 'meal' ? 'medic.item.meal' : 'medic.item.medicine')})` : ''}</li>`,
            )}
        </ul>
        <div class="row">
          <button data-testid="review-back" @click=${() => {
            this.reviewing = false;
          }}>${t('common.back')}</button>
          <button class="primary" data-testid="send" ?disabled=${this.sending} @click=${() => void this.send()}>
            ${this.sending ? t('medic.sending') : t('medic.send')}
          </button>
        </div>
      </div>
    </div>`;
  }

  private setTab(tab: 'load' | 'plan' | 'doors'): void {
    this.tab = tab;
  }

  private selectRobot(robot: string): void {
    this.chosenRobot = robot;
    this.message = undefined;
  }

  private openTray(n: number): void {
    this.activeTray = this.activeTray === n ? undefined : n;
    this.message = undefined;
  }

  private setRoom(room: string, item: TrayItem): void {
    if (this.activeTray === undefined) return;
    this.draft = new Map(this.draft).set(this.activeTray, { room, item });
    // Straight on to the next empty tray: one tap fewer per tray.
    const next = TRAYS.find((n) => n > this.activeTray! && !this.draft.has(n));
    this.activeTray = next;
  }

  private removeTray(): void {
    if (this.activeTray !== undefined) this.draft = withoutKey(this.draft, this.activeTray);
  }

  private async send(): Promise<void> {
    const robot = this.robot;
    if (!robot) return;
    const body: CreateTripBody = {
      robot,
      trays: [...this.draft.entries()].sort(([a], [b]) => a - b).map(([tray, d]) => (d.item === 'none' ? { tray, room: d.room } : { tray, room: d.room, item: d.item })),
    };
    this.sending = true;
    const result = await api.createTrip(body);
    this.sending = false;
    this.reviewing = false;
    if (result.ok) {
      this.message = { kind: 'success', text: t('medic.sent', { id: result.value.id, robot: t('robot.name', { n: robotNumber(robot) }) }) };
      this.remember(body.trays.map((tray) => tray.room));
      this.draft = new Map();
      this.activeTray = undefined;
      if (!this.lockedRobot) this.chosenRobot = undefined;
      this.dispatchEvent(new CustomEvent('trip-sent', { detail: { id: result.value.id, robot }, bubbles: true, composed: true }));
    } else {
      const detail = result.issues?.map((i) => i.message).join('; ') || result.message;
      this.message = { kind: 'error', text: t('medic.refused', { message: detail }) };
    }
    if (result.ok) {
      // What needs a tap next is the trip's "tray loaded" buttons: on a phone they are below the trays.
      await this.updateComplete;
      this.renderRoot.querySelector('trip-progress')?.scrollIntoView({ block: 'nearest' });
    }
  }

  private remember(rooms: string[]): void {
    this.recent = [...new Set([...rooms.reverse(), ...this.recent])].slice(0, 8);
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(this.recent));
    } catch {
      // Recent rooms are a convenience; without storage they last for this page.
    }
  }
}

function loadRecent(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string').slice(0, 8) : [];
  } catch {
    return [];
  }
}

customElements.define('medic-screen', MedicScreen);

declare global {
  interface HTMLElementTagNameMap {
    'medic-screen': MedicScreen;
  }
}
