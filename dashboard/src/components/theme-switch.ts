import { LitElement, css, html } from 'lit';
import { I18nController, t } from '../i18n/i18n.js';
import { onThemeChange, setTheme, theme } from '../theme.js';
import { sharedStyles } from './shared-styles.js';

/**
 * The outdoor-contrast button shown on every screen: black ink, bold type and vivid chips for
 * a screen in the sun. A toggle (`aria-pressed`), kept by this browser.
 *
 * @fires theme-change - detail `{theme}` after a switch.
 */
export class ThemeSwitch extends LitElement {
  // Pressed, the button is ink on the header's ink: a white edge keeps it a button.
  static override properties = { current: { state: true } };
  static override styles = [sharedStyles, css`button[aria-pressed='true'] { border-color: #fff; }`];
  private readonly i18n = new I18nController(this);
  private off?: () => void;
  /** The theme shown, kept equal to the page's (another switch or tab may change it). */
  declare private current: ReturnType<typeof theme>;

  constructor() {
    super();
    this.current = theme();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.current = theme();
    this.off = onThemeChange(() => (this.current = theme()));
  }

  override disconnectedCallback(): void {
    this.off?.();
    super.disconnectedCallback();
  }

  override render() {
    return html`<button data-testid="theme-switch" aria-pressed=${this.current === 'outdoor'} aria-label=${t('theme.outdoor')} title=${t('theme.outdoor')} @click=${this.toggle}>☀ ${t('theme.short')}</button>`;
  }

  private toggle(): void {
    const next = theme() === 'outdoor' ? 'standard' : 'outdoor';
    setTheme(next);
    this.dispatchEvent(new CustomEvent('theme-change', { detail: { theme: next }, bubbles: true, composed: true }));
  }
}
customElements.define('theme-switch', ThemeSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'theme-switch': ThemeSwitch;
  }
}
