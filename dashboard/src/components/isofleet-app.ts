import { LitElement, css, html, nothing } from 'lit';
import { roleText } from '../i18n/enums.js';
import { I18nController, t } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { loadScreen, parseRoute, type Route } from '../router.js';
import { sharedStyles } from './shared-styles.js';
import { api } from '../api/client.js';
import { session } from '../api/session.js';
import './language-switch.js';
import './theme-switch.js';
import './login-screen.js';

/**
 * The app shell: top bar with the screens, the connection state, who is signed in and the
 * outdoor-contrast and language switches; shows the screen the hash names, or the sign-in form until someone signs in. The kiosk route (`#/kiosk/robot-1`) shows only the locked
 * loading screen and the language switch.
 */
export class IsofleetApp extends LitElement {
  static override properties = { route: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; background: var(--bg); }
      header { display: flex; align-items: center; gap: 8px; padding: 6px 10px; background: var(--isofleet-header, #0b2545); color: #fff; flex-wrap: wrap; }
      header h1 { font-size: 20px; margin: 0 12px 0 4px; letter-spacing: 0.5px; }
      nav { display: flex; gap: 6px; flex-wrap: wrap; }
      nav a { color: #fff; text-decoration: none; font-weight: 700; padding: 12px 16px; border-radius: 10px; min-height: 60px; box-sizing: border-box; display: inline-flex; align-items: center; }
      nav a[aria-current='page'] { background: #fff; color: var(--isofleet-header, #0b2545); }
      .spacer { flex: 1; }
      .conn { font-weight: 700; padding: 4px 10px; border-radius: 999px; }
      .conn.live { background: #0b5a26; }
      .conn.connecting { background: #5c4800; }
      .conn.lost { background: #8e0f1c; }
      .conn.signedOut { background: #3b4a5c; }
      main { flex: 1; padding: 10px; min-height: 0; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['connection']);
  declare private route: Route;
  private readonly onHash = () => {
    this.route = parseRoute(location);
    void loadScreen(this.route.screen);
  };

  constructor() {
    super();
    this.route = parseRoute(location);
  }

  private stopSession?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.stopSession = session.onChange(() => this.requestUpdate());
    void loadScreen(this.route.screen);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    this.stopSession?.();
    super.disconnectedCallback();
  }

  private async signOut(): Promise<void> {
    await api.logout();
    session.clear();
  }

  override render() {
    const route = this.route;
    // The benchmark page draws synthetic data and needs no server, so no sign-in either.
    const signedIn = route.screen === 'bench' || session.token() !== null;
    const user = session.user();
    const conn = this.live.store.connection;
    const connText = { live: t('conn.live'), lost: t('conn.lost'), connecting: t('conn.connecting'), signedOut: t('conn.signedOut') }[conn];
    const link = (screen: Route['screen'], label: string) => html`<a href="#/${screen}" data-testid="nav-${screen}" aria-current=${route.screen === screen ? 'page' : nothing}>${label}</a>`;
    return html`
      <header>
        <h1>${t('app.title')}</h1>
        ${
          route.screen === 'kiosk'
            ? html`<strong data-testid="kiosk-title">${t('medic.kiosk', { robot: route.robot })}</strong>`
            : html`<nav>${link('medic', t('nav.medic'))}${link('fleet', t('nav.fleet'))}${link('operator', t('nav.operator'))}${link('dev', t('nav.dev'))}${
                user?.role === 'admin' ? link('admin', t('nav.admin')) : nothing
              }</nav>`
        }
        <span class="spacer"></span>
        <span class="conn ${conn}" data-testid="connection" role="status">${connText}</span>
        ${user ? html`<span data-testid="signed-in-as">${t('login.as', { user: user.username, role: roleText(user.role) })}</span><button data-testid="sign-out" @click=${this.signOut}>${t('login.signOut')}</button>` : nothing}
        <theme-switch></theme-switch>
        <language-switch></language-switch>
      </header>
      <main>${signedIn ? this.screen(route) : html`<login-screen></login-screen>`}</main>
    `;
  }

  private screen(route: Route) {
    switch (route.screen) {
      case 'medic':
        return html`<medic-screen></medic-screen>`;
      case 'kiosk':
        return html`<medic-screen .lockedRobot=${route.robot}></medic-screen>`;
      case 'fleet':
        return html`<fleet-view></fleet-view>`;
      case 'operator':
        return html`<operator-view></operator-view>`;
      case 'dev':
        return html`<dev-panel></dev-panel>`;
      case 'admin':
        return html`<admin-screen></admin-screen>`;
      case 'bench':
        return html`<bench-page .params=${route.params}></bench-page>`;
    }
  }
}
customElements.define('isofleet-app', IsofleetApp);

declare global {
  interface HTMLElementTagNameMap {
    'isofleet-app': IsofleetApp;
  }
}
