import { LitElement, css, html, svg } from 'lit';
import type { TripView } from '../api/types.js';
import { I18nController, t, type MessageKey } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { colourOf, robotNumber } from '../live/site.js';
import { sharedStyles } from './shared-styles.js';
import { naturalOrder } from '../../../common/natural-order.js';

const ROW = 30;
const LABEL = 90;
const STATUS_FILL: Record<TripView['status'], string> = { planned: '#c9ced6', running: '#5d8fd6', done: '#4fae6a', failed: '#d0505c' };

/**
 * Gantt of trips per robot over the last `windowMin` minutes of (simulated) time: one bar per
 * trip from creation to finish, ticks where trays were collected. Times are the server's clock.
 */
export class TripTimeline extends LitElement {
  static override properties = { windowMin: { type: Number, attribute: 'window-min' } };
  static override styles = [sharedStyles, css`:host { display: block; } svg { width: 100%; display: block; } text { font: 12px system-ui, sans-serif; }`];

  declare windowMin: number;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['trips', 'fleet']);

  constructor() {
    super();
    this.windowMin = 60;
  }

  override render() {
    const trips = [...this.live.store.trips.values()];
    if (!trips.length) return html`<p class="muted">${t('timeline.empty')}</p>`;
    let now = 0;
    for (const trip of trips) {
      now = Math.max(now, Date.parse(trip.createdAt), trip.finishedAt ? Date.parse(trip.finishedAt) : 0);
      for (const tray of trip.trays) if (tray.deliveredAt) now = Math.max(now, Date.parse(tray.deliveredAt));
    }
    // Show the trips' own span (at least 10 min), at most `windowMin`.
    let first = now;
    for (const trip of trips) first = Math.min(first, Date.parse(trip.createdAt));
    const span = Math.min(this.windowMin * 60_000, Math.max(10 * 60_000, (now - first) * 1.05));
    const start = now - span;
    const robots = [...new Set([...this.live.store.robots.map((r) => r.id), ...trips.map((trip) => trip.robot)])].sort(naturalOrder);
    const width = 1000;
    const height = robots.length * ROW + 24;
    const x = (ms: number) => LABEL + ((ms - start) / (now - start || 1)) * (width - LABEL - 10);
    const ticks = Array.from({ length: 7 }, (_, i) => start + (i * (now - start)) / 6);
    return html`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label=${t('fleet.timeline')} data-testid="timeline">
      ${ticks.map(
        (ms) => svg`<line x1=${x(ms)} x2=${x(ms)} y1="0" y2=${height - 18} stroke="#dde2e8" />
          <text x=${x(ms)} y=${height - 4} text-anchor="middle" fill="#4a5361">${new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</text>`,
      )}
      ${robots.map((robot, row) => {
        const y = row * ROW + 4;
        return svg`<text x="4" y=${y + ROW / 2} dominant-baseline="middle" fill=${colourOf(robot)} font-weight="700">${t('robot.name', { n: robotNumber(robot) })}</text>
          ${trips
            .filter((trip) => trip.robot === robot && (trip.finishedAt ? Date.parse(trip.finishedAt) : now) >= start)
            .map((trip) => {
              const a = x(Math.max(start, Date.parse(trip.createdAt)));
              const b = x(trip.finishedAt ? Date.parse(trip.finishedAt) : now);
              return svg`<g data-trip=${trip.id}><title>${trip.id}: ${t(`trip.status.${trip.status}` as MessageKey)} · ${trip.visits.join(', ')}</title>
                <rect x=${a} y=${y} width=${Math.max(2, b - a)} height=${ROW - 8} rx="4" fill=${STATUS_FILL[trip.status]} />
                ${trip.trays
                  .filter((tray) => tray.deliveredAt)
                  .map((tray) => svg`<line x1=${x(Date.parse(tray.deliveredAt!))} x2=${x(Date.parse(tray.deliveredAt!))} y1=${y} y2=${y + ROW - 8} stroke="#0b2545" stroke-width="2" />`)}
                ${b - a > 60 ? svg`<text x=${a + 4} y=${y + (ROW - 8) / 2} dominant-baseline="middle" fill="#0d1117">${trip.visits.join(' ')}</text>` : ''}
              </g>`;
            })}`;
      })}
    </svg>`;
  }
}
customElements.define('trip-timeline', TripTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'trip-timeline': TripTimeline;
  }
}
