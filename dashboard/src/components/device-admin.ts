import { html, nothing } from 'lit';
import { api } from '../api/client.js';
import { formProblems, type FormProblems } from '../api/form-problems.js';
import type { Device, DeviceKind, ProvisionedDevice } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { AdminPanel, fieldProblem } from './admin-form.js';
import './one-time-secret.js';
import { naturalOrder } from '../../../common/natural-order.js';

// As the roles in user-admin.ts: typed from the protocol's DeviceKind without bringing zod to the browser.
const KINDS = Object.keys({ robot: true, drone: true, doorSensor: true } satisfies Record<DeviceKind, true>) as DeviceKind[];
const DEVICE_FIELDS = ['kind', 'id'] as const;
type DeviceField = (typeof DEVICE_FIELDS)[number];

/**
 * The admin's devices (robots and drones that log in to the broker): the list
 * (`GET /api/devices`), provisioning one, whose MQTT password is shown this once in place of
 * the form until the admin says it is stored, and removing one after asking again in its row.
 */
export class DeviceAdmin extends AdminPanel {
  static override properties = {
    devices: { state: true },
    loadError: { state: true },
    kind: { state: true },
    problems: { state: true },
    provisioned: { state: true },
    removing: { state: true },
    notice: { state: true },
  };
  declare private devices?: Device[];
  declare private loadError?: string;
  declare private kind: DeviceKind;
  declare private problems: FormProblems<DeviceField>;
  declare private provisioned?: ProvisionedDevice;
  declare private removing?: { id: string; problem?: string };
  declare private notice?: string;

  constructor() {
    super();
    this.kind = 'robot';
    this.problems = { fields: {} };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  override disconnectedCallback(): void {
    // Leaving the screen forgets the password: it is not to be found again later on this page.
    this.provisioned = undefined;
    super.disconnectedCallback();
  }

  private async refresh(): Promise<void> {
    const result = await api.devices();
    if (result.ok) {
      this.devices = [...result.value].sort((a, b) => naturalOrder(a.id, b.id));
      this.loadError = undefined;
    } else this.loadError = result.message;
  }

  override render() {
    return html`
      <h2>${t('admin.devices')}</h2>
      ${this.notice ? html`<p class="success" role="status" data-testid="devices-notice">${this.notice}</p>` : nothing}
      ${this.loadError ? html`<p class="error" role="alert">${t('common.error', { message: this.loadError })}</p>` : nothing}
      ${this.devices ? this.renderTable(this.devices) : html`<p>${t('common.loading')}</p>`}
      ${
        this.provisioned
          ? html`<one-time-secret .heading=${t('secret.title', { id: this.provisioned.id })} .username=${this.provisioned.username}
            .password=${this.provisioned.password} @secret-dismissed=${() => {
              this.provisioned = undefined;
            }}></one-time-secret>`
          : this.renderProvisionForm()
      }
    `;
  }

  private renderTable(devices: Device[]) {
    if (!devices.length) return html`<p class="muted" data-testid="no-devices">${t('admin.noDevices')}</p>`;
    return html`<table data-testid="device-table">
      <thead><tr><th>${t('admin.deviceId')}</th><th>${t('admin.kind')}</th><th>${t('admin.created')}</th><th></th></tr></thead>
      <tbody>
        ${devices.map(
          (device) => html`<tr data-testid="device-row" data-device=${device.id} class=${this.removing?.id === device.id ? 'pending' : ''}>
              <td><b>${device.id}</b></td>
              <td>${t(`admin.kind.${device.kind}`)}</td>
              <td class="nowrap">${this.day(device.createdAt)}</td>
              <td><div class="row-actions">
                <button class="danger" data-testid="device-remove" @click=${() => {
                  this.removing = { id: device.id };
                  this.notice = undefined;
                }}>
                  ${t('admin.remove')}</button>
              </div></td>
            </tr>
            ${this.removing?.id === device.id ? this.renderRemoving(this.removing) : nothing}`,
        )}
      </tbody>
    </table>`;
  }

  private renderRemoving(removing: { id: string; problem?: string }) {
    return html`<tr class="pending" data-testid="pending-row"><td colspan="4">
      <p><b>${t('admin.confirmRemove', { id: removing.id })}</b></p>
      ${removing.problem ? html`<p class="error" role="alert" data-testid="pending-error">${removing.problem}</p>` : nothing}
      <div class="choices">
        <button class="danger" data-testid="confirm-remove" ?disabled=${this.busy} @click=${() => void this.removeDevice(removing.id)}>${t('admin.remove')}</button>
        <button data-testid="pending-cancel" @click=${() => {
          this.removing = undefined;
        }}>${t('common.cancel')}</button>
      </div>
    </td></tr>`;
  }

  private renderProvisionForm() {
    const { fields, form } = this.problems;
    return html`<form class="add" data-testid="provision-device" @submit=${this.provision}>
      <h3>${t('admin.provision')}</h3>
      <span id="kind-label"><b>${t('admin.kind')}</b></span>
      <div class="choices" role="group" aria-labelledby="kind-label">
        ${KINDS.map(
          (kind) => html`<button type="button" data-testid="new-device-kind-${kind}" aria-pressed=${this.kind === kind}
            @click=${() => {
              this.kind = kind;
            }}>${t(`admin.kind.${kind}`)}</button>`,
        )}
      </div>
      ${fieldProblem('error-kind', t('admin.kind'), fields.kind)}
      <label for="new-device-id">${t('admin.deviceId')} <span class="hint">${t(`admin.deviceIdHint.${this.kind}`)}</span></label>
      <input id="new-device-id" name="id" autocomplete="off" autocapitalize="none" spellcheck="false" required data-testid="new-device-id"
        aria-invalid=${fields.id ? 'true' : 'false'} @input=${() => this.forgetId()} />
      ${fieldProblem('error-id', t('admin.deviceId'), fields.id)}
      ${form ? html`<p class="error" role="alert" data-testid="provision-error">${form}</p>` : nothing}
      <button class="primary" type="submit" data-testid="new-device-submit" ?disabled=${this.busy}>${t('admin.provision')}</button>
    </form>`;
  }

  /** Once the id is edited, the server's word on the old one no longer applies. */
  private forgetId(): void {
    if (!this.problems.fields.id) return;
    const fields = { ...this.problems.fields };
    delete fields.id;
    this.problems = { ...this.problems, fields };
  }

  private async provision(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const id = String(new FormData(event.target as HTMLFormElement).get('id')).trim();
    const result = await this.run(() => api.provisionDevice({ kind: this.kind, id }));
    if (result.ok) {
      this.problems = { fields: {} };
      this.provisioned = result.value;
      this.notice = undefined;
      void this.refresh();
    } else this.problems = formProblems(result, DEVICE_FIELDS, 'id');
  }

  private async removeDevice(id: string): Promise<void> {
    const result = await this.run(() => api.removeDevice(id));
    if (result.ok) {
      this.removing = undefined;
      this.notice = t('admin.deviceRemoved', { id });
      void this.refresh();
    } else if (this.removing) this.removing = { ...this.removing, problem: result.message };
  }
}
customElements.define('device-admin', DeviceAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'device-admin': DeviceAdmin;
  }
}
