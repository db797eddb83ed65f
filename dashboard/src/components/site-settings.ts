import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { I18nController, t, type Language } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * The site's settings an admin keeps: the language every robot announces in at the doors. It is
 * not the screen's language (each tablet switches its own): a medic reading Chinese may serve
 * residents who are told in English.
 *
 * @fires announcement-language - detail `{language}` after the server saved it.
 */
export class SiteSettings extends LitElement {
  static override properties = { language: { state: true }, message: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .row { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0; }
      .row button { min-width: 120px; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  declare private language?: Language;
  declare private message?: { kind: 'success' | 'error'; text: string };

  override connectedCallback(): void {
    super.connectedCallback();
    void api.settings().then((r) => {
      if (r.ok) this.language = r.value.language;
    });
  }

  override render() {
    return html`<h2>${t('settings.title')}</h2>
      <p>${t('settings.announcementHelp')}</p>
      <div class="row" role="group" aria-label=${t('settings.announcement')}>
        ${(['zh', 'en'] as const).map(
          (language) => html`<button data-testid="announce-${language}" aria-pressed=${this.language === language} @click=${() => void this.set(language)}>
            ${t(language === 'zh' ? 'settings.zh' : 'settings.en')}</button>`,
        )}
      </div>
      ${this.message ? html`<div class=${this.message.kind} role="status" data-testid="settings-message">${this.message.text}</div>` : nothing}`;
  }

  private async set(language: Language): Promise<void> {
    const result = await api.setLanguage(language);
    if (result.ok) {
      this.language = language;
      this.message = { kind: 'success', text: t('settings.saved') };
      this.dispatchEvent(new CustomEvent('announcement-language', { detail: { language }, bubbles: true, composed: true }));
    } else this.message = { kind: 'error', text: t('common.error', { message: result.message }) };
  }
}
customElements.define('site-settings', SiteSettings);

declare global {
  interface HTMLElementTagNameMap {
    'site-settings': SiteSettings;
  }
}
