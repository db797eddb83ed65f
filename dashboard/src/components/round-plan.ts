import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { Round } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { robotNumber } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';
import { without } from './state-updates.js';
import { roundRoomTone } from './status.js';
import { waitsForLoading } from './status.js';
import { etaTime } from './room-eta.js';
import './number-pad.js';
import { naturalOrder } from '../../../common/natural-order.js';

type RoundRoom = Round['rooms'][number];

/**
 * A round's loading plan as the medic follows it: robot → trip → tray → room, with a "tray
 * loaded" button on each tray of a trip waiting at the station; a new round from room numbers;
 * an urgent room added to the running round.
 *
 * @fires round-created - detail `{id}` after the server planned a new round.
 */
export class RoundPlan extends LitElement {
  static override properties = {
    robot: { type: String },
    rooms: { attribute: false },
    selectedRound: { state: true },
    newRooms: { state: true },
    padFor: { state: true },
    error: { state: true },
    sending: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 420px); gap: 10px; align-items: start; }
      @media (max-width: 820px) { .layout { grid-template-columns: 1fr; } }
      .robot { border: 2px solid var(--line); border-radius: 10px; padding: 8px 10px; margin-bottom: 8px; }
      .trip { margin: 6px 0 10px; }
      .trip.waiting { background: var(--info-bg); border-radius: 8px; padding: 6px; }
      .tray { display: flex; align-items: center; gap: 10px; font-size: 20px; min-height: 60px; flex-wrap: wrap; }
      .tray b { min-width: 9em; }
      /* Read at arm's length over a trolley: large and bold. */
      .eta { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; min-width: 4.2em; }
      .eta.done { color: var(--ok); font-size: 22px; }
      .tray button { margin-left: auto; min-height: 60px; }
      .list { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
      .rounds { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
    `,
  ];

  declare robot: string | undefined;
  declare rooms: ReadonlySet<string> | undefined;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['rounds', 'trips']);
  declare private selectedRound?: string;
  /** The rooms of the round being made; replaced, never changed in place, so that a change renders. */
  declare private newRooms: readonly { room: string; priority: 'meal' | 'medicine' }[];
  declare private padFor?: 'new' | 'urgent';
  declare private error?: string;
  /** Trays (`trip/tray`) whose confirmation is under way. */
  declare private sending: ReadonlySet<string>;

  constructor() {
    super();
    this.newRooms = [];
    this.sending = new Set();
  }

  override render() {
    const store = this.live.store;
    const rounds = [...store.rounds.values()].sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running') || b.id.localeCompare(a.id));
    const round = rounds.find((r) => r.id === this.selectedRound) ?? rounds[0];
    return html`<div class="layout">
      <section class="panel">
        <h2>${t('round.title')}</h2>
        ${
          rounds.length > 1
            ? html`<div class="rounds">${rounds.map(
                (r) => html`<button aria-pressed=${r.id === round?.id} @click=${() => {
                  this.selectedRound = r.id;
                }}>
                ${r.id} · ${t(`round.status.${r.status}` as MessageKey)}</button>`,
              )}</div>`
            : nothing
        }
        ${round ? this.renderRound(round) : html`<p class="muted" data-testid="round-none">${t('round.none')}</p>`}
      </section>
      <section class="panel">${this.renderSide(round)}</section>
    </div>`;
  }

  private renderRound(round: Round) {
    const delivered = round.rooms.filter((r) => r.status === 'delivered').length;
    const byRobot = new Map<string, Map<number, RoundRoom[]>>();
    const unplaced: RoundRoom[] = [];
    for (const room of round.rooms) {
      if (room.robot === null || room.trip === null) {
        if (!this.robot) unplaced.push(room);
        continue;
      }
      if (this.robot && room.robot !== this.robot) continue;
      let trips = byRobot.get(room.robot);
      if (!trips) {
        trips = new Map();
        byRobot.set(room.robot, trips);
      }
      trips.set(room.trip, [...(trips.get(room.trip) ?? []), room]);
    }
    return html`<div data-testid="round" data-round=${round.id} data-status=${round.status}>
      <p><span class="chip ${round.status === 'done' ? 'ok' : 'info'}">${t(`round.status.${round.status}` as MessageKey)}</span>
        ${t('round.progress', { done: delivered, total: round.rooms.length })}</p>
      ${[...byRobot.entries()]
        .sort(([a], [b]) => naturalOrder(a, b))
        .map(
          ([robot, trips]) => html`<div class="robot" data-testid="plan-robot" data-robot=${robot}>
            <h3>${t('robot.name', { n: robotNumber(robot) })}</h3>
            ${[...trips.entries()].sort(([a], [b]) => a - b).map(([index, rooms]) => this.renderTrip(index, rooms))}
          </div>`,
        )}
      ${
        unplaced.length
          ? html`<div class="robot"><h3>${t('round.unplaced')}</h3>
            <div class="list">${unplaced.map((r) => html`<span class="chip">${r.room} · ${t(`round.roomStatus.${r.status}` as MessageKey)}</span>`)}</div></div>`
          : nothing
      }
    </div>`;
  }

  private renderTrip(index: number, rooms: RoundRoom[]) {
    const tripId = rooms.find((r) => r.tripId)?.tripId;
    const trip = tripId ? this.live.store.trips.get(tripId) : undefined;
    const waiting = trip ? waitsForLoading(trip) : false;
    return html`<div class="trip ${waiting ? 'waiting' : ''}" data-testid="plan-trip" data-trip=${tripId ?? ''}>
      <h3>${t('round.trip', { n: index + 1 })}</h3>
      ${waiting ? html`<div class="note">${t('trip.loadingWait')}</div>` : nothing}
      ${[...rooms]
        .sort((a, b) => (a.tray ?? 0) - (b.tray ?? 0))
        .map((room) => {
          const tray = room.tray ?? 0;
          const confirmed = trip?.loading?.confirmedTrays.includes(tray) ?? false;
          // The server's `loaded` means "on a trip that has not left": nothing is on the tray until the medic confirms it.
          const [tone, symbol, label]: [string, string, MessageKey] =
            room.status === 'loaded'
              ? confirmed
                ? ['ok', '✓', 'tray.confirmed']
                : ['warn', '○', 'tray.toLoad']
              : [...roundRoomTone[room.status], `round.roomStatus.${room.status}` as MessageKey];
          const key = `${tripId}/${tray}`;
          return html`<div class="tray" data-testid="plan-tray" data-tray=${tray} data-room=${room.room} data-status=${room.status}>
            <b>${t('medic.tray', { n: tray })} → ${room.room}</b>
            ${this.renderEta(room)}
            <span class="chip ${room.priority === 'medicine' ? 'warn' : ''}">${t(`round.priority.${room.priority}` as MessageKey)}</span>
            <span class="chip ${tone}" data-testid="plan-tray-status">${symbol} ${t(label)}</span>
            ${
              waiting && !confirmed && can('POST', '/api/trips/:id/trays/:tray/loaded')
                ? html`<button class="primary" data-testid="plan-confirm" ?disabled=${this.sending.has(key)} @click=${() => this.confirm(tripId!, tray)}>
                  ${t('tray.confirmLoaded', { n: tray })}</button>`
                : nothing
            }
          </div>`;
        })}
    </div>`;
  }

  /** When the room gets its tray: `~12:41` predicted, `✓ 12:43` once collected; nothing when unknown. */
  private renderEta(room: RoundRoom) {
    const time = etaTime(room);
    if (!time) return nothing;
    const done = room.status === 'delivered';
    return html`<span class="eta ${done ? 'done' : ''}" data-testid="plan-tray-eta" data-eta-ms=${room.etaMs!} title=${t(done ? 'round.etaDoneTitle' : 'round.etaTitle', { time })}
      >${t(done ? 'round.etaDone' : 'round.eta', { time })}</span>`;
  }

  private renderSide(round: Round | undefined) {
    if (this.padFor) {
      return html`<number-pad
        .heading=${this.padFor === 'new' ? t('round.addRoom') : t('round.urgent')}
        .rooms=${this.rooms}
        .item=${'meal'}
        @room-chosen=${(e: CustomEvent<{ room: string; item: string }>) => this.addRoom(e.detail.room, e.detail.item === 'medicine' ? 'medicine' : 'meal', round)}
        @pad-cancel=${() => {
          this.padFor = undefined;
        }}
      ></number-pad>`;
    }
    return html`
      <h2>${t('round.new')}</h2>
      <div class="list" data-testid="new-round-rooms">
        ${this.newRooms.map(
          (r, i) =>
            html`<button @click=${() => {
              this.newRooms = this.newRooms.filter((_, j) => j !== i);
            }}>${r.room} · ${t(`round.priority.${r.priority}` as MessageKey)} ✕</button>`,
        )}
      </div>
      <p class="muted">${t('round.rooms', { n: this.newRooms.length })}</p>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      <div style="display:flex;gap:8px;flex-wrap:wrap">
        <button data-testid="round-add" @click=${() => {
          this.padFor = 'new';
        }}>+ ${t('round.addRoom')}</button>
        <button class="primary" data-testid="round-create" ?disabled=${!this.newRooms.length || !can('POST', '/api/rounds')} @click=${() => void this.create()}>${t('round.plan')}</button>
        ${
          round?.status === 'running'
            ? html`<button class="danger" data-testid="round-urgent" @click=${() => {
                this.padFor = 'urgent';
              }}>${t('round.urgent')}</button>`
            : nothing
        }
      </div>
    `;
  }

  private async addRoom(room: string, priority: 'meal' | 'medicine', round: Round | undefined): Promise<void> {
    const mode = this.padFor;
    this.padFor = undefined;
    this.error = undefined;
    if (mode === 'new') this.newRooms = [...this.newRooms, { room, priority }];
    else if (mode === 'urgent' && round) {
      const result = await api.urgent(round.id, room);
      if (result.ok) this.live.store.putRound(result.value);
      else this.error = t('common.error', { message: result.message });
    }
  }

  private async create(): Promise<void> {
    const result = await api.createRound([...this.newRooms]);
    if (result.ok) {
      this.newRooms = [];
      this.selectedRound = result.value.id;
      // The 201 carries {id, plan}; the full round comes by socket.io or GET.
      const full = await api.rounds();
      if (full.ok) for (const r of full.value) this.live.store.putRound(r);
      this.dispatchEvent(new CustomEvent('round-created', { detail: { id: result.value.id }, bubbles: true, composed: true }));
    } else {
      this.error = t('common.error', { message: result.message });
    }
  }

  private async confirm(tripId: string, tray: number): Promise<void> {
    const key = `${tripId}/${tray}`;
    this.sending = new Set([...this.sending, key]);
    const result = await api.confirmTray(tripId, tray);
    this.sending = without(this.sending, key);
    if (!result.ok) this.error = t('common.error', { message: result.message });
  }
}
customElements.define('round-plan', RoundPlan);

declare global {
  interface HTMLElementTagNameMap {
    'round-plan': RoundPlan;
  }
}
