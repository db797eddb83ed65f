import { placeText } from '../live/site.js';
import { LitElement, css, html, nothing } from 'lit';
import type { Site, TripView } from '../api/types.js';
import { droneModeText } from '../i18n/enums.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { colourOf, markReady, siteMap } from '../live/site.js';
import { DISINFECTED_FILL, ZONE_FILL } from '../map/floor-painter.js';
import { sharedStyles } from './shared-styles.js';
import { batteryTone, robotTone } from './status.js';
import { etaTime, nextRoomOf } from './room-eta.js';
import './alert-list.js';
import './floor-map.js';
import './trip-timeline.js';
import { naturalOrder } from '../../../common/natural-order.js';

/**
 * The fleet at a glance: robots and drones (state, battery, connection, current job), the floor
 * map of one level at a time, the delivery timeline and the alerts.
 *
 * @fires level-change - detail `{level}` when another level is shown.
 */
export class FleetView extends LitElement {
  static override properties = { site: { state: true }, level: { state: true }, selected: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; grid-template-columns: minmax(0, 3fr) minmax(300px, 2fr); align-items: start; }
      @media (max-width: 900px) { :host { grid-template-columns: 1fr; } }
      .levels { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
      .levels button { min-width: 64px; }
      /* The robots' table fits its panel: a long chip ('Battery not known') wraps. */
      td .chip { white-space: normal; }
      .legend { display: flex; gap: 14px; flex-wrap: wrap; margin-top: 6px; font-size: 14px; }
      .legend i { display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 4px; vertical-align: -2px; border: 1px solid #23303d; }
      .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 6px; }
      td, th { font-size: 15px; }
      .wide { grid-column: 1 / -1; }
      .next { font-weight: 700; font-size: 17px; white-space: nowrap; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['fleet', 'trips', 'drones', 'rounds']);
  declare private site?: Site;
  declare private level: string;
  declare private selected?: string;

  constructor() {
    super();
    this.level = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void siteMap().then((site) => {
      this.site = site;
      this.level ||= this.busiestLevel() ?? site?.levels[0]?.name ?? '';
    });
  }

  override updated(): void {
    if (this.site) markReady('fleet');
  }

  private placeText(level: string | null | undefined, nodeId: string | null | undefined): string {
    return placeText(this.site, level, nodeId);
  }

  private busiestLevel(): string | undefined {
    const counts = new Map<string, number>();
    for (const r of this.live.store.robots) if (r.position) counts.set(r.position.mapId, (counts.get(r.position.mapId) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  override render() {
    const store = this.live.store;
    const counts = new Map<string, number>();
    for (const r of store.robots) if (r.position) counts.set(r.position.mapId, (counts.get(r.position.mapId) ?? 0) + 1);
    return html`
      <section class="panel">
        <h2>${t('fleet.map')}</h2>
        <div class="levels" role="tablist" aria-label=${t('common.level')}>
          ${(this.site?.levels ?? []).map(
            (level) => html`<button data-testid="level-${level.name}" aria-pressed=${level.name === this.level} @click=${() => this.setLevel(level.name)}>
              ${level.name}${counts.get(level.name) ? html` · ${t('map.robotsHere', { n: counts.get(level.name)! })}` : nothing}
            </button>`,
          )}
        </div>
        ${this.site ? html`<floor-map .site=${this.site} .level=${this.level} .selected=${this.selected}></floor-map>` : html`<p>${t('common.loading')}</p>`}
        <div class="legend">
          ${(['green', 'buffer', 'red'] as const).map((zone) => html`<span><i style="background:${ZONE_FILL[zone]}"></i>${t(`zone.${zone}` as MessageKey)}</span>`)}
          <span><i style="background:#50657d"></i>${t('map.lift', { id: '' })}</span>
          <span><i style="background:${DISINFECTED_FILL}"></i>${t('map.disinfected')}</span>
        </div>
      </section>
      <div>
        <section class="panel">
          <h2>${t('alerts.title')}</h2>
          <alert-list></alert-list>
        </section>
        <section class="panel" style="margin-top:10px">
          <h2>${t('fleet.robots')}</h2>
          ${this.renderRobots()}
        </section>
        <section class="panel" style="margin-top:10px">
          <h2>${t('fleet.drones')}</h2>
          ${this.renderDrones()}
        </section>
      </div>
      <section class="panel wide">
        <h2>${t('fleet.timeline')}</h2>
        <trip-timeline></trip-timeline>
      </section>
    `;
  }

  private renderRobots() {
    const store = this.live.store;
    const active = new Map<string, TripView>();
    for (const trip of store.trips.values()) if (trip.status === 'planned' || trip.status === 'running') active.set(trip.robot, trip);
    return html`<table data-testid="robot-table">
      <thead><tr><th>${t('common.robot')}</th><th>${t('robot.stateHeader')}</th><th>${t('robot.battery')}</th><th>${t('robot.where')}</th><th>${t('robot.job')}</th></tr></thead>
      <tbody>
        ${[...store.robots]
          .sort((a, b) => naturalOrder(a.id, b.id))
          .map((r) => {
            const [tone, symbol] = robotTone[r.state];
            const trip = active.get(r.id);
            const next = nextRoomOf(store.rounds.values(), r.id);
            return html`<tr data-testid="robot-row" data-robot=${r.id} @click=${() => this.select(r.id, r.position?.mapId)} style="cursor:pointer">
              <td class="nowrap"><span class="dot" style="background:${colourOf(r.id)}"></span><b>${r.id}</b></td>
              <td><span class="chip ${tone}">${symbol} ${t(`robot.state.${r.state}` as MessageKey)}</span></td>
              <td><span class="chip ${batteryTone(r.battery)}">${r.battery == null ? t('robot.batteryUnknown') : `${Math.round(r.battery)} %`}</span></td>
              <td>${this.placeText(r.level, r.node)}</td>
              <td>${trip ? t('fleet.tripJob', { rooms: trip.visits.join(', ') }) : t('fleet.idleJob')}
                ${next ? html`<div class="next" data-testid="robot-next-room" data-room=${next.room}>${t('fleet.nextRoomEta', { room: next.room, time: etaTime(next)! })}</div>` : nothing}</td>
            </tr>`;
          })}
      </tbody>
    </table>`;
  }

  private renderDrones() {
    const store = this.live.store;
    if (!store.drones.length) return html`<p class="muted">${t('fleet.noDrones')}</p>`;
    return html`<table data-testid="drone-table">
      <thead><tr><th>${t('drone.name')}</th><th>${t('robot.connection')}</th><th>${t('drone.battery')}</th><th>${t('drone.tank')}</th><th>${t('drone.mode')}</th></tr></thead>
      <tbody>
        ${store.drones.map(
          (d) => html`<tr>
            <td class="nowrap"><span class="dot" style="background:${colourOf(d.id)}"></span><b>${d.id}</b></td>
            <td><span class="chip ${d.online ? 'ok' : 'bad'}">${d.online ? `● ${t('robot.online')}` : `✕ ${t('robot.offlineShort')}`}</span></td>
            <td><span class="chip ${batteryTone(d.batteryPct)}">${Math.round(d.batteryPct)} %</span></td>
            <td>${d.tankL.toFixed(1)} L</td>
            <td>${droneModeText(d.mode)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private setLevel(level: string): void {
    this.level = level;
    this.dispatchEvent(new CustomEvent('level-change', { detail: { level }, bubbles: true, composed: true }));
  }

  private select(robot: string, level: string | undefined): void {
    this.selected = robot;
    if (level) this.level = level;
  }
}
customElements.define('fleet-view', FleetView);

declare global {
  interface HTMLElementTagNameMap {
    'fleet-view': FleetView;
  }
}
