import { html, nothing } from 'lit';
import { api } from '../api/client.js';
import { formProblems, type FormProblems } from '../api/form-problems.js';
import type { Role, User } from '../api/types.js';
import { roleText } from '../i18n/enums.js';
import { t } from '../i18n/i18n.js';
import { AdminPanel, fieldProblem } from './admin-form.js';

// From a Record of the protocol's Role rather than its schema's options: the compiler still
// refuses a role missing or unknown, and the browser is spared zod (~85 kB) for four words.
// Most common first: the admin mostly adds medics.
const ROLE_CHOICES = Object.keys({ medic: true, operator: true, admin: true, viewer: true } satisfies Record<Role, true>) as Role[];
const NEW_USER_FIELDS = ['username', 'password', 'role'] as const;
type NewUserField = (typeof NEW_USER_FIELDS)[number];

/** One row's open action: a new password being typed, or a delete waiting for its confirmation. */
type Pending = { username: string; action: 'reset' | 'delete'; problems?: FormProblems<'password'> };

/**
 * The admin's users: the list (`GET /api/users`), adding one with a role and a password,
 * resetting a password and deleting a user, each asked again in the row before it is done.
 * Every refusal is shown where it happened, under the field the server named.
 */
export class UserAdmin extends AdminPanel {
  static override properties = {
    users: { state: true },
    loadError: { state: true },
    newRole: { state: true },
    showPassword: { state: true },
    problems: { state: true },
    pending: { state: true },
    notice: { state: true },
  };
  declare private users?: User[];
  declare private loadError?: string;
  declare private newRole: Role;
  declare private showPassword: boolean;
  declare private problems: FormProblems<NewUserField>;
  declare private pending?: Pending;
  declare private notice?: string;

  constructor() {
    super();
    this.newRole = 'medic';
    this.showPassword = false;
    this.problems = { fields: {} };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const result = await api.users();
    if (result.ok) {
      this.users = [...result.value].sort((a, b) => a.username.localeCompare(b.username));
      this.loadError = undefined;
    } else this.loadError = result.message;
  }

  override render() {
    return html`
      <h2>${t('admin.users')}</h2>
      ${this.notice ? html`<p class="success" role="status" data-testid="users-notice">${this.notice}</p>` : nothing}
      ${this.loadError ? html`<p class="error" role="alert">${t('common.error', { message: this.loadError })}</p>` : nothing}
      ${this.users ? this.renderTable(this.users) : html`<p>${t('common.loading')}</p>`}
      ${this.renderAddForm()}
    `;
  }

  private renderTable(users: User[]) {
    return html`<table data-testid="user-table">
      <thead><tr><th>${t('login.username')}</th><th>${t('admin.role')}</th><th>${t('admin.created')}</th><th></th></tr></thead>
      <tbody>
        ${users.map(
          (user) => html`<tr data-testid="user-row" data-user=${user.username} class=${this.pending?.username === user.username ? 'pending' : ''}>
              <td><b>${user.username}</b></td>
              <td>${roleText(user.role)}</td>
              <td class="nowrap">${this.day(user.createdAt)}</td>
              <td><div class="row-actions">
                <button data-testid="user-reset" @click=${() => this.open(user.username, 'reset')}>${t('admin.resetPassword')}</button>
                <button class="danger" data-testid="user-delete" @click=${() => this.open(user.username, 'delete')}>${t('admin.delete')}</button>
              </div></td>
            </tr>
            ${this.pending?.username === user.username ? this.renderPending(this.pending) : nothing}`,
        )}
      </tbody>
    </table>`;
  }

  private renderPending(pending: Pending) {
    const cancel = html`<button type="button" data-testid="pending-cancel" @click=${() => this.close()}>${t('common.cancel')}</button>`;
    const problems = pending.problems;
    if (pending.action === 'delete') {
      return html`<tr class="pending" data-testid="pending-row"><td colspan="4">
        <p><b>${t('admin.confirmDelete', { name: pending.username })}</b></p>
        ${problems?.form ? html`<p class="error" role="alert" data-testid="pending-error">${problems.form}</p>` : nothing}
        <div class="choices">
          <button class="danger" data-testid="confirm-delete" ?disabled=${this.busy} @click=${() => void this.deleteUser(pending.username)}>${t('admin.delete')}</button>
          ${cancel}
        </div>
      </td></tr>`;
    }
    return html`<tr class="pending" data-testid="pending-row"><td colspan="4">
      <form @submit=${(e: SubmitEvent) => void this.resetPassword(e, pending.username)}>
        <label for="reset-password">${t('admin.newPasswordFor', { name: pending.username })}</label>
        <input id="reset-password" name="password" type="password" autocomplete="new-password" required data-testid="reset-password"
          aria-invalid=${problems?.fields.password ? 'true' : 'false'} />
        ${fieldProblem('error-reset-password', t('admin.newPassword'), problems?.fields.password)}
        ${problems?.form ? html`<p class="error" role="alert" data-testid="pending-error">${problems.form}</p>` : nothing}
        <div class="choices">
          <button class="primary" type="submit" data-testid="confirm-reset" ?disabled=${this.busy}>${t('admin.save')}</button>
          ${cancel}
        </div>
      </form>
    </td></tr>`;
  }

  private renderAddForm() {
    const { fields, form } = this.problems;
    return html`<form class="add" data-testid="add-user" @submit=${this.addUser}>
      <h3>${t('admin.addUser')}</h3>
      <label for="new-username">${t('login.username')}</label>
      <input id="new-username" name="username" autocomplete="off" autocapitalize="none" spellcheck="false" required data-testid="new-user-username"
        aria-invalid=${fields.username ? 'true' : 'false'} @input=${() => this.forget('username')} />
      ${fieldProblem('error-username', t('login.username'), fields.username)}
      <span id="new-role-label"><b>${t('admin.role')}</b></span>
      <div class="choices" role="group" aria-labelledby="new-role-label">
        ${ROLE_CHOICES.map(
          (role) => html`<button type="button" data-testid="new-user-role-${role}" aria-pressed=${this.newRole === role}
            @click=${() => {
              this.newRole = role;
            }}>${roleText(role)}</button>`,
        )}
      </div>
      ${fieldProblem('error-role', t('admin.role'), fields.role)}
      <label for="new-password">${t('login.password')}</label>
      <div class="with-button">
        <input id="new-password" name="password" type=${this.showPassword ? 'text' : 'password'} autocomplete="new-password" required
          data-testid="new-user-password" aria-invalid=${fields.password ? 'true' : 'false'} @input=${() => this.forget('password')} />
        <button type="button" aria-pressed=${this.showPassword} @click=${() => {
          this.showPassword = !this.showPassword;
        }}>
          ${t('admin.showPassword')}</button>
      </div>
      ${fieldProblem('error-password', t('login.password'), fields.password)}
      ${form ? html`<p class="error" role="alert" data-testid="add-user-error">${form}</p>` : nothing}
      <button class="primary" type="submit" data-testid="new-user-submit" ?disabled=${this.busy}>${t('admin.create')}</button>
    </form>`;
  }

  /** Once a field is edited, the server's word on its old value no longer applies. */
  private forget(field: NewUserField): void {
    if (!this.problems.fields[field]) return;
    const fields = { ...this.problems.fields };
    delete fields[field];
    this.problems = { ...this.problems, fields };
  }

  private open(username: string, action: Pending['action']): void {
    this.pending = { username, action };
    this.notice = undefined;
  }

  private close(): void {
    this.pending = undefined;
  }

  private async addUser(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const data = new FormData(formElement);
    const username = String(data.get('username')).trim();
    const result = await this.run(() => api.createUser({ username, password: String(data.get('password')), role: this.newRole }));
    if (!result.ok) {
      this.problems = formProblems(result, NEW_USER_FIELDS, 'username');
    } else {
      this.problems = { fields: {} };
      formElement.reset();
      this.done(t('admin.userAdded', { name: username }));
    }
  }

  private async resetPassword(event: SubmitEvent, username: string): Promise<void> {
    event.preventDefault();
    const password = String(new FormData(event.target as HTMLFormElement).get('password'));
    const result = await this.run(() => api.resetPassword(username, { password }));
    if (result.ok) this.done(t('admin.passwordReset', { name: username }));
    else if (this.pending) this.pending = { ...this.pending, problems: formProblems(result, ['password']) };
  }

  private async deleteUser(username: string): Promise<void> {
    const result = await this.run(() => api.deleteUser(username));
    // 409: the last admin. The server's message says so; show it in the row.
    if (result.ok) this.done(t('admin.userDeleted', { name: username }));
    else if (this.pending) this.pending = { ...this.pending, problems: formProblems(result, []) };
  }

  private done(notice: string): void {
    this.notice = notice;
    this.pending = undefined;
    void this.refresh();
  }
}
customElements.define('user-admin', UserAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'user-admin': UserAdmin;
  }
}
