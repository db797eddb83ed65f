import { LitElement, html } from 'lit';

/** Placeholder. */
export class OperatorView extends LitElement {
  override render() {
    return html`<p>…</p>`;
  }
}
customElements.define('operator-view', OperatorView);

declare global {
  interface HTMLElementTagNameMap {
    'operator-view': OperatorView;
  }
}
