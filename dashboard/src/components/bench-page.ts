import { LitElement, html } from 'lit';

/** Placeholder. */
export class BenchPage extends LitElement {
  override render() {
    return html`<p>…</p>`;
  }
}
customElements.define('bench-page', BenchPage);

declare global {
  interface HTMLElementTagNameMap {
    'bench-page': BenchPage;
  }
}
