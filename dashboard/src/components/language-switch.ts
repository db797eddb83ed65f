import { LitElement, html } from 'lit';
import { I18nController, language, setLanguage, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * The language button shown on every screen: switches this screen between English and Chinese
 * (remembered by this browser). The robots' announcement language is not changed by it.
 *
 * @fires language-change - detail `{language}` after a switch.
 */
export class LanguageSwitch extends LitElement {
  static override styles = sharedStyles;
  private readonly i18n = new I18nController(this);

  override render() {
    return html`<button data-testid="language-switch" aria-label=${t('lang.label')} @click=${this.toggle}>${t('lang.switch')}</button>`;
  }

  private toggle(): void {
    const next = language() === 'en' ? 'zh' : 'en';
    // This screen only (kept in localStorage): what the robots announce is the site's setting, on the admin screen.
    setLanguage(next);
    this.dispatchEvent(new CustomEvent('language-change', { detail: { language: next }, bubbles: true, composed: true }));
  }
}
customElements.define('language-switch', LanguageSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'language-switch': LanguageSwitch;
  }
}
