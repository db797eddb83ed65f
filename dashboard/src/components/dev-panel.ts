import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { FaultKind, SimInfo } from '../api/types.js';
import { timeText } from '../i18n/format.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { markReady, siteMap } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';
import './alert-list.js';
import './floor-map.js';
import './trip-progress.js';
import type { Site } from '../api/types.js';

const FAULTS: FaultKind[] = ['stuck', 'linkLoss', 'batterySag', 'pumpFailure', 'noReturn'];
const SPEEDS = [1, 5, 10, 30, 60, 120];

/**
 * For developers: start a sim scenario (a round of N random rooms), set the time scale, inject
 * and clear faults, switch the simulated medic, and watch the result (alerts, trips, map, log).
 *
 * @fires fault-injected - detail `{target, fault, on}` after the server accepted it.
 */
export class DevPanel extends LitElement {
  static override properties = {
    sim: { state: true },
    unavailable: { state: true },
    site: { state: true },
    roomsN: { state: true },
    target: { state: true },
    fault: { state: true },
    log: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; grid-template-columns: minmax(300px, 1fr) minmax(0, 2fr); align-items: start; }
      @media (max-width: 900px) { :host { grid-template-columns: 1fr; } }
      .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 6px 0 12px; }
      select, input { font: inherit; min-height: 60px; padding: 0 10px; border-radius: 8px; border: 2px solid var(--ink); }
      input[type='number'] { width: 6em; }
      ol { font-family: ui-monospace, monospace; font-size: 13px; max-height: 260px; overflow: auto; padding-left: 22px; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['fleet', 'alerts', 'trips']);
  declare private sim?: SimInfo;
  declare private unavailable: boolean;
  declare private site?: Site;
  declare private roomsN: number;
  declare private target: string;
  declare private fault: FaultKind;
  declare private log: string[];

  constructor() {
    super();
    this.unavailable = false;
    this.roomsN = 12;
    this.target = '';
    this.fault = 'stuck';
    this.log = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    void siteMap().then((site) => {
      this.site = site;
    });
  }

  override updated(): void {
    if (this.sim || this.unavailable) markReady('dev');
  }

  private async refresh(): Promise<void> {
    const result = await api.sim();
    if (result.ok) {
      this.sim = result.value;
      this.target ||= result.value.robots[0] ?? result.value.drones[0] ?? '';
    } else this.unavailable = true;
  }

  override render() {
    const sim = this.sim;
    // Reading the simulation is open to all; changing it is the admin's (controller/auth/policy.ts).
    const mayRun = can('PUT', '/api/sim/speed');
    const off = !sim || !mayRun;
    const targets = sim ? [...sim.robots, ...sim.drones] : this.live.store.robots.map((r) => r.id);
    return html`
      <section class="panel">
        <h2>${t('dev.title')}</h2>
        ${this.unavailable ? html`<p class="note" data-testid="sim-unavailable">${t('dev.notInProcess')}</p>` : nothing}
        ${sim && !mayRun ? html`<p class="note" data-testid="role-note">${t('role.cannotSim')}</p>` : nothing}
        <h3>${t('dev.speed', { speed: sim?.speed ?? '?' })}</h3>
        <div class="row">
          ${SPEEDS.map(
            (speed) =>
              html`<button data-testid="speed-${speed}" aria-pressed=${sim?.speed === speed} ?disabled=${off} @click=${() => this.act(() => api.setSpeed(speed), `speed ${speed}`)}>${speed}×</button>`,
          )}
        </div>
        <h3>${t('dev.scenario')}</h3>
        <div class="row">
          <label>${t('dev.roomsN')} <input type="number" min="1" max="200" .value=${String(this.roomsN)} @change=${(e: Event) => (this.roomsN = Number((e.target as HTMLInputElement).value) || 1)} /></label>
          <button class="primary" data-testid="start-round" ?disabled=${off} @click=${() => this.act(() => api.simRound(this.roomsN), `round of ${this.roomsN} rooms`)}>
            ${t('dev.startRound', { n: this.roomsN })}
          </button>
        </div>
        <h3>${t('dev.medic')}</h3>
        <div class="row">
          ${(['auto', 'manual'] as const).map(
            (mode) => html`<button data-testid="medic-${mode}" aria-pressed=${sim?.medic === mode} ?disabled=${off} @click=${() => this.act(() => api.setMedic(mode), `medic ${mode}`)}>
              ${t(`dev.medic.${mode}` as MessageKey)}</button>`,
          )}
        </div>
        <h3>${t('dev.fault')}</h3>
        <div class="row">
          <label>${t('dev.target')}
            <select data-testid="fault-target" @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
              ${targets.map((id) => html`<option value=${id} ?selected=${id === this.target}>${id}</option>`)}
            </select></label>
          <label>${t('dev.faultKind')}
            <select data-testid="fault-kind" @change=${(e: Event) => (this.fault = (e.target as HTMLSelectElement).value as FaultKind)}>
              ${FAULTS.map((f) => html`<option value=${f} ?selected=${f === this.fault}>${t(`dev.fault.${f}` as MessageKey)}</option>`)}
            </select></label>
        </div>
        <div class="row">
          <button class="danger" data-testid="fault-on" ?disabled=${off} @click=${() => this.inject(true)}>${t('dev.faultOn')}</button>
          <button data-testid="fault-off" ?disabled=${off} @click=${() => this.inject(false)}>${t('dev.faultOff')}</button>
        </div>
        <h3>${t('dev.events')}</h3>
        <ol data-testid="dev-log">${this.log.map((line) => html`<li>${line}</li>`)}</ol>
      </section>
      <div>
        <section class="panel"><h2>${t('alerts.title')}</h2><alert-list></alert-list></section>
        <section class="panel" style="margin-top:10px">
          <h2>${t('fleet.map')}</h2>
          ${this.site ? html`<floor-map .site=${this.site} .level=${this.site.levels[0]?.name ?? ''}></floor-map>` : nothing}
        </section>
        <section class="panel" style="margin-top:10px"><h2>${t('medic.progress')}</h2><trip-progress .limit=${5}></trip-progress></section>
      </div>
    `;
  }

  private async inject(on: boolean): Promise<void> {
    const target = this.target || (this.renderRoot.querySelector('[data-testid=fault-target]') as HTMLSelectElement | null)?.value || '';
    await this.act(() => api.fault(target, this.fault, on), `${on ? 'inject' : 'clear'} ${this.fault} on ${target}`);
    this.dispatchEvent(new CustomEvent('fault-injected', { detail: { target, fault: this.fault, on }, bubbles: true, composed: true }));
  }

  private async act(run: () => Promise<{ ok: boolean; message?: string }>, what: string): Promise<void> {
    const result = await run();
    const time = timeText(new Date());
    this.log = [`${time} ${what}: ${result.ok ? t('dev.ok') : t('common.error', { message: result.message ?? '' })}`, ...this.log].slice(0, 50);
    await this.refresh();
  }
}
customElements.define('dev-panel', DevPanel);

declare global {
  interface HTMLElementTagNameMap {
    'dev-panel': DevPanel;
  }
}
