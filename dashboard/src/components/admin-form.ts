import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { I18nController, language, t } from '../i18n/i18n.js';
import { sharedStyles } from './shared-styles.js';

/**
 * Forms of the admin screen, for gloved hands: tall fields and buttons, choices as rows of
 * buttons rather than drop-downs, and each problem written under the field it is about.
 */
export const adminFormStyles = css`
  form { display: grid; gap: 12px; }
  form.add { margin-top: 12px; padding-top: 12px; border-top: 2px solid var(--line); }
  label { display: grid; gap: 6px; font-weight: 600; }
  input { font: inherit; font-size: 20px; min-height: 60px; padding: 6px 12px; border: 2px solid var(--ink); border-radius: 10px; box-sizing: border-box; width: 100%; }
  input[aria-invalid='true'] { border-color: var(--bad); border-width: 3px; }
  button { min-height: 60px; }
  .choices { display: flex; flex-wrap: wrap; gap: 8px; }
  .choices button { flex: 1 1 120px; }
  .field-error { color: var(--bad); font-weight: 700; margin: 0; }
  .hint { color: var(--muted); font-weight: 400; font-size: 15px; }
  .with-button { display: flex; gap: 8px; }
  .with-button input { flex: 1; }
  .row-actions { display: flex; gap: 8px; justify-content: flex-end; }
  .row-actions button { white-space: nowrap; }
  tr.pending td { background: var(--info-bg); }
`;

/** The problem with one field, naming the field, or nothing. */
export function fieldProblem(testId: string, label: string, message: string | undefined) {
  return message ? html`<p class="field-error" role="alert" data-testid=${testId}>${t('admin.fieldError', { field: label, message })}</p>` : nothing;
}

/**
 * A panel of the admin screen: one request at a time (its buttons are off while it runs),
 * dates as the reader's language writes them.
 */
export class AdminPanel extends LitElement {
  // Typed wide: each panel declares its own state beside `busy` (Lit merges them along the class chain).
  static override properties: PropertyDeclarations = { busy: { state: true } };
  static override styles = [sharedStyles, adminFormStyles];

  protected readonly i18n = new I18nController(this);
  declare protected busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  /** Runs a request with the panel's buttons off. */
  protected async run<T>(call: () => Promise<T>): Promise<T> {
    this.busy = true;
    try {
      return await call();
    } finally {
      this.busy = false;
    }
  }

  /** The day an ISO time falls on, e.g. `Nov 23, 2026` or `2026年11月23日`. */
  protected day(iso: string): string {
    return new Intl.DateTimeFormat(language() === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium' }).format(new Date(iso));
  }
}
