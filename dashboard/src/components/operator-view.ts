import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import { timeText } from '../i18n/format.js';
import type { CreateMissionResponse, FeatureCollection, Mission, MissionStatus, PlanMetrics } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { colourOf, markReady } from '../live/site.js';
import { normaliseZones, type ZoneRoleName } from '../map/geo.js';
import { sharedStyles } from './shared-styles.js';
import { pausedMark } from './paused-mark.js';
import type { MapSettings, MapTool, MetricMap } from './metric-map.js';
import './alert-list.js';
import './broadcast-panel.js';
import './drone-table.js';
import './metric-map.js';
import './sortie-timeline.js';
import { pathBase } from '../api/path-base.js';

// The site's own (the sites behind one host name share the page's storage).
const ZONES_KEY = `isofleet.zones${pathBase}`;
const SETTINGS_KEY = 'isofleet.mapSettings';
/** Whether the plan's lines are drawn over the coverage (kept by the browser). */
const SHOW_PLAN_KEY = 'isofleet.showPlan';
const TAB_KEY = 'isofleet.operatorTab';
const ROLES: ZoneRoleName[] = ['spray', 'keepout', 'geofence', 'pad'];
/** A mission past planning and not over: someone committed to it and its drones may be flying. */
const UNDER_WAY = new Set<MissionStatus>(['cleared', 'running', 'paused', 'returning']);
/** Statuses in which a mission keeps its drones from any other mission. */
const HOLDS_DRONES = new Set<MissionStatus>(['planned', ...UNDER_WAY]);
type MissionAction = 'clear' | 'launch' | 'pause' | 'resume' | 'return-home' | 'abort';

/**
 * The drone operator's screen, for a tablet outdoors: zones on a metric map (draw, edit, import,
 * export GeoJSON), a plan preview with its metrics, "zone clear", launch / pause / resume /
 * return home, live drones with tank and battery, coverage filling in, sorties and refills.
 *
 * @fires mission-planned - detail `{id}` after the server planned a mission.
 */
export class OperatorView extends LitElement {
  static override properties = {
    zones: { state: true },
    settings: { state: true },
    tool: { state: true },
    showPlan: { state: true },
    selected: { state: true },
    planResponse: { state: true },
    missionId: { state: true },
    planning: { state: true },
    error: { state: true },
    zoneChecked: { state: true },
    showSettings: { state: true },
    tab: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; grid-template-columns: minmax(0, 1fr) minmax(320px, 400px); align-items: start; }
      @media (max-width: 900px) { :host { grid-template-columns: 1fr; } }
      /* Outdoors in the sun: heavy type, black on white, thick borders. */
      :host { font-size: 17px; }
      /* The whole map stays on screen under the header and the 60 px toolbar, so a tap at its edge lands. */
      metric-map { height: max(360px, min(calc(100vh - 330px), 640px)); }
      .tools { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; align-items: center; }
      .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; border: 2px solid; vertical-align: -2px; }
      dl { display: grid; grid-template-columns: auto auto; gap: 2px 12px; margin: 6px 0; }
      dt { color: var(--muted); }
      dd { margin: 0; font-weight: 700; }
      .controls { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
      .controls button { min-height: 60px; font-size: 19px; }
      /* On a phone the map comes first and is tall: the controls of a mission holding drones stay
         docked at the bottom of the screen, never a scroll away. */
      @media (max-width: 900px) {
        :host([docked]) { padding-bottom: 220px; }
        .controls.dock { position: fixed; left: 0; right: 0; bottom: 0; z-index: 20; background: var(--paper); padding: 8px 10px; box-shadow: 0 -2px 8px #0005; }
      }
      .check { display: flex; gap: 10px; align-items: center; font-weight: 700; min-height: 60px; }
      .check input { width: 60px; height: 60px; margin: 0; flex: none; }
      .big { font-size: 28px; font-weight: 800; }
      input[type='text'] { font: inherit; min-height: 60px; width: 100%; box-sizing: border-box; border: 2px solid var(--ink); border-radius: 8px; padding: 0 8px; }
      section + section { margin-top: 10px; }
      .wide { grid-column: 1 / -1; }
      /* Spray or broadcast, beside the title: no row of its own, so the map keeps its height on screen. */
      .head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; }
      .head h2 { margin: 0; }
      .tabs { display: flex; gap: 6px; }
      .tabs button { min-height: 60px; padding: 0 14px; }
      h2.paused { background: var(--warn-bg); color: var(--warn); border: var(--border) solid var(--warn); border-radius: 8px; padding: 4px 10px; display: inline-flex; align-items: center; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['drones', 'missions', 'coverage']);
  declare private zones: FeatureCollection;
  declare private settings: MapSettings;
  declare private tool: MapTool;
  declare private showPlan: boolean;
  declare private selected: number;
  declare private planResponse?: CreateMissionResponse;
  declare private missionId?: string;
  declare private planning: boolean;
  declare private error?: string;
  declare private zoneChecked: boolean;
  declare private showSettings: boolean;
  /** Spray missions or broadcast flights (kept by the browser). */
  declare private tab: 'spray' | 'broadcast';
  private poll = 0;
  /** Missions this screen tried to take over and could not (so it does not ask again on every push). */
  private readonly adoptFailed = new Set<string>();
  private adopting = false;

  constructor() {
    super();
    this.zones = loadJson(ZONES_KEY) ?? { type: 'FeatureCollection', features: [] };
    this.settings = loadJson(SETTINGS_KEY) ?? { tileUrl: '', imageUrl: '', imageBounds: null };
    this.tool = 'select';
    this.showPlan = loadJson<boolean>(SHOW_PLAN_KEY) ?? true;
    this.selected = -1;
    this.planning = false;
    this.zoneChecked = false;
    this.showSettings = false;
    this.tab = loadJson<'spray' | 'broadcast'>(TAB_KEY) === 'broadcast' ? 'broadcast' : 'spray';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A fallback for servers that do not push `mission` yet: refresh the mission every 2 s.
    this.poll = window.setInterval(() => void this.refreshMission(), 2000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.poll);
    super.disconnectedCallback();
  }

  override willUpdate(): void {
    if (!this.missionId && !this.adopting) void this.adoptFlyingMission();
  }

  override updated(): void {
    const status = this.missionId ? (this.mission?.status ?? 'planned') : undefined;
    this.toggleAttribute('docked', !!status && status !== 'done' && status !== 'aborted');
    markReady('operator');
  }

  /**
   * A screen opened while a mission is under way (a reload, a second tablet, a controller
   * restart) takes it over: its zones, its plan and the controls to pause, call home or abort.
   * Missions only planned are left alone: the operator may be redrawing them.
   */
  private async adoptFlyingMission(): Promise<void> {
    const flying = [...this.live.store.missions.values()].filter((m) => UNDER_WAY.has(m.status) && !this.adoptFailed.has(m.id)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!flying) return;
    this.adopting = true;
    const result = await api.missionPlan(flying.id);
    this.adopting = false;
    if (this.missionId) return;
    if (!result.ok) {
      this.adoptFailed.add(flying.id);
      return;
    }
    this.missionId = flying.id;
    this.planResponse = { id: flying.id, plan: result.value.plan, assigned: result.value.assigned };
    this.zones = result.value.zones;
    this.zoneChecked = flying.zoneClear;
    await this.refreshMission();
  }

  private get map(): MetricMap | null {
    return this.renderRoot.querySelector('metric-map');
  }

  private get mission(): Mission | undefined {
    return this.missionId ? this.live.store.missions.get(this.missionId) : undefined;
  }

  private tabs() {
    const pick = (tab: 'spray' | 'broadcast') => {
      this.tab = tab;
      localStorage.setItem(TAB_KEY, JSON.stringify(tab));
    };
    return html`<div class="tabs" role="tablist" slot="tabs">
      ${(['spray', 'broadcast'] as const).map(
        (tab) =>
          html`<button role="tab" data-testid="tab-${tab}" aria-selected=${this.tab === tab} aria-pressed=${this.tab === tab} @click=${() => pick(tab)}>${t(`op.tab.${tab}` as MessageKey)}</button>`,
      )}
    </div>`;
  }

  override render() {
    if (this.tab === 'broadcast') return html`<broadcast-panel class="wide">${this.tabs()}</broadcast-panel>`;
    return html`
      <section class="panel">
        <div class="head"><h2>${t('op.title')}</h2>${this.tabs()}</div>
        <div class="tools" role="toolbar" aria-label=${t('op.tools')}>
          <button data-testid="tool-select" aria-pressed=${this.tool === 'select'} @click=${() => this.setTool('select')}>${t('op.select')}</button>
          ${ROLES.map(
            (role) => html`<button data-testid="tool-${role}" aria-pressed=${this.tool === role} @click=${() => this.setTool(role)}>
              <span class="swatch" style="background:${role === 'pad' ? '#ffb000' : role === 'keepout' ? '#d0303c88' : role === 'spray' ? '#2e9d4f55' : '#fff'};border-color:${role === 'geofence' ? '#0b4fa3' : '#0d1117'}"></span>
              ${t(`op.role.${role}` as MessageKey)}</button>`,
          )}
          <!-- Always there (disabled when there is no shape to finish), so the toolbar does not reflow under the next tap. -->
          <button class="primary" data-testid="finish-shape" ?disabled=${this.tool === 'select' || this.tool === 'pad'} @click=${() => this.map?.finishShape()}>${t('op.finish')}</button>
          ${this.selected >= 0 ? html`<button class="danger" data-testid="delete-shape" @click=${() => this.deleteSelected()}>${t('op.deleteShape')}</button>` : nothing}
          <button aria-label="+" @click=${() => this.map?.zoom(1.5)}>+</button>
          <button aria-label="-" @click=${() => this.map?.zoom(1 / 1.5)}>-</button>
        </div>
        ${this.tool !== 'select' ? html`<p class="muted">${t('op.drawHint')}</p>` : nothing}
        <metric-map
          .zones=${this.zones}
          .plan=${this.planResponse?.plan}
          .missionId=${this.missionId}
          .showPlan=${this.showPlan}
          .assigned=${this.planResponse?.assigned ?? []}
          .tool=${this.tool}
          .selected=${this.selected}
          .settings=${this.settings}
          @zones-change=${(e: CustomEvent<{ zones: FeatureCollection }>) => this.setZones(e.detail.zones)}
          @feature-select=${(e: CustomEvent<{ index: number }>) => {
            this.selected = e.detail.index;
          }}
        ></metric-map>
        <div class="tools" style="margin-top:8px">
          <label><button @click=${() => (this.renderRoot.querySelector('#import') as HTMLInputElement).click()}>${t('op.import')}</button>
            <input id="import" data-testid="import-file" type="file" accept=".geojson,.json,application/geo+json,application/json" hidden @change=${this.importFile} /></label>
          <button data-testid="export" @click=${() => this.exportZones()}>${t('op.export')}</button>
          <button data-testid="toggle-plan" aria-pressed=${this.showPlan} ?disabled=${!this.planResponse} @click=${() => this.togglePlan()}>${t('op.planLines')}</button>
          <span class="muted" data-testid="shape-count">${this.zones.features.length === 1 ? t('op.shapesOne') : t('op.shapes', { n: this.zones.features.length })}</span>
          <button @click=${() => {
            this.showSettings = !this.showSettings;
          }}>${t('op.settings')}</button>
        </div>
        ${this.showSettings ? this.renderSettings() : nothing}
      </section>
      <div>
        <section class="panel">${this.renderPlan()}</section>
        ${this.missionId ? html`<section class="panel">${this.renderMission()}</section>` : nothing}
        ${this.renderHolding()}
        <section class="panel"><h2>${t('fleet.drones')}</h2><drone-table .mission=${this.mission}></drone-table></section>
        <section class="panel"><h2>${t('alerts.title')}</h2>
          <alert-list .kinds=${['geofenceBreach', 'keepoutBreach', 'externalControl', 'windTooStrong', 'droneLinkLost', 'droneNotReturned', 'batteryLow']}></alert-list></section>
      </div>
      <section class="panel wide"><h2>${t('op.timeline')}</h2><sortie-timeline></sortie-timeline></section>
    `;
  }

  private renderSettings() {
    const s = this.settings;
    return html`<div data-testid="map-settings">
      <label>${t('op.tileUrl')}<input type="text" id="tile" .value=${s.tileUrl} placeholder="https://tiles.example/{z}/{x}/{y}.png" /></label>
      <label>${t('op.siteImage')}<input type="text" id="image" .value=${s.imageUrl} /></label>
      <label>${t('op.imageBounds')}<input type="text" id="bounds" .value=${s.imageBounds?.join(', ') ?? ''} /></label>
      <button class="primary" style="margin-top:6px" @click=${() => this.saveSettings()}>${t('op.save')}</button>
    </div>`;
  }

  private renderPlan() {
    const metrics = this.planResponse?.plan.properties?.metrics as PlanMetrics | undefined;
    const hasSpray = this.zones.features.some((f) => (f.properties as { role?: string }).role === 'spray');
    return html`
      <h2>${t('op.metrics')}</h2>
      ${can('POST', '/api/missions') ? nothing : html`<p class="note" data-testid="role-note-plan">${t('role.cannotFly')}</p>`}
      <button class="primary" data-testid="plan" ?disabled=${!hasSpray || this.planning || !can('POST', '/api/missions')} @click=${() => void this.planMission()}>
        ${this.planning ? t('op.planning') : t('op.plan')}</button>
      ${this.error ? html`<div class="error" role="alert" data-testid="op-error">${this.error}</div>` : nothing}
      ${
        metrics
          ? html`<dl data-testid="plan-metrics">
            <dt>${t('op.metric.area')}</dt><dd>${(metrics.areaM2 / 10_000).toFixed(2)} ha</dd>
            <dt>${t('op.metric.spray')}</dt><dd>${(metrics.sprayLengthM / 1000).toFixed(2)} km</dd>
            <dt>${t('op.metric.total')}</dt><dd>${(metrics.totalLengthM / 1000).toFixed(2)} km</dd>
            <dt>${t('op.metric.turns')}</dt><dd>${metrics.turns}</dd>
            <dt>${t('op.metric.sorties')}</dt><dd>${metrics.sorties}</dd>
            <dt>${t('op.metric.makespan')}</dt><dd>${formatDuration(metrics.makespanS)}</dd>
            <dt>${t('op.metric.coverage')}</dt><dd>${metrics.coveragePct.toFixed(1)} %</dd>
            <dt>${t('op.metric.overspray')}</dt><dd>${metrics.oversprayPct.toFixed(1)} %</dd>
          </dl>
          <div class="tools">${[...new Set(this.planResponse!.plan.features.map((f) => f.properties.drone))].map((d) => {
            const id = this.planResponse!.assigned[d] ?? String(d);
            return html`<span class="chip"><span class="swatch" style="background:${colourOf(id)};border-color:${colourOf(id)}"></span>${id}</span>`;
          })}</div>`
          : html`<p class="muted">${t('op.noMission')}</p>`
      }
    `;
  }

  private renderMission() {
    const mission = this.mission;
    const status: MissionStatus | undefined = mission?.status ?? (this.missionId ? 'planned' : undefined);
    const coverage = this.missionId ? (this.live.store.coverage.get(this.missionId)?.coveragePct ?? mission?.coveragePct ?? 0) : 0;
    // Shown to every role, usable only by those the server lets fly (operators, admins).
    const mayFly = can('POST', '/api/missions/:id/abort');
    const allowed = (action: MissionAction) => mayFly && possible(action);
    const possible = (action: MissionAction) => {
      switch (action) {
        case 'clear':
          return status === 'planned' && this.zoneChecked;
        case 'launch':
          return status === 'cleared';
        case 'pause':
          return status === 'running';
        case 'resume':
          return status === 'paused';
        case 'return-home':
          return status === 'running' || status === 'paused';
        case 'abort':
          return !!status && status !== 'done' && status !== 'aborted';
      }
    };
    const button = (action: MissionAction, key: MessageKey, cls = '') =>
      html`<button class=${cls} data-testid="mission-${action}" ?disabled=${!allowed(action)} @click=${() => void this.act(action)}>${t(key)}</button>`;
    return html`
      <h2 data-testid="mission-status" data-status=${status ?? ''} class=${status === 'paused' ? 'paused' : ''}>${status === 'paused' ? pausedMark : nothing}${
        status ? t('op.status', { status: t(`op.mission.${status}` as MessageKey) }) : t('op.noMission')
      }</h2>
      ${status && !mayFly ? html`<p class="note" data-testid="role-note">${t('role.cannotFly')}</p>` : nothing}
      ${
        status
          ? html`<p class="big" data-testid="coverage" data-value=${coverage.toFixed(2)}>${t('op.coverage', { pct: coverage.toFixed(1) })}</p>
            ${
              status === 'planned'
                ? html`<label class="check"><input type="checkbox" data-testid="zone-checked" .checked=${this.zoneChecked}
                  @change=${(e: Event) => {
                    this.zoneChecked = (e.target as HTMLInputElement).checked;
                  }} />${t('op.clearCheck')}</label>`
                : nothing
            }
            <div class="controls ${status !== 'done' && status !== 'aborted' ? 'dock' : ''}" data-testid="mission-controls">
              ${button('clear', 'op.confirmClear', 'primary')}${button('launch', 'op.launch', 'primary')}
              ${button('pause', 'op.pause')}${button('resume', 'op.resume')}
              ${button('return-home', 'op.returnHome')}${button('abort', 'op.abort', 'danger')}
            </div>`
          : nothing
      }
    `;
  }

  /**
   * Every other mission that holds drones (planned and never launched included: the planner
   * refuses new missions while drones are held), each with a way to open it here and to cancel it.
   */
  private renderHolding() {
    const holding = [...this.live.store.missions.values()].filter((m) => HOLDS_DRONES.has(m.status) && m.id !== this.missionId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (!holding.length) return nothing;
    const mayFly = can('POST', '/api/missions/:id/abort');
    return html`<section class="panel" data-testid="holding-missions">
      <h2>${t('op.holding')}</h2>
      ${mayFly ? nothing : html`<p class="note" data-testid="role-note">${t('role.cannotFly')}</p>`}
      ${holding.map(
        (m) => html`<div class="tools" data-testid="holding" data-mission=${m.id} data-status=${m.status}>
          <b>${m.status === 'paused' ? pausedMark : nothing}${t('op.status', { status: t(`op.mission.${m.status}` as MessageKey) })}</b>
          <span class="muted">${m.drones.map((d) => d.id).join(', ')} · ${timeText(m.createdAt, { hour: '2-digit', minute: '2-digit' })}</span>
          <button data-testid="holding-open" @click=${() => void this.openMission(m)}>${t('op.open')}</button>
          <button class="danger" data-testid="holding-abort" ?disabled=${!mayFly} @click=${() => void this.abortOther(m.id)}>${t('op.cancelMission')}</button>
        </div>`,
      )}
    </section>`;
  }

  private async abortOther(id: string): Promise<void> {
    const result = await api.missionAction(id, 'abort');
    if (result.ok) this.live.store.putMission(result.value);
    else this.error = t('common.error', { message: result.message });
  }

  private async openMission(mission: Mission): Promise<void> {
    const result = await api.missionPlan(mission.id);
    if (!result.ok) {
      this.error = t('common.error', { message: result.message });
      return;
    }
    this.missionId = mission.id;
    this.planResponse = { id: mission.id, plan: result.value.plan, assigned: result.value.assigned };
    this.zones = result.value.zones;
    this.zoneChecked = mission.zoneClear;
    await this.refreshMission();
  }

  private togglePlan(): void {
    this.showPlan = !this.showPlan;
    localStorage.setItem(SHOW_PLAN_KEY, JSON.stringify(this.showPlan));
  }

  private setTool(tool: MapTool): void {
    this.map?.cancelShape();
    this.tool = tool;
    this.selected = -1;
  }

  private setZones(zones: FeatureCollection): void {
    this.zones = zones;
    localStorage.setItem(ZONES_KEY, JSON.stringify(zones));
    // The old plan no longer matches the zones.
    if (this.mission?.status === undefined || this.mission.status === 'planned') {
      this.planResponse = undefined;
      this.missionId = undefined;
    }
  }

  private deleteSelected(): void {
    const features = this.zones.features.filter((_, i) => i !== this.selected);
    this.selected = -1;
    this.setZones({ type: 'FeatureCollection', features });
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (error) {
      this.error = t('common.error', { message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const { zones, errors } = normaliseZones(parsed);
    this.error = errors.length ? t('common.error', { message: errors.slice(0, 3).join('; ') }) : undefined;
    this.setZones(zones);
    await this.updateComplete;
    this.map?.fit();
  }

  private exportZones(): void {
    const blob = new Blob([JSON.stringify(this.zones, null, 1)], { type: 'application/geo+json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'zones.geojson';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  private saveSettings(): void {
    const value = (id: string) => (this.renderRoot.querySelector(`#${id}`) as HTMLInputElement).value.trim();
    const bounds = value('bounds').split(/[ ,]+/).filter(Boolean).map(Number);
    this.settings = {
      tileUrl: value('tile'),
      imageUrl: value('image'),
      imageBounds: bounds.length === 4 && bounds.every(Number.isFinite) ? (bounds as [number, number, number, number]) : null,
    };
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(this.settings));
    this.showSettings = false;
  }

  private async planMission(): Promise<void> {
    this.planning = true;
    this.error = undefined;
    const result = await api.createMission(this.zones);
    this.planning = false;
    if (result.ok) {
      this.planResponse = result.value;
      this.missionId = result.value.id;
      this.zoneChecked = false;
      await this.refreshMission();
      this.dispatchEvent(new CustomEvent('mission-planned', { detail: { id: result.value.id }, bubbles: true, composed: true }));
    } else {
      const detail = result.issues?.map((i) => i.message).join('; ') || result.message;
      this.error = t('op.planError', { message: detail });
    }
  }

  private async act(action: MissionAction): Promise<void> {
    if (!this.missionId) return;
    const result = await api.missionAction(this.missionId, action);
    if (!result.ok) this.error = t('common.error', { message: result.message });
    else {
      this.error = undefined;
      if (result.value && typeof result.value === 'object' && 'status' in result.value) this.live.store.putMission(result.value);
      if (action === 'launch') void this.live.store.loadCoverage(this.missionId);
    }
    await this.refreshMission();
  }

  private async refreshMission(): Promise<void> {
    if (!this.missionId) return;
    const result = await api.mission(this.missionId);
    if (result.ok) this.live.store.putMission(result.value);
    const state = this.live.store.coverage.get(this.missionId);
    if (!state?.grid && result.ok && result.value.status !== 'planned') void this.live.store.loadCoverage(this.missionId);
  }
}

function loadJson<T>(key: string): T | undefined {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

function formatDuration(s: number): string {
  const h = Math.floor(s / 3600),
    m = Math.round((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

customElements.define('operator-view', OperatorView);

declare global {
  interface HTMLElementTagNameMap {
    'operator-view': OperatorView;
  }
}
