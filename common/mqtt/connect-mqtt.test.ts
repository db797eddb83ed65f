import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt } from './connect-mqtt.js';

/**
 * A broker that resumes a persistent session the way brokers do under load: CONNACK (session
 * present) and the QoS 1 message it queued in one TCP write, so the client reads both at once.
 * A raw socket stands in for the broker here because neither aedes nor Mosquitto can be made to
 * put both in one segment on demand; the packets are built per MQTT 3.1.1 §3.2 and §3.3.
 */
function resumingBroker(topic: string, payload: string): Promise<{ url: string; close(): void }> {
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      const connack = Buffer.from([0x20, 0x02, 0x01, 0x00]);
      const topicBytes = Buffer.from(topic);
      const body = Buffer.concat([Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]), topicBytes, Buffer.from([0x00, 0x07]), Buffer.from(payload)]);
      // Remaining length below 128 fits one byte.
      socket.write(Buffer.concat([connack, Buffer.from([0x32, body.length]), body]));
      socket.on('data', () => {});
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `mqtt://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}

describe('connectMqtt', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('hands a queued message that comes in the same read as the CONNACK to onMessage', async () => {
    const broker = await resumingBroker('uagv/v2/m/r1/order', '{"orderId":"queued"}');
    cleanup.push(() => broker.close());
    const seen: string[] = [];
    const client = await connectMqtt(broker.url, { clientId: 'm/r1', clean: false, reconnectPeriod: 0, onMessage: (_t, p) => seen.push(p.toString()) });
    cleanup.push(() => client.end(true));
    // The message was emitted while connecting; a listener attached now would have missed it.
    expect(seen).toEqual(['{"orderId":"queued"}']);
  });
});
