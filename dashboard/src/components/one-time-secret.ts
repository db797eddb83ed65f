import { LitElement, css, html, nothing } from 'lit';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * A new device's MQTT login, shown the one time the server tells it: user name, password, a
 * copy button, and plainly that it will not be shown again. It stays until the admin says it
 * is stored; the password lives only in this element's property.
 *
 * @fires secret-dismissed - when the admin says the password is stored.
 */
export class OneTimeSecret extends LitElement {
  static override properties = {
    heading: { type: String },
    username: { type: String },
    password: { type: String },
    copied: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .box { border: 4px solid var(--warn); background: var(--warn-bg); border-radius: 12px; padding: 14px; display: grid; gap: 10px; }
      h3 { margin: 0; font-size: 20px; }
      dl { display: grid; gap: 6px; margin: 0; }
      dt { font-weight: 600; }
      dd { margin: 0 0 6px; display: flex; gap: 8px; }
      input { flex: 1; font: 18px/1.2 ui-monospace, monospace; min-height: 60px; padding: 0 10px; border: 2px solid var(--ink); border-radius: 10px; background: #fff; min-width: 0; }
      .once { font-weight: 800; color: var(--warn); margin: 0; }
      button { min-height: 60px; }
    `,
  ];

  declare heading: string;
  declare username: string;
  declare password: string;
  private readonly i18n = new I18nController(this);
  declare private copied?: 'ok' | 'failed';

  constructor() {
    super();
    this.heading = '';
    this.username = '';
    this.password = '';
  }

  override render() {
    // A region, not an alert: a screen reader announcing it would read the password out in the room.
    return html`<div class="box" role="region" aria-labelledby="secret-heading" data-testid="one-time-secret">
      <h3 id="secret-heading">${this.heading}</h3>
      <dl>
        <dt>${t('secret.username')}</dt>
        <dd><input readonly .value=${this.username} data-testid="secret-username" /></dd>
        <dt>${t('secret.password')}</dt>
        <dd>
          <input readonly .value=${this.password} data-testid="secret-password" @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          <button class="primary" data-testid="secret-copy" @click=${this.copy}>${this.copied === 'ok' ? t('secret.copied') : t('secret.copy')}</button>
        </dd>
      </dl>
      ${this.copied === 'failed' ? html`<p class="error" data-testid="secret-copy-failed">${t('secret.copyFailed')}</p>` : nothing}
      <p class="once">${t('secret.once')}</p>
      <button data-testid="secret-done" @click=${this.dismiss}>${t('secret.done')}</button>
    </div>`;
  }

  private async copy(): Promise<void> {
    this.copied = (await copyText(this.password, this.renderRoot.querySelector<HTMLInputElement>('[data-testid=secret-password]'))) ? 'ok' : 'failed';
  }

  private dismiss(): void {
    this.dispatchEvent(new CustomEvent('secret-dismissed', { bubbles: true, composed: true }));
  }
}

/**
 * Copies `text`. The Clipboard API exists only in a secure context, and the dashboard is often
 * opened over plain http on the site's network: there, select the field and use the older
 * `execCommand('copy')`.
 */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, page not focused): try the older way.
  }
  if (!field) return false;
  field.select();
  return document.execCommand('copy');
}

customElements.define('one-time-secret', OneTimeSecret);

declare global {
  interface HTMLElementTagNameMap {
    'one-time-secret': OneTimeSecret;
  }
}
