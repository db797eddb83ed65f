import type { BroadcastMessage, DroneCommand, DroneMission, MissionWaypoint } from '../../protocol/index.js';
import type { DroneDriver } from './driver.js';

type PayloadCommand = Extract<DroneCommand, { command: 'play' | 'stopPlaying' | 'volume' | 'show' | 'clearDisplay' }>;

/** The payload commands of the drone topic's `command`. */
export const PAYLOAD_COMMANDS: ReadonlySet<DroneCommand['command']> = new Set(['play', 'stopPlaying', 'volume', 'show', 'clearDisplay']);

/** Whether `command` is for the speaker or the display. */
export function isPayloadCommand(command: DroneCommand): command is PayloadCommand {
  return PAYLOAD_COMMANDS.has(command.command);
}

/**
 * The bridge's side of a broadcast payload (speaker and display) during a mission: the QR code
 * and volume when a broadcast sortie begins, the message on arrival at each `play` waypoint (a
 * stop, or the start of a line flown playing), silence when the drone leaves the stop or ends the
 * line or the flight is cut short, a blank display once landed; and
 * the operator's payload commands. A payload that fails never stops the flight: the failure goes
 * to `onError` (the mission log) and the drone flies on.
 */
export class PayloadControl {
  /** The message playing because of a mission waypoint (not an operator's `play`). */
  private playingForStop = false;

  constructor(
    private readonly driver: DroneDriver,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Runs an operator's payload command; returns why it is refused. */
  async command(command: PayloadCommand): Promise<string | undefined> {
    const payload = this.driver.payload;
    const needs = command.command === 'show' || command.command === 'clearDisplay' ? 'display' : 'speaker';
    if (!payload || !this.driver.capabilities.includes(needs)) return `this drone has no ${needs}`;
    try {
      switch (command.command) {
        case 'play':
          if (command.volumePct !== undefined) await payload.setVolume(command.volumePct);
          await payload.play(command.message, { repeat: command.repeat ?? false });
          this.playingForStop = false;
          return undefined;
        case 'stopPlaying':
          await payload.stopPlaying();
          return undefined;
        case 'volume':
          await payload.setVolume(command.volumePct);
          return undefined;
        case 'show':
          await payload.show(command.qr);
          return undefined;
        case 'clearDisplay':
          await payload.clearDisplay();
          return undefined;
      }
    } catch (error) {
      return `the payload refused: ${(error as Error).message}`;
    }
  }

  /** A sortie of `mission` begins (in the air, at the mission's start): set the volume and show its QR code. */
  async sortieStarts(mission: DroneMission | undefined): Promise<void> {
    const b = mission?.broadcast;
    if (!b) return;
    await this.safely(async (p) => {
      await p.setVolume(b.volumePct ?? 100);
      if (b.qr && this.has('display')) await p.show(b.qr);
    });
  }

  /**
   * Arrived at `waypoint` of `mission`: a `play` waypoint starts the message over and over (a stop
   * for its hold; a waypoint of a broadcast line for the legs on to the line's end, so a message
   * already playing along the line plays on uninterrupted); a waypoint without `play` ends a line.
   */
  async arrived(mission: DroneMission | undefined, waypoint: MissionWaypoint | undefined): Promise<void> {
    const message: BroadcastMessage | undefined = mission?.broadcast?.message;
    if (!message || !waypoint || !this.has('speaker')) return;
    if (!waypoint.play) return this.leaves();
    if (this.playingForStop) return;
    this.playingForStop = true;
    await this.safely((p) => p.play(message, { repeat: true }));
  }

  /**
   * Moving on from `from` (or the flight was cut short, no waypoint): silence what a stop or a line
   * started, unless `from` begins a leg of a broadcast line (`play` without a hold).
   */
  async leaves(from?: MissionWaypoint): Promise<void> {
    if (from?.play && !from.holdS) return;
    if (!this.playingForStop) return;
    this.playingForStop = false;
    await this.safely((p) => p.stopPlaying());
  }

  /** Landed: nothing to read on a drone on the ground, blank the display and stop playing. */
  async landed(): Promise<void> {
    const p = this.driver.payload;
    if (!p) return;
    const s = p.state();
    if (s.playing !== undefined) await this.safely((q) => q.stopPlaying());
    this.playingForStop = false;
    if (s.showing !== undefined) await this.safely((q) => q.clearDisplay());
  }

  private has(capability: 'speaker' | 'display'): boolean {
    return this.driver.payload !== undefined && this.driver.capabilities.includes(capability);
  }

  private async safely(step: (payload: NonNullable<DroneDriver['payload']>) => Promise<void>): Promise<void> {
    const payload = this.driver.payload;
    if (!payload) return;
    try {
      await step(payload);
    } catch (error) {
      this.onError(new Error(`payload: ${(error as Error).message}`));
    }
  }
}
