import { sleep, type Clock } from '../../protocol/index.js';
import { RosTypes } from './messages.js';
import type { RosNode, RosPublisher } from './ros-api.js';

/**
 * The tray board and the speaker of a ROS 2 robot: a small interface of standard message types
 * the robot integrator implements (topics relative to the bridge's namespace):
 *
 * | topic | type | direction | meaning |
 * | --- | --- | --- | --- |
 * | `isofleet/trays` | std_msgs/msg/UInt8MultiArray | robot → bridge | `data[i]` 1 when tray i+1 holds something, 0 when empty; on every change |
 * | `isofleet/tray_confirmed` | std_msgs/msg/UInt8 | robot → bridge | the medic confirmed tray `data` on the robot's own screen |
 * | `isofleet/tray_open` | std_msgs/msg/UInt8 | bridge → robot | open (unlock, light) tray `data` for the resident at the door |
 * | `isofleet/announce` | std_msgs/msg/String | bridge → robot | speak `data` now |
 * | `isofleet/announce_done` | std_msgs/msg/String | robot → bridge | finished speaking `data` |
 */
export class TrayBoard {
  private occupancy: number[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly trayOpen: RosPublisher<{ data: number }>;
  private readonly speaker: RosPublisher<{ data: string }>;
  private spoken: string[] = [];
  private confirmedOnRobot: number[] = [];

  constructor(
    node: RosNode,
    private readonly clock: Clock,
  ) {
    node.createSubscription(RosTypes.uint8MultiArray, 'isofleet/trays', {}, (m: { data: ArrayLike<number> }) => {
      this.occupancy = Array.from(m.data);
      this.changed();
    });
    node.createSubscription(RosTypes.uint8, 'isofleet/tray_confirmed', {}, (m: { data: number }) => {
      this.confirmedOnRobot.push(m.data);
      this.changed();
    });
    node.createSubscription(RosTypes.string, 'isofleet/announce_done', {}, (m: { data: string }) => {
      this.spoken.push(m.data);
      this.changed();
    });
    this.trayOpen = node.createPublisher(RosTypes.uint8, 'isofleet/tray_open') as RosPublisher<{ data: number }>;
    this.speaker = node.createPublisher(RosTypes.string, 'isofleet/announce') as RosPublisher<{ data: string }>;
  }

  /** Whether tray `tray` (1-based) holds something; undefined before the board reported. */
  occupied(tray: number): boolean | undefined {
    const value = this.occupancy[tray - 1];
    return value === undefined ? undefined : value !== 0;
  }

  /** Calls `listener` on every message from the board. Returns the teardown. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Trays the medic confirmed on the robot since the last call. */
  takeConfirmations(): number[] {
    const confirmed = this.confirmedOnRobot;
    this.confirmedOnRobot = [];
    return confirmed;
  }

  openTray(tray: number): void {
    this.trayOpen.publish({ data: tray });
  }

  /** Speaks `text`; resolves once the robot reports it spoken; rejects after `timeoutMs` without. */
  async announce(text: string, signal: AbortSignal, timeoutMs = 60_000): Promise<void> {
    this.spoken = [];
    this.speaker.publish({ data: text });
    const done = await this.until(() => this.spoken.includes(text), signal, timeoutMs);
    if (!done) throw new Error(`the speaker did not report the announcement done within ${timeoutMs / 1000} s (isofleet/announce_done)`);
  }

  /**
   * Resolves true once `condition` holds (checked on every message from the board), false after
   * `timeoutMs` of clock time; rejects with the signal's reason when aborted.
   */
  until(condition: () => boolean, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    const timeout = new AbortController();
    const stopOnAbort = () => timeout.abort(signal.reason);
    signal.addEventListener('abort', stopOnAbort, { once: true });
    return new Promise<boolean>((resolve, reject) => {
      const off = this.onChange(() => {
        if (!condition()) return;
        finish();
        resolve(true);
      });
      const finish = () => {
        off();
        signal.removeEventListener('abort', stopOnAbort);
        timeout.abort('done');
      };
      sleep(this.clock, timeoutMs, timeout.signal).then(
        () => {
          finish();
          resolve(false);
        },
        () => {
          if (!signal.aborted) return;
          off();
          reject(signal.reason);
        },
      );
    });
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
