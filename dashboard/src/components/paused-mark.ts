import { html } from 'lit';

/** The paused state's shape (two bars, `.mark-paused` of the shared styles), beside its colour and its word. */
export const pausedMark = html`<span class="mark-paused" data-testid="paused-mark" aria-hidden="true"></span>`;
