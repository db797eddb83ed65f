import type { IClientOptions, MqttClient } from 'mqtt';
import type { Clock, ClockTimer } from '../../protocol/index.js';

/**
 * The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days). mqtt.js's own reconnect
 * timer is set to it, so it never fires while the clock's retry does the work.
 */
const NEVER_MS = 2_147_483_647;

/**
 * Runs an mqtt.js client's reconnect retry on `clock` instead of the process's wall time, so a
 * device whose radio comes back on a simulated clock reconnects `reconnectPeriod` of simulated
 * time later, as every other delay of the simulation. mqtt.js (5.x) retries with a plain
 * `setInterval(reconnectPeriod)` it takes no timer for; the options returned set it to
 * {@link NEVER_MS} and {@link attach} drives the retry instead: after every `close` on which
 * mqtt.js would reconnect (it then holds its own reconnect timer: not after `end()`, nor after a
 * CONNACK that refused the login), a retry is set on the clock `reconnectPeriod` later and does
 * what mqtt.js's timer does (`reconnect` event, then the public `connect()`, which also clears
 * mqtt.js's timer). `reconnectPeriod` 0 is passed through as it is (no reconnect; mqtt.js also
 * stops re-subscribing then).
 *
 * Left in real time on purpose: the keepalive (PINGREQ after `keepalive` s of silence, the link
 * dropped when no PINGRESP follows) and the CONNACK timeout. Both bound how long a real TCP peer
 * may take to answer, and the broker counts the keepalive in its own real time (MQTT 3.1.1
 * §3.1.2.10: it drops a client silent for 1.5 × keepalive). On a clock at ×200 they would give a
 * broker 50 ms to answer a CONNECT (measured: integration tests at ×200 failed with `connack
 * timeout` on a loaded machine); on the virtual clock, standing still while a plan is made,
 * the pings would stop and the broker drop every client. A ping changes nothing a run computes.
 */
export function clockedReconnect(clock: Clock, reconnectPeriod = 1000) {
  return {
    /** What to pass to mqtt.js in place of the caller's `reconnectPeriod`. */
    options: { reconnectPeriod: reconnectPeriod > 0 ? NEVER_MS : 0 } satisfies IClientOptions,
    /** Call once with the client, before its first connection can close. */
    attach(client: MqttClient): void {
      let retry: ClockTimer | undefined;
      const cancel = () => {
        if (retry) clock.clearTimeout(retry);
        retry = undefined;
      };
      client.on('close', () => {
        cancel();
        // mqtt.js's own listener ran first (it is added in the constructor): its timer is set iff it would reconnect now.
        if (reconnectPeriod <= 0 || !reconnectPending(client)) return;
        retry = clock.setTimeout(() => {
          retry = undefined;
          if (!reconnectPending(client)) return;
          client.emit('reconnect');
          client.connect();
        }, reconnectPeriod);
      });
      client.on('end', cancel);
    },
  };
}

/** Whether mqtt.js holds a reconnect timer (private in its typings; cleared by `end()` and `connect()`). */
function reconnectPending(client: MqttClient): boolean {
  return Boolean(client['reconnectTimer' as keyof MqttClient]);
}
