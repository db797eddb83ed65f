import { LitElement, css, html, nothing } from 'lit';
import type { SiteEntry } from '../../../protocol/index.js';
import { sitePath } from '../../../protocol/site-path.js';
import { api } from '../api/client.js';
import { timeText } from '../i18n/format.js';
import { I18nController, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * Where a site's dashboard opens: the address its controller gave (`ISOFLEET_PUBLIC_URL`), else
 * its path on this host (`/sites/{site}/`), as a reverse proxy in front of the sites serves it.
 */
const siteLink = (site: SiteEntry): string => site.address ?? `${sitePath(site.site)}/`;

/** Real ms between reloads of the list, as often as the controllers report. */
const RELOAD_MS = 10_000;

/**
 * The admin's list of the district's sites (`GET /api/sites`): each site's fleet at a glance and
 * a link to its own controller's dashboard, where the work of that site is done.
 */
export class SiteList extends LitElement {
  static override properties = { sites: { state: true }, loadError: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      td.number { text-align: right; font-variant-numeric: tabular-nums; }
      tr.stale td { opacity: 0.6; }
      a.open { display: inline-flex; align-items: center; min-height: 60px; }
    `,
  ];

  private readonly i18n = new I18nController(this);
  declare private sites?: SiteEntry[];
  declare private loadError?: string;
  private timer?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => void this.load(), RELOAD_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    const result = await api.sites();
    if (result.ok) {
      this.sites = result.value;
      this.loadError = undefined;
    } else this.loadError = result.message;
  }

  override render() {
    return html`<h2>${t('sites.title')}</h2>
      <p class="muted">${t('sites.help')}</p>
      ${this.loadError ? html`<p class="error" role="alert">${t('common.error', { message: this.loadError })}</p>` : nothing}
      ${this.sites ? this.renderTable(this.sites) : html`<p>${t('common.loading')}</p>`}`;
  }

  private renderTable(sites: SiteEntry[]) {
    return html`<table data-testid="site-list">
      <thead><tr><th>${t('sites.site')}</th><th>${t('sites.robots')}</th><th>${t('sites.drones')}</th><th>${t('sites.trips')}</th><th>${t('sites.alerts')}</th><th>${t('sites.reported')}</th><th></th></tr></thead>
      <tbody>
        ${sites.map(
          (site) => html`<tr class=${site.current ? '' : 'stale'} data-site=${site.site}>
            <td>${site.site}${site.own ? html` <span class="muted">(${t('sites.this')})</span>` : nothing}</td>
            <td class="number">${site.health.robotsOnline} / ${site.health.robots}</td>
            <td class="number">${site.health.dronesOnline} / ${site.health.drones}</td>
            <td class="number">${site.health.tripsUnderWay}</td>
            <td class="number">${site.health.openAlerts}</td>
            <td>${site.current ? timeText(site.reportedAt) : t('sites.stale', { time: timeText(site.reportedAt) })}</td>
            <td><a class="open" href=${siteLink(site)} data-testid="open-site">${t('sites.open')}</a></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
customElements.define('site-list', SiteList);

declare global {
  interface HTMLElementTagNameMap {
    'site-list': SiteList;
  }
}
