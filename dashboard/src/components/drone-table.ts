import { LitElement, css, html, nothing } from 'lit';
import type { Mission } from '../api/types.js';
import { droneModeText, droneRunText } from '../i18n/enums.js';
import { I18nController, t } from '../i18n/i18n.js';
import { LiveController } from '../live/live-controller.js';
import { colourOf } from '../live/site.js';
import { pausedMark } from './paused-mark.js';
import { sharedStyles } from './shared-styles.js';
import { batteryTone } from './status.js';

/**
 * The live drones as the operator needs them: name in its map colour, battery, tank, mode (a
 * paused drone with the pause shape) and, for the drones of `mission`, their part in it and
 * their sortie.
 */
export class DroneTable extends LitElement {
  static override properties = { mission: { attribute: false } };
  static override styles = [
    sharedStyles,
    css`
      .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; border: 2px solid; vertical-align: -2px; }
      .run { font-size: 15px; }
    `,
  ];

  declare mission: Mission | undefined;
  private readonly i18n = new I18nController(this);
  private readonly live = new LiveController(this, ['drones']);

  override render() {
    const drones = this.live.store.drones;
    if (!drones.length) return html`<p class="muted">${t('fleet.noDrones')}</p>`;
    const runs = new Map(this.mission?.drones.map((run) => [run.id, run.state]));
    return html`<table data-testid="drones">
      <thead><tr><th>${t('drone.name')}</th><th>${t('drone.battery')}</th><th>${t('drone.tank')}</th><th>${t('drone.mode')}</th></tr></thead>
      <tbody>${drones.map(
        (d) => html`<tr data-drone=${d.id}>
          <td><span class="swatch" style="background:${colourOf(d.id)};border-color:${colourOf(d.id)}"></span><b class="nowrap">${d.id}</b> ${d.online ? '' : html`<span class="chip bad">✕ ${t('robot.offlineShort')}</span>`}</td>
          <td><span class="chip ${batteryTone(d.batteryPct)}">${Math.round(d.batteryPct)} %</span></td>
          <td class="nowrap">${d.tankL.toFixed(1)} L</td>
          <td data-mode=${d.mode}>${d.mode === 'paused' ? pausedMark : nothing}${droneModeText(d.mode)}${d.pumpOn ? ' 💧' : ''}${
            runs.has(d.id)
              ? html`<div class="muted run" data-run=${runs.get(d.id)!} title=${t('drone.run')}>${droneRunText(runs.get(d.id)!)}${d.sortie === null ? '' : ` · ${t('drone.sortie')} ${d.sortie + 1}`}</div>`
              : nothing
          }</td>
        </tr>`,
      )}</tbody>
    </table>`;
  }
}

customElements.define('drone-table', DroneTable);

declare global {
  interface HTMLElementTagNameMap {
    'drone-table': DroneTable;
  }
}
