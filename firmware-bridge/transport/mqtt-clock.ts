import type { IClientOptions, MqttClient, Timer } from 'mqtt';
import type { Clock, ClockTimer } from '../../protocol/index.js';

/**
 * The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days). mqtt.js's own reconnect
 * and CONNACK timers are set to it, so they never fire while the clock's timers do their work.
 */
const NEVER_MS = 2_147_483_647;

/** The timers of an mqtt.js client that {@link clockedTimers} moves onto a clock. */
export interface MqttTimerOptions {
  /** Clock ms between reconnect attempts; 0: none (mqtt.js's `reconnectPeriod`). Default 1000. */
  reconnectPeriod?: number;
  /** Clock ms a connection attempt waits for its CONNACK (mqtt.js's `connectTimeout`). Default 10 000. */
  connectTimeout?: number;
}

/**
 * Runs an mqtt.js client's timers on `clock` instead of the process's wall time, so a client on
 * a simulated clock pings, gives up on a CONNACK and retries a lost connection in simulated
 * time like everything else. mqtt.js (5.x) takes a timer only for its keepalive (the
 * `timerVariant` option, given here); its reconnect interval and CONNACK timeout are plain
 * `setInterval`/`setTimeout`. Those two are set to {@link NEVER_MS} in the options returned and
 * driven from here instead, through the client's public `connect()`:
 * - reconnect: after every `close` on which mqtt.js would reconnect (it then holds its own
 *   reconnect timer: not after `end()`, nor after a CONNACK that refused the login), a retry is
 *   set on the clock `reconnectPeriod` later and does what mqtt.js's timer does (`reconnect`
 *   event, then `connect()`, which also clears mqtt.js's timer). `reconnectPeriod: 0` is passed
 *   through as it is (no reconnect; mqtt.js also stops re-subscribing then).
 * - CONNACK timeout: each attempt (`attempt()`, called from the stream builder) sets one on the
 *   clock; when it fires with no CONNACK the attempt's stream is destroyed and the client
 *   emits `connack timeout`, as mqtt.js does on its own timeout (and then retries).
 *
 * Left in wall time: the 10 ms pause of a graceful `end()` waiting for outgoing packets
 * (teardown only) and the KeepaliveManager's `keepaliveTimeoutTimestamp` (a figure mqtt.js
 * reads nowhere itself).
 */
export function clockedTimers(clock: Clock, { reconnectPeriod = 1000, connectTimeout = 10_000 }: MqttTimerOptions) {
  let client: MqttClient | undefined;
  let retry: ClockTimer | undefined;
  let connack: ClockTimer | undefined;
  const clearConnack = () => {
    if (connack) clock.clearTimeout(connack);
    connack = undefined;
  };
  return {
    /** What to pass to mqtt.js in place of the caller's `reconnectPeriod` and `connectTimeout`. */
    options: {
      reconnectPeriod: reconnectPeriod > 0 ? NEVER_MS : 0,
      connectTimeout: NEVER_MS,
      timerVariant: clockIntervals(clock),
    } satisfies IClientOptions,
    /** Call with each attempt's stream, from the stream builder. */
    attempt(stream: { destroy(error?: Error): void }): void {
      clearConnack();
      connack = clock.setTimeout(() => {
        connack = undefined;
        if (!client || client.connected) return;
        // As mqtt.js's own timeout: drop the attempt, then say why (a first connect rejects on it).
        stream.destroy();
        client.emit('error', new Error('connack timeout'));
      }, connectTimeout);
    },
    /** Call once with the client, before its first connection can close. */
    attach(c: MqttClient): void {
      client = c;
      c.on('connect', clearConnack);
      c.on('close', () => {
        clearConnack();
        if (retry) clock.clearTimeout(retry);
        retry = undefined;
        // mqtt.js's own listener ran first (it is added in the constructor): its timer is set iff it would reconnect now.
        if (reconnectPeriod <= 0 || !reconnectPending(c)) return;
        retry = clock.setTimeout(() => {
          retry = undefined;
          if (!reconnectPending(c)) return;
          c.emit('reconnect');
          c.connect();
        }, reconnectPeriod);
      });
      c.on('end', () => {
        clearConnack();
        if (retry) clock.clearTimeout(retry);
        retry = undefined;
      });
    },
  };
}

/** Whether mqtt.js holds a reconnect timer (private in its typings; cleared by `end()` and `connect()`). */
function reconnectPending(client: MqttClient): boolean {
  return Boolean(client['reconnectTimer' as keyof MqttClient]);
}

/**
 * Repeating timers on `clock` in the shape of mqtt.js's `timerVariant` (its KeepaliveManager
 * calls `set` as `setInterval`, with numeric handles).
 */
export function clockIntervals(clock: Clock): Timer {
  const live = new Map<number, ClockTimer>();
  let next = 0;
  return {
    set: (fn: () => void, ms: number) => {
      const id = ++next;
      const arm = () =>
        live.set(
          id,
          clock.setTimeout(() => {
            // Re-armed first: the callback may clear its own interval.
            arm();
            fn();
          }, ms),
        );
      arm();
      return id;
    },
    clear: (id: number | undefined) => {
      const timer = id === undefined ? undefined : live.get(id);
      if (timer) clock.clearTimeout(timer);
      if (id !== undefined) live.delete(id);
    },
  } as Timer;
}
