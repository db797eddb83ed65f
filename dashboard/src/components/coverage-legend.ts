import { LitElement, css, html } from 'lit';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { doseCss, type DoseClass } from '../map/coverage-scale.js';

const ROWS: [DoseClass, MessageKey][] = [
  ['onTarget', 'cov.onTarget'],
  ['under', 'cov.under'],
  ['over', 'cov.over'],
  ['missed', 'cov.missed'],
];

/**
 * The coverage heat map's key: one swatch per dose class in the map's own colours (the missed
 * swatch hatched as on the map), and the area missed so far. Sits over the map's corner, so it
 * is read with the picture it explains.
 */
export class CoverageLegend extends LitElement {
  static override properties = { missedM2: { type: Number, attribute: false } };
  static override styles = css`
    :host { display: block; background: var(--paper, #fff); color: var(--ink, #0d1117); border: 2px solid var(--ink, #0d1117); border-radius: 8px; padding: 6px 10px; font: 600 13px/1.3 system-ui, 'Noto Sans CJK SC', sans-serif; max-width: 260px; }
    b { display: block; margin-bottom: 2px; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 6px; }
    .swatch { flex: none; width: 18px; height: 14px; border: 1px solid var(--ink, #0d1117); }
    .missed { background-image: repeating-linear-gradient(135deg, transparent 0 3px, #fff 3px 6px); }
    .area { margin-top: 4px; }
    /* On a phone the map is ~360 px wide: a smaller key leaves most of it in view. */
    @media (max-width: 600px) { :host { font-size: 11px; max-width: 190px; padding: 3px 6px; } .swatch { width: 14px; height: 11px; } }
  `;

  declare missedM2: number;
  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.missedM2 = 0;
  }

  override render() {
    const area = this.missedM2 >= 10_000 ? `${(this.missedM2 / 10_000).toFixed(2)} ha` : `${Math.round(this.missedM2)} m²`;
    return html`<b>${t('cov.legend')}</b>
      <ul>${ROWS.map(([c, key]) => html`<li data-class=${c}><span class="swatch ${c}" style="background-color:${doseCss(c)}"></span>${t(key)}</li>`)}</ul>
      <div class="area" data-testid="missed-area" data-m2=${Math.round(this.missedM2)}>${t('cov.missedArea', { area })}</div>`;
  }
}

customElements.define('coverage-legend', CoverageLegend);

declare global {
  interface HTMLElementTagNameMap {
    'coverage-legend': CoverageLegend;
  }
}
