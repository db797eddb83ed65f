import { LitElement, css, html, nothing } from 'lit';
import { api } from '../api/client.js';
import { session } from '../api/session.js';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * The sign-in form every screen shows until someone signs in (and again when the session ends).
 * Large fields and one button: it is typed once per shift, often in gloves.
 *
 * @fires signed-in - after a successful sign-in (the session holds the token).
 */
export class LoginScreen extends LitElement {
  static override properties = { error: { state: true }, busy: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      form { max-width: 420px; margin: 48px auto; background: var(--paper); padding: 24px; border-radius: 14px; display: grid; gap: 14px; }
      h2 { margin: 0; }
      label { display: grid; gap: 6px; font-weight: 600; }
      input { font: inherit; font-size: 20px; min-height: 60px; padding: 6px 12px; border: 2px solid var(--ink); border-radius: 10px; }
      .error { color: var(--bad); background: var(--bad-bg); padding: 8px 12px; border-radius: 8px; font-weight: 600; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  declare private error?: string;
  declare private busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  override render() {
    return html`
      <form @submit=${this.submit} data-testid="login-form">
        <h2>${t('login.title')}</h2>
        ${session.ended() ? html`<p class="note" role="status" data-testid="session-ended">${t('login.sessionEnded')}</p>` : nothing}
        <label>${t('login.username')}<input name="username" autocomplete="username" required data-testid="login-username" /></label>
        <label>${t('login.password')}<input name="password" type="password" autocomplete="current-password" required data-testid="login-password" /></label>
        ${this.error ? html`<div class="error" role="alert" data-testid="login-error">${t('login.failed', { message: this.error })}</div>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy} data-testid="login-submit">${t('login.submit')}</button>
      </form>
    `;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    const result = await api.login(String(form.get('username')), String(form.get('password')));
    this.busy = false;
    if (result.ok) {
      this.error = undefined;
      session.signIn(result.value.token, { username: result.value.username, role: result.value.role });
      this.dispatchEvent(new CustomEvent('signed-in', { bubbles: true, composed: true }));
    } else {
      this.error = result.message;
    }
  }
}
customElements.define('login-screen', LoginScreen);

declare global {
  interface HTMLElementTagNameMap {
    'login-screen': LoginScreen;
  }
}
