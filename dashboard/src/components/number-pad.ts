import { LitElement, css, html, nothing } from 'lit';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/** What goes on a tray; `none` sends no item. */
export type TrayItem = 'meal' | 'medicine' | 'none';

/**
 * A big number pad for a room number (keys ~72 px, for gloved hands), the recent rooms one
 * tap away, and meal / medicine. Checks the room against `rooms` before it lets it go.
 *
 * @fires room-chosen - detail `{room: string, item: TrayItem}` when the medic taps OK or a recent room.
 * @fires pad-cancel - when the medic closes the pad.
 */
export class NumberPad extends LitElement {
  static override properties = {
    heading: { type: String },
    rooms: { attribute: false },
    recent: { attribute: false },
    value: { type: String },
    item: { type: String },
    showItem: { type: Boolean, attribute: 'show-item' },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .display { font-size: 44px; font-weight: 800; letter-spacing: 4px; min-height: 64px; padding: 4px 14px; border: 3px solid var(--ink); border-radius: 12px; background: #fff; display: flex; align-items: center; }
      .display .placeholder { color: var(--muted); font-size: 22px; letter-spacing: 0; font-weight: 600; }
      .keys { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 10px 0; }
      .keys button { min-height: 72px; font-size: 32px; }
      .recent { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0 10px; }
      .recent button { min-height: 60px; font-size: 22px; }
      .items { display: flex; gap: 8px; margin-bottom: 10px; }
      .items button { flex: 1; min-height: 60px; }
      .actions { display: flex; gap: 10px; }
      .actions button { flex: 1; min-height: 64px; font-size: 22px; }
    `,
  ];

  declare heading: string;
  declare rooms: ReadonlySet<string> | undefined;
  declare recent: string[];
  declare value: string;
  declare item: TrayItem;
  declare showItem: boolean;
  declare private error: string;
  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.error = '';
    this.heading = '';
    this.recent = [];
    this.value = '';
    this.item = 'meal';
    this.showItem = true;
  }

  override render() {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    return html`
      <h2>${this.heading}</h2>
      <div class="display" data-testid="pad-display" aria-live="polite">
        ${this.value || html`<span class="placeholder">${t('medic.trayEmpty')}</span>`}
      </div>
      ${this.error ? html`<div class="error" role="alert" data-testid="pad-error">${this.error}</div>` : nothing}
      ${
        this.recent.length
          ? html`<div class="muted">${t('medic.recent')}</div>
            <div class="recent">${this.recent.map((room) => html`<button data-testid="recent-${room}" @click=${() => this.choose(room)}>${room}</button>`)}</div>`
          : nothing
      }
      ${
        this.showItem
          ? html`<div class="items">
            ${(['meal', 'medicine', 'none'] as const).map(
              (item) => html`<button aria-pressed=${this.item === item} data-testid="item-${item}" @click=${() => {
                this.item = item;
              }}>
                ${t(item === 'meal' ? 'medic.item.meal' : item === 'medicine' ? 'medic.item.medicine' : 'medic.item.none')}
              </button>`,
            )}
          </div>`
          : nothing
      }
      <div class="keys">
        ${keys.map((k) => html`<button data-testid="key-${k}" @click=${() => this.press(k)}>${k}</button>`)}
        <button data-testid="key-clear" @click=${() => this.set('')}>${t('medic.clear')}</button>
        <button data-testid="key-0" @click=${() => this.press('0')}>0</button>
        <button data-testid="key-back" aria-label=${t('medic.delete')} @click=${() => this.set(this.value.slice(0, -1))}>⌫</button>
      </div>
      <div class="actions">
        <button @click=${() => this.dispatchEvent(new CustomEvent('pad-cancel', { bubbles: true, composed: true }))}>${t('common.cancel')}</button>
        <button class="primary" data-testid="pad-ok" ?disabled=${!this.value} @click=${() => this.choose(this.value)}>${t('medic.ok')}</button>
      </div>
    `;
  }

  private press(key: string): void {
    if (this.value.length < 6) this.set(this.value + key);
  }

  private set(value: string): void {
    this.value = value;
    this.error = '';
  }

  private choose(room: string): void {
    if (this.rooms && !this.rooms.has(room)) {
      this.error = t('medic.unknownRoom', { room });
      return;
    }
    this.dispatchEvent(new CustomEvent('room-chosen', { detail: { room, item: this.item }, bubbles: true, composed: true }));
    this.value = '';
  }
}
customElements.define('number-pad', NumberPad);

declare global {
  interface HTMLElementTagNameMap {
    'number-pad': NumberPad;
  }
}
