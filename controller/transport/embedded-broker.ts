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
  numberRetainedInEmitOrder(broker);
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

/**
 * aedes numbers each publish when it arrives (`brokerCounter`) and drops a message whose number
 * is lower than the last one a client got (its dedupe for overlapping subscriptions). A retained
 * message waits for the retained store before it is emitted, so a message its sender publishes
 * right after overtakes it and the retained one is dropped for every subscriber (moscajs/aedes
 * #994, #955): a vda-5050-lib AGV's factsheet (retained, QoS 0) followed by its state never
 * reached the controller. A retained QoS 0 message is numbered again as it is emitted, which
 * keeps numbers in delivery order. Only QoS 0: a QoS 1 message is also queued for persistent
 * sessions under its first number, where the dedupe is what keeps it from arriving twice.
 */
function numberRetainedInEmitOrder(broker: Aedes): void {
  type Emitted = { brokerCounter?: number; brokerId?: string; retain?: boolean; qos?: number };
  const mq = (broker as unknown as { mq: { emit(packet: Emitted, cb?: (error?: Error) => void): unknown } }).mq;
  const emit = mq.emit.bind(mq);
  const counted = broker as unknown as { counter: number; id: string };
  mq.emit = (packet, cb) => {
    if (packet.retain && !packet.qos && packet.brokerId === counted.id) packet.brokerCounter = ++counted.counter;
    return emit(packet, cb);
  };
}
