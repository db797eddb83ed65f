import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { store, type Topic } from './live-store.js';

/**
 * Live socket.io data for a Lit element: subscribes to the store's `topics` while the host is
 * connected and re-renders the host on every change.
 */
export class LiveController implements ReactiveController {
  private off?: () => void;
  readonly store = store;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly topics: Topic[],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = store.subscribe(this.topics, () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
  }
}
