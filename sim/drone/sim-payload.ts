import type { BroadcastPayload } from '../../firmware-bridge/drone/index.js';
import type { BroadcastMessage, Clock, PayloadState } from '../../protocol/index.js';

/** One thing the simulated payload did, where and when. */
export interface PayloadLogEntry {
  /** Clock ms. */
  atMs: number;
  action: 'play' | 'stopPlaying' | 'volume' | 'show' | 'clearDisplay';
  /** The drone's true position then (not the noisy one it reports), and height above ground, m. */
  lat: number;
  lon: number;
  altM: number;
  message?: BroadcastMessage;
  repeat?: boolean;
  volumePct?: number;
  qr?: string;
}

/**
 * A simulated loudspeaker and QR display: takes every call at once and logs it with the drone's
 * position and the time, so a test can check what was played and shown where. Plays nothing.
 */
export class SimBroadcastPayload implements BroadcastPayload {
  readonly log: PayloadLogEntry[] = [];
  private current: PayloadState = { volumePct: 100 };

  constructor(
    private readonly clock: Clock,
    private readonly where: () => { lat: number; lon: number; altM: number },
  ) {}

  async play(message: BroadcastMessage, options: { repeat: boolean }): Promise<void> {
    this.record({ action: 'play', message, repeat: options.repeat });
    this.current = { ...this.current, playing: message.kind === 'text' ? message.text : message.url };
  }

  async stopPlaying(): Promise<void> {
    this.record({ action: 'stopPlaying' });
    const { playing: _, ...rest } = this.current;
    this.current = rest;
  }

  async setVolume(pct: number): Promise<void> {
    this.record({ action: 'volume', volumePct: pct });
    this.current = { ...this.current, volumePct: pct };
  }

  async show(qr: string): Promise<void> {
    this.record({ action: 'show', qr });
    this.current = { ...this.current, showing: qr };
  }

  async clearDisplay(): Promise<void> {
    this.record({ action: 'clearDisplay' });
    const { showing: _, ...rest } = this.current;
    this.current = rest;
  }

  state(): PayloadState {
    return { ...this.current };
  }

  private record(entry: Omit<PayloadLogEntry, 'atMs' | 'lat' | 'lon' | 'altM'>): void {
    this.log.push({ atMs: this.clock.now(), ...this.where(), ...entry });
  }
}
