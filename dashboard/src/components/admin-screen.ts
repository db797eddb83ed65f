import { LitElement, css, html } from 'lit';
import { session } from '../api/session.js';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';
import './device-admin.js';
import './site-list.js';
import './site-settings.js';
import './user-admin.js';

/**
 * The admin's screen: users beside devices, the district's sites, the site's settings. Anyone else who opens `#/admin` is told it is the
 * admin's; the server refuses them the calls anyway, this only spares them a screen of errors.
 */
export class AdminScreen extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: 10px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); align-items: start; }
    `,
  ];

  private readonly i18n = new I18nController(this);

  override render() {
    if (session.user()?.role !== 'admin') return html`<p class="note" data-testid="admin-only">${t('admin.only')}</p>`;
    return html`
      <section class="panel"><user-admin></user-admin></section>
      <section class="panel"><device-admin></device-admin></section>
      <section class="panel"><site-list></site-list></section>
      <section class="panel"><site-settings></site-settings></section>
    `;
  }
}
customElements.define('admin-screen', AdminScreen);

declare global {
  interface HTMLElementTagNameMap {
    'admin-screen': AdminScreen;
  }
}
