import { LitElement, css, html, svg } from 'lit';
import type { Drone } from '../api/types.js';
import { droneModeText } from '../i18n/enums.js';
import { I18nController, t } from '../i18n/i18n.js';
import { store } from '../live/live-store.js';
import { colourOf } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';

interface Segment {
  mode: Drone['mode'];
  pump: boolean;
  from: number;
  to: number;
  sortie: number | null;
}

const MODE_COLOURS = ['#5d8fd6', '#e0a030', '#8c6bc4', '#3aa6a0', '#c45a5a', '#7a8a3a'];

/**
 * Sorties and refills per drone as they happen: one row per drone, a segment per mode the
 * drone reported (spraying drawn green), from the live `drones` telemetry seen on this page.
 */
export class SortieTimeline extends LitElement {
  static override properties = { endMs: { state: true } };
  static override styles = [sharedStyles, css`:host { display: block; } svg { width: 100%; display: block; } text { font: 12px system-ui, sans-serif; }`];

  private readonly i18n = new I18nController(this);
  private readonly rows = new Map<string, Segment[]>();
  private readonly modes = new Map<Drone['mode'], string>();
  private off?: () => void;
  private timer = 0;
  /** The right end of the timeline (ms since the epoch): now, moved every second. */
  declare private endMs: number;

  constructor() {
    super();
    this.endMs = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = store.subscribe(['drones'], () => this.record(store.drones, Date.now()));
    this.timer = window.setInterval(() => (this.endMs = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    this.off?.();
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  private record(drones: Drone[], now: number): void {
    for (const d of drones) {
      let row = this.rows.get(d.id);
      if (!row) {
        row = [];
        this.rows.set(d.id, row);
      }
      const last = row[row.length - 1];
      if (last && last.mode === d.mode && last.pump === d.pumpOn && last.sortie === d.sortie) last.to = now;
      else row.push({ mode: d.mode, pump: d.pumpOn, from: last?.to ?? now, to: now, sortie: d.sortie });
      if (row.length > 400) row.splice(0, row.length - 400);
      if (!this.modes.has(d.mode)) this.modes.set(d.mode, MODE_COLOURS[this.modes.size % MODE_COLOURS.length]!);
    }
  }

  override render() {
    if (!this.rows.size) return html`<p class="muted">${t('fleet.noDrones')}</p>`;
    let start = Infinity;
    const end = this.endMs;
    for (const row of this.rows.values()) start = Math.min(start, row[0]?.from ?? end);
    const width = 1000,
      label = 80,
      rowH = 26;
    const ids = [...this.rows.keys()].sort();
    const x = (ms: number) => label + ((ms - start) / Math.max(1, end - start)) * (width - label - 10);
    return html`<svg viewBox="0 0 ${width} ${ids.length * rowH + 24}" data-testid="sortie-timeline">
      ${ids.map((id, i) => {
        const y = i * rowH + 2;
        return svg`<text x="4" y=${y + rowH / 2} dominant-baseline="middle" font-weight="700" fill=${colourOf(id)}>${id}</text>
          ${this.rows.get(id)!.map(
            (s) => svg`<rect x=${x(s.from)} y=${y} width=${Math.max(1, x(s.to) - x(s.from))} height=${rowH - 6}
              fill=${s.pump ? '#1e9646' : this.modes.get(s.mode)}><title>${droneModeText(s.mode)} · ${t('drone.sortie')} ${s.sortie ?? '–'}</title></rect>`,
          )}`;
      })}
      ${[...this.modes.entries()].map(
        ([mode, colour], i) => svg`<rect x=${label + i * 130} y=${ids.length * rowH + 8} width="12" height="12" fill=${colour} />
          <text x=${label + i * 130 + 16} y=${ids.length * rowH + 18}>${droneModeText(mode)}</text>`,
      )}
      <rect x=${label + this.modes.size * 130} y=${ids.length * rowH + 8} width="12" height="12" fill="#1e9646" />
      <text x=${label + this.modes.size * 130 + 16} y=${ids.length * rowH + 18}>${t('op.pumpOn')}</text>
    </svg>`;
  }
}
customElements.define('sortie-timeline', SortieTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'sortie-timeline': SortieTimeline;
  }
}
