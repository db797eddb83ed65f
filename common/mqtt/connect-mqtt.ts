import net from 'node:net';
import { PassThrough } from 'node:stream';
import { MqttClient, type IClientOptions } from 'mqtt';
import { systemClock, type Clock } from '../../protocol/index.js';
import { clockedReconnect } from './mqtt-clock.js';

/** A device's (or the controller's) broker login. */
export interface MqttCredentials {
  username: string;
  password: string;
}

/** Whether a device's radio link is up; the simulator's link-loss fault turns it off. */
export interface LinkGate {
  isUp(): boolean;
}

/**
 * Connects an mqtt.js client over TCP with Nagle off. No-delay: without it a loopback
 * request/response costs ~88 ms, with it ~0.3 ms (measured on these machines); mqtt.js does
 * not set it, so we build the stream ourselves. With a `gate`, every (re)connect attempt while
 * it is down fails at once, as with no radio. Resolves on the first CONNACK, rejects on the
 * first error before it; reconnects afterwards on its own.
 *
 * `clock` (default system time) runs the client's reconnect retries (`reconnectPeriod` clock ms,
 * default 1000); the keepalive and the CONNACK timeout (`connectTimeout`, default 10 s) stay in
 * real time: see {@link clockedReconnect}.
 *
 * `onMessage` is attached before the connection starts: a broker delivers the QoS 1 messages it
 * queued for a persistent session (`clean: false`) right behind the CONNACK, often in the same
 * TCP read, so a handler attached once this promise resolves would miss them.
 */
export function connectMqtt(
  url: string,
  { onMessage, clock = systemClock, reconnectPeriod, ...options }: IClientOptions & { onMessage?: (topic: string, payload: Buffer) => void; clock?: Clock } = {},
  gate?: LinkGate,
): Promise<MqttClient> {
  const { hostname, port, protocol } = new URL(url);
  if (protocol !== 'mqtt:' && protocol !== 'tcp:') throw new Error(`unsupported MQTT URL ${url}: use mqtt://host:port`);
  const reconnect = clockedReconnect(clock, reconnectPeriod);
  const client = new MqttClient(
    () => {
      if (gate && !gate.isUp()) {
        const dead = new PassThrough();
        setImmediate(() => dead.destroy(new Error('link down')));
        return dead;
      }
      return net.createConnection({ host: hostname || '127.0.0.1', port: Number(port || 1883), noDelay: true });
    },
    { connectTimeout: 10_000, ...options, ...reconnect.options },
  );
  reconnect.attach(client);
  if (onMessage) client.on('message', onMessage);
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      client.end(true);
      reject(error);
    };
    client.once('error', onError);
    client.once('connect', () => {
      client.off('error', onError);
      // mqtt.js re-emits socket errors (EPIPE when the broker closed the socket first) on the
      // client and reconnects by itself; without a listener such an error would kill the process.
      client.on('error', () => {});
      resolve(client);
    });
  });
}
