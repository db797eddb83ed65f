import net from 'node:net';
import { Aedes } from 'aedes';
import type { BrokerAuth } from './broker-auth.js';

/** A running embedded MQTT broker. */
export interface EmbeddedBroker {
  /** `mqtt://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts an aedes broker on TCP. Port 0 picks a free one. With `auth` (see `brokerAuth`) every
 * client logs in, a device uses its id as client id and reads and writes only its own topics.
 * No-delay on every accepted socket:
 * without it each loopback request/response waits ~88 ms on Nagle and delayed ACKs.
 */
export async function startEmbeddedBroker(options: { port?: number; host?: string; auth?: BrokerAuth } = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ ...options.auth });
  const server = net.createServer({ noDelay: true }, broker.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    url: `mqtt://${host}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
