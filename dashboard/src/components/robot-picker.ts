import { LitElement, css, html } from 'lit';
import type { RobotSummary, Site, TripView } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { robotNumber } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';
import { batteryTone, robotTone } from './status.js';
import { naturalOrder } from '../../../common/natural-order.js';

/** True when the robot can take a new trip: online and no trip planned or running. */
export function isFree(robot: RobotSummary, trips: Iterable<TripView>): boolean {
  if (!robot.online) return false;
  for (const trip of trips) if (trip.robot === robot.id && (trip.status === 'planned' || trip.status === 'running')) return false;
  return true;
}

/**
 * Big buttons, one per robot, those at the loading station first; busy and offline robots
 * are shown but cannot be chosen.
 *
 * @fires robot-select - detail `{robot: string}` when a robot is tapped.
 */
export class RobotPicker extends LitElement {
  static override properties = {
    selected: { type: String },
    site: { attribute: false },
  };
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .robots { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
      button { min-height: 84px; text-align: left; display: flex; flex-direction: column; align-items: flex-start; gap: 4px; padding: 8px 12px; }
      button .name { font-size: 22px; }
      button .line { display: flex; gap: 4px; flex-wrap: wrap; font-weight: 600; }
      button[aria-pressed='true'] .chip { background: #fff; color: var(--ink); }
      /* A long chip ('Battery not known') wraps inside the 150 px card rather than sticking out of it. */
      button .chip { white-space: normal; }
    `,
  ];

  declare selected: string | undefined;
  declare site: Site | undefined;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['fleet', 'trips']);

  override render() {
    const store = this.live.store;
    const loading = new Set(this.site?.nodes.filter((n) => n.kind === 'loading').map((n) => n.id));
    const robots = [...store.robots].sort(
      (a, b) =>
        Number(loading.has(b.node ?? '')) - Number(loading.has(a.node ?? '')) ||
        Number(isFree(b, store.trips.values())) - Number(isFree(a, store.trips.values())) ||
        naturalOrder(a.id, b.id),
    );
    if (!robots.length) return html`<p class="muted">${t('medic.noRobots')}</p>`;
    return html`<div class="robots" role="group" aria-label=${t('medic.chooseRobot')}>
      ${robots.map((robot) => {
        const free = isFree(robot, store.trips.values());
        const [tone, symbol] = robotTone[robot.state];
        const atStation = loading.has(robot.node ?? '');
        return html`<button
          data-testid="robot-${robot.id}"
          aria-pressed=${this.selected === robot.id}
          ?disabled=${!free}
          @click=${() => this.dispatchEvent(new CustomEvent('robot-select', { detail: { robot: robot.id }, bubbles: true, composed: true }))}
        >
          <span class="name">${t('robot.name', { n: robotNumber(robot.id) })}</span>
          <span class="line">
            <span class="chip ${tone}">${symbol} ${t(`robot.state.${robot.state}` as MessageKey)}</span>
            <span class="chip ${batteryTone(robot.battery)}">${robot.battery == null ? t('robot.batteryUnknown') : `${Math.round(robot.battery)}%`}</span>
          </span>
          <span class="line">${atStation ? html`<span class="chip ok">${t('robot.atStation')}</span>` : free ? '' : html`<span class="chip info">${t('robot.busy')}</span>`}</span>
        </button>`;
      })}
    </div>`;
  }
}
customElements.define('robot-picker', RobotPicker);

declare global {
  interface HTMLElementTagNameMap {
    'robot-picker': RobotPicker;
  }
}
