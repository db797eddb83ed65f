import { LitElement, css, html, nothing, svg } from 'lit';
import type { BroadcastSummary, CreateBroadcastBody } from '../../../protocol/index.js';
import { api } from '../api/client.js';
import { can } from '../api/permissions.js';
import type { FeatureCollection } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { qrFigure } from './broadcast-qr.js';
import { sharedStyles } from './shared-styles.js';
import { pathBase } from '../api/path-base.js';

// The site's own (the sites behind one host name share the page's storage).
const ROAD_KEY = `isofleet.broadcastRoad${pathBase}`;
/** The call the operator starts from: scan the drone's QR code and declare before the checkpoint. */
const DEFAULT_TEXT = '请扫描无人机上的二维码，填写健康申报，到达检查站时出示申报结果即可快速通行。';
const W = 640;
const H = 420;

type Feature = FeatureCollection['features'][number];
type LonLat = [number, number];

/**
 * The operator's broadcast tab: the road file (imported: road, geofence, pads, keepouts; the
 * road may be redrawn on the map, tapped from the checkpoint outwards), side, height, offset,
 * hover at stops or a slow forward speed, the message (a text to speak, Mandarin or English, or
 * an uploaded recording, whose length the controller reads) and the QR
 * payload, drawn as the code the drivers will scan; plan, launch, abort; the drone moving along
 * the queue, the stop it is at and what its speaker plays now (polled every second while it flies).
 */
export class BroadcastPanel extends LitElement {
  static override properties = {
    road: { state: true },
    drawing: { state: true },
    plan: { state: true },
    summary: { state: true },
    error: { state: true },
    busy: { state: true },
    mode: { state: true },
    qr: { state: true },
    messageKind: { state: true },
    audio: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; grid-template-columns: minmax(0, 1fr) minmax(320px, 400px); align-items: start; font-size: 17px; }
      @media (max-width: 900px) { :host { grid-template-columns: 1fr; } }
      svg { width: 100%; height: auto; background: #f4f6f8; border: 2px solid var(--ink); border-radius: 8px; touch-action: none; }
      svg.drawing { cursor: crosshair; }
      form { display: grid; gap: 8px; }
      label { display: grid; gap: 2px; font-weight: 700; }
      input, select, textarea { font: inherit; min-height: 48px; border: 2px solid var(--ink); border-radius: 8px; padding: 4px 8px; box-sizing: border-box; width: 100%; }
      textarea { min-height: 96px; }
      .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
      .controls { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin-top: 8px; }
      .controls button { min-height: 60px; font-size: 19px; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 6px 0; }
      dt { color: var(--muted); }
      dd { margin: 0; font-weight: 700; overflow-wrap: anywhere; }
      .playing { font-size: 20px; }
      .head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; margin-bottom: 8px; }
      .head h2 { margin: 0; }
      ::slotted([slot='tabs']) { display: flex; gap: 6px; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  declare private road?: FeatureCollection;
  declare private drawing: boolean;
  declare private plan?: FeatureCollection;
  declare private summary?: BroadcastSummary;
  declare private error?: string;
  declare private busy: boolean;
  /** Hover at stops, or fly forward along the road playing all the way. */
  declare private mode: 'hover' | 'forward';
  /** The QR payload as typed (drawn as the code beside it). */
  declare private qr: string;
  /** Speak a text, or play an uploaded recording. */
  declare private messageKind: 'text' | 'audio';
  /** The uploaded recording: where the drone fetches it and its length; `uploading` while it goes up. */
  declare private audio?: { name: string; url: string; durationS: number } | { name: string; uploading: true };
  private poll = 0;
  private form = { side: 'left' as 'left' | 'right', heightM: 15, offsetM: 20, hoverS: '', forwardMps: '3', text: DEFAULT_TEXT, lang: 'zh' as 'zh' | 'en' };

  constructor() {
    super();
    this.drawing = false;
    this.busy = false;
    this.mode = 'hover';
    this.qr = '';
    this.messageKind = 'text';
    try {
      this.road = JSON.parse(localStorage.getItem(ROAD_KEY) ?? 'null') ?? undefined;
    } catch {
      this.road = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.poll = window.setInterval(() => void this.refresh(), 1000);
    void this.takeOver();
  }

  /**
   * A broadcast planned or under way when this screen opens (a reload, a second tablet) is taken
   * over with its road, plan and controls: otherwise nothing here could launch or abort it, and a
   * planned one keeps its drone from every other broadcast.
   */
  private async takeOver(): Promise<void> {
    const list = await api.broadcasts();
    const open = list.ok ? list.value.find((b) => b.status === 'planned' || b.status === 'running') : undefined;
    if (!open || this.summary) return;
    const p = await api.broadcastPlan(open.id);
    if (!p.ok || this.summary) return;
    this.setRoad(p.value.road);
    this.plan = p.value.plan;
    this.summary = open;
  }

  override disconnectedCallback(): void {
    clearInterval(this.poll);
    super.disconnectedCallback();
  }

  private async refresh(): Promise<void> {
    const s = this.summary;
    if (!s || s.status === 'done' || s.status === 'aborted') return;
    const r = await api.broadcast(s.id);
    if (r.ok) this.summary = r.value;
  }

  private setRoad(road: FeatureCollection | undefined): void {
    this.road = road;
    this.plan = undefined;
    if (road) localStorage.setItem(ROAD_KEY, JSON.stringify(road));
    else localStorage.removeItem(ROAD_KEY);
  }

  private async importFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const parsed = JSON.parse(await file.text()) as FeatureCollection;
      if (parsed?.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) throw new Error('not a GeoJSON FeatureCollection');
      this.error = undefined;
      this.setRoad(parsed);
    } catch (error) {
      this.error = t('common.error', { message: error instanceof Error ? error.message : String(error) });
    }
  }

  // ---- the map: the file's features in a local metric frame fitted to the view -------------

  private get frame() {
    const pts: LonLat[] = (this.road?.features ?? []).flatMap((f) => positions(f));
    if (pts.length === 0) return undefined;
    const lons = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
    const k = Math.cos((lat0 * Math.PI) / 180);
    const [x0, x1, y0, y1] = [Math.min(...lons) * k, Math.max(...lons) * k, Math.min(...lats), Math.max(...lats)];
    const scale = Math.min((W - 40) / (x1 - x0 || 1e-6), (H - 40) / (y1 - y0 || 1e-6));
    const toXY = ([lon, lat]: LonLat): [number, number] => [20 + (lon * k - x0) * scale, H - 20 - (lat - y0) * scale];
    const toLonLat = (x: number, y: number): LonLat => [((x - 20) / scale + x0) / k, (H - 20 - y) / scale + y0];
    return { toXY, toLonLat };
  }

  private mapClick(e: MouseEvent): void {
    const frame = this.frame;
    if (!this.drawing || !frame || !this.road) return;
    const svgEl = e.currentTarget as SVGSVGElement;
    const m = svgEl.getScreenCTM();
    if (!m) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    const at = frame.toLonLat(p.x, p.y);
    const features = this.road.features.filter((f) => f.properties?.role !== 'road');
    const old = this.road.features.find((f) => f.properties?.role === 'road' && (f.properties as { drawn?: boolean }).drawn);
    const coords = old ? [...(old.geometry as { coordinates: LonLat[] }).coordinates, at] : [at];
    const road = { type: 'Feature', properties: { role: 'road', drawn: true }, geometry: { type: 'LineString', coordinates: coords } } as unknown as Feature;
    this.setRoad({ ...this.road, features: [...features, road] });
  }

  private renderMap() {
    const frame = this.frame;
    if (!frame) return html`<p class="note" data-testid="bc-no-site">${t('bc.noSite')}</p>`;
    const path = (ring: LonLat[]) => ring.map((p, i) => `${i ? 'L' : 'M'}${frame.toXY(p).join(',')}`).join(' ');
    const features = this.road?.features ?? [];
    const role = (f: Feature) => (f.properties as { role?: string } | undefined)?.role;
    const s = this.summary;
    const stops = (this.plan?.features ?? []).filter((f) => (f.properties as { kind?: string }).kind === 'stop');
    const sorties = (this.plan?.features ?? []).filter((f) => (f.properties as { kind?: string }).kind === 'sortie');
    const lines = (this.plan?.features ?? []).filter((f) => (f.properties as { kind?: string }).kind === 'line');
    return html`<svg
      viewBox="0 0 ${W} ${H}"
      data-testid="bc-map"
      class=${this.drawing ? 'drawing' : ''}
      @click=${(e: MouseEvent) => this.mapClick(e)}
    >
      ${features.map((f) => {
        const r = role(f);
        const g = f.geometry as { type: string; coordinates: unknown };
        if (g.type === 'Polygon') {
          const ring = (g.coordinates as LonLat[][])[0] ?? [];
          return svg`<path d="${path(ring)} Z" fill=${r === 'keepout' ? '#d0303c55' : 'none'} stroke=${r === 'keepout' ? '#d0303c' : '#0b4fa3'} stroke-width="2" stroke-dasharray=${r === 'geofence' ? '6 4' : ''}></path>`;
        }
        if (g.type === 'LineString' && r === 'road')
          return svg`<path data-testid="bc-road" d=${path(g.coordinates as LonLat[])} fill="none" stroke="#30363d" stroke-width="6" stroke-linecap="round"></path>`;
        if (g.type === 'Point' && r === 'pad') {
          const [x, y] = frame.toXY(g.coordinates as LonLat);
          return svg`<rect x=${x - 7} y=${y - 7} width="14" height="14" fill="#ffb000" stroke="#0d1117" stroke-width="2"></rect>`;
        }
        return nothing;
      })}
      ${sorties.map((f) => svg`<path d=${path((f.geometry as { coordinates: LonLat[] }).coordinates)} fill="none" stroke="#0b4fa3" stroke-width="2"></path>`)}
      ${lines.map((f) => svg`<path data-testid="bc-line" d=${path((f.geometry as { coordinates: LonLat[] }).coordinates)} fill="none" stroke="#2e9d4f" stroke-width="5" stroke-linecap="round"></path>`)}
      ${stops.map((f, i) => {
        const [x, y] = frame.toXY((f.geometry as { coordinates: LonLat }).coordinates);
        const played = s?.stopsPlayed.includes(i);
        const here = s?.stop === i && s.status === 'running';
        return svg`<circle data-stop=${i} data-played=${played ? 'yes' : 'no'} cx=${x} cy=${y} r=${here ? 10 : 7} fill=${played ? '#2e9d4f' : '#fff'} stroke="#0d1117" stroke-width=${here ? 4 : 2}></circle>`;
      })}
      ${
        s?.drone && s.status === 'running'
          ? (
              () => {
                const [x, y] = frame.toXY([s.drone.lon, s.drone.lat]);
                return svg`<circle data-testid="bc-drone" cx=${x} cy=${y} r="8" fill="#d0303c" stroke="#fff" stroke-width="2"></circle>`;
              }
            )()
          : nothing
      }
    </svg>`;
  }

  // ---- the operator's actions -----------------------------------------------------------------

  private async planBroadcast(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.road) return;
    const f = this.form;
    const a = this.messageKind === 'audio' ? this.audio : undefined;
    if (this.messageKind === 'audio' && !(a && 'url' in a)) return;
    const body: CreateBroadcastBody = {
      road: this.road as unknown as CreateBroadcastBody['road'],
      side: f.side,
      heightM: Number(f.heightM),
      offsetM: Number(f.offsetM),
      ...(this.mode === 'forward' ? { forwardMps: Number(f.forwardMps) } : String(f.hoverS).trim() ? { hoverS: Number(f.hoverS) } : {}),
      message: a && 'url' in a ? { kind: 'audio', url: a.url, durationS: a.durationS } : { kind: 'text', text: f.text, lang: f.lang },
      qr: this.qr,
    };
    this.busy = true;
    const r = await api.createBroadcast(body);
    this.busy = false;
    if (!r.ok) {
      this.error = t('common.error', { message: r.message });
      return;
    }
    this.error = undefined;
    this.plan = r.value.plan;
    this.summary = r.value.summary;
    this.drawing = false;
  }

  private async act(action: 'launch' | 'abort'): Promise<void> {
    if (!this.summary) return;
    const r = await api.broadcastAction(this.summary.id, action);
    if (!r.ok) this.error = t('common.error', { message: r.message });
    else {
      this.error = undefined;
      this.summary = r.value;
    }
  }

  override render() {
    const s = this.summary;
    const props = (this.plan as { properties?: { hearingRangeM?: number; flightS?: number; forwardMps?: number } } | undefined)?.properties;
    const mayFly = can('POST', '/api/broadcasts');
    const set = (key: keyof BroadcastPanel['form']) => (e: Event) => {
      (this.form as Record<string, unknown>)[key] = (e.target as HTMLInputElement).value;
    };
    return html`
      <section class="panel">
        <div class="head"><h2>${t('bc.title')}</h2><slot name="tabs"></slot></div>
        <div class="row" style="margin-bottom:8px">
          <label style="display:inline"><button @click=${() => (this.renderRoot.querySelector('#bc-import') as HTMLInputElement).click()}>${t('bc.import')}</button>
            <input id="bc-import" data-testid="bc-import" type="file" accept=".geojson,.json,application/geo+json,application/json" hidden @change=${this.importFile} /></label>
          <button data-testid="bc-draw" aria-pressed=${this.drawing} ?disabled=${!this.road} @click=${() => this.startDrawing()}>${t('bc.draw')}</button>
          ${this.drawing ? html`<button class="primary" data-testid="bc-finish" @click=${() => (this.drawing = false)}>${t('bc.finish')}</button>` : nothing}
        </div>
        ${this.drawing ? html`<p class="muted">${t('bc.drawHint')}</p>` : nothing}
        ${this.renderMap()}
      </section>
      <section class="panel">
        <form @submit=${(e: Event) => void this.planBroadcast(e)}>
          <label>${t('bc.side')}
            <select data-testid="bc-side" @change=${set('side')}>
              <option value="left" ?selected=${this.form.side === 'left'}>${t('bc.left')}</option>
              <option value="right" ?selected=${this.form.side === 'right'}>${t('bc.right')}</option>
            </select></label>
          <div class="row">
            <label style="flex:1">${t('bc.height')}<input data-testid="bc-height" type="number" min="5" max="120" step="1" .value=${String(this.form.heightM)} @input=${set('heightM')} /></label>
            <label style="flex:1">${t('bc.offset')}<input data-testid="bc-offset" type="number" min="4" max="200" step="1" .value=${String(this.form.offsetM)} @input=${set('offsetM')} /></label>
          </div>
          <label>${t('bc.mode')}
            <select data-testid="bc-mode" @change=${(e: Event) => (this.mode = (e.target as HTMLSelectElement).value as 'hover' | 'forward')}>
              <option value="hover" ?selected=${this.mode === 'hover'}>${t('bc.mode.hover')}</option>
              <option value="forward" ?selected=${this.mode === 'forward'}>${t('bc.mode.forward')}</option>
            </select></label>
          ${
            this.mode === 'hover'
              ? html`<label>${t('bc.hover')}<input data-testid="bc-hover" type="number" min="1" step="1" .value=${this.form.hoverS} @input=${set('hoverS')} /></label>`
              : html`<label>${t('bc.forward')}<input data-testid="bc-forward" type="number" min="0.5" max="10" step="0.5" required .value=${this.form.forwardMps} @input=${set('forwardMps')} /></label>`
          }
          <label>${t('bc.messageKind')}
            <select data-testid="bc-message-kind" @change=${(e: Event) => (this.messageKind = (e.target as HTMLSelectElement).value as 'text' | 'audio')}>
              <option value="text" ?selected=${this.messageKind === 'text'}>${t('bc.messageKind.text')}</option>
              <option value="audio" ?selected=${this.messageKind === 'audio'}>${t('bc.messageKind.audio')}</option>
            </select></label>
          ${this.messageKind === 'text' ? this.renderText(set) : this.renderAudio()}
          <label>${t('bc.qr')}<input data-testid="bc-qr" type="url" required maxlength="300" .value=${this.qr} @input=${(e: Event) => (this.qr = (e.target as HTMLInputElement).value)} /></label>
          ${qrFigure(this.qr, t('bc.qrPreview'))}
          ${mayFly ? nothing : html`<p class="note">${t('role.cannotFly')}</p>`}
          <button class="primary" data-testid="bc-plan" type="submit" ?disabled=${!this.road || this.busy || !mayFly || s?.status === 'running'}>${t('bc.plan')}</button>
        </form>
        ${this.error ? html`<p class="error" role="alert" data-testid="bc-error">${this.error}</p>` : nothing}
        ${
          s
            ? html`
          <p data-testid="bc-metrics">${
            props?.forwardMps !== undefined
              ? t('bc.metricsForward', { speed: props.forwardMps, sorties: s.sorties, range: Math.round(props.hearingRangeM ?? 0), minutes: Math.round((props.flightS ?? 0) / 60) })
              : t('bc.metrics', { stops: s.stops, sorties: s.sorties, range: Math.round(props?.hearingRangeM ?? 0), minutes: Math.round((props?.flightS ?? 0) / 60) })
          }</p>
          <dl>
            <dt>${t('bc.drone')}</dt><dd>${s.droneId}</dd>
            <dt>${t('bc.status')}</dt><dd data-testid="bc-status" data-status=${s.status}>${t(`bc.status.${s.status}` as MessageKey)}${s.reason ? ` (${s.reason})` : ''}</dd>
            ${
              s.stops > 0
                ? html`<dt>${t('bc.stop')}</dt><dd data-testid="bc-stop">${s.stop === null ? '–' : t('bc.stopOf', { stop: s.stop + 1, stops: s.stops })}</dd>
            <dt>${t('bc.played')}</dt><dd data-testid="bc-played" data-value=${s.stopsPlayed.length}>${s.stopsPlayed.length} / ${s.stops}</dd>`
                : nothing
            }
            <dt>${t('bc.playing')}</dt><dd class="playing" data-testid="bc-playing" data-playing=${s.playing ? 'yes' : 'no'}>${s.playing ?? t('bc.silent')}</dd>
            <dt>${t('bc.showing')}</dt><dd data-testid="bc-showing">${s.showing ?? t('bc.blank')}</dd>
          </dl>
          <div class="controls">
            <button class="primary" data-testid="bc-launch" ?disabled=${s.status !== 'planned' || !can('POST', '/api/broadcasts/:id/launch')} @click=${() => void this.act('launch')}>${t('bc.launch')}</button>
            <button class="danger" data-testid="bc-abort" ?disabled=${(s.status !== 'planned' && s.status !== 'running') || !can('POST', '/api/broadcasts/:id/abort')} @click=${() => void this.act('abort')}>${t('bc.abort')}</button>
          </div>`
            : nothing
        }
      </section>
    `;
  }

  private renderText(set: (key: keyof BroadcastPanel['form']) => (e: Event) => void) {
    return html`<label>${t('bc.message')}<textarea data-testid="bc-text" .value=${this.form.text} @input=${set('text')}></textarea></label>
      <label>${t('bc.voice')}
        <select data-testid="bc-lang" @change=${set('lang')}>
          <option value="zh" ?selected=${this.form.lang === 'zh'}>${t('bc.voice.zh')}</option>
          <option value="en" ?selected=${this.form.lang === 'en'}>${t('bc.voice.en')}</option>
        </select></label>`;
  }

  private renderAudio() {
    const a = this.audio;
    return html`<label>${t('bc.audioFile')}<input data-testid="bc-audio" type="file" accept="audio/mpeg,audio/wav,audio/ogg,.mp3,.wav,.ogg,.oga,.opus" required=${a && 'url' in a ? nothing : ''} @change=${this.uploadAudio} /></label>
      ${a ? html`<p data-testid="bc-audio-state" data-ready=${'url' in a ? 'yes' : 'no'}>${'url' in a ? t('bc.audioReady', { name: a.name, seconds: a.durationS }) : t('bc.audioUploading')}</p>` : nothing}`;
  }

  /** Sends the picked recording to the controller, which checks its type and size and reads its length (that sets the hover). */
  private async uploadAudio(e: Event): Promise<void> {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.audio = { name: file.name, uploading: true };
    const r = await api.uploadBroadcastAudio(file);
    if (!r.ok) {
      this.audio = undefined;
      this.error = t('common.error', { message: r.message });
      return;
    }
    this.error = undefined;
    this.audio = { name: file.name, url: r.value.url, durationS: r.value.durationS };
  }

  private startDrawing(): void {
    if (!this.road) return;
    // A fresh road: the next taps replace the file's.
    this.setRoad({ ...this.road, features: this.road.features.filter((f) => f.properties?.role !== 'road') });
    this.drawing = true;
  }
}

/** Every position of a feature (points, lines, polygons' outer rings). */
function positions(f: Feature): LonLat[] {
  const g = f.geometry as { type: string; coordinates: unknown } | null;
  if (!g) return [];
  if (g.type === 'Point') return [g.coordinates as LonLat];
  if (g.type === 'LineString') return g.coordinates as LonLat[];
  if (g.type === 'Polygon') return (g.coordinates as LonLat[][])[0] ?? [];
  return [];
}

customElements.define('broadcast-panel', BroadcastPanel);
