import net from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../controller/transport/embedded-broker.js';
import { VirtualClock } from '../../sim/virtual-clock.js';
import { connectMqtt } from './connect-mqtt.js';

/**
 * An MQTT client's own timers (keepalive, reconnect, CONNACK timeout) run on the clock it is
 * given: on a virtual clock they fire in its time, at their due instant, and nothing of theirs
 * waits for wall time. An embedded aedes (not MQTT_URL): the virtual clock must see the broker.
 */
describe('connectMqtt on a virtual clock', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const setUp = async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    cleanup.push(() => broker.close());
    const clock = new VirtualClock(0);
    cleanup.push(() => clock.close());
    return { broker, clock };
  };
  const packets = (client: MqttClient) => {
    const seen: string[] = [];
    client.on('packetsend', (p) => seen.push(`sent ${p.cmd}`));
    client.on('packetreceive', (p) => seen.push(`got ${p.cmd}`));
    return seen;
  };

  it('pings after keepalive seconds of silence in clock time, and the broker answers', async () => {
    const { broker, clock } = await setUp();
    const client = await connectMqtt(broker.url, { clientId: 'k1', keepalive: 60, clock });
    cleanup.push(() => client.endAsync(true));
    const seen = packets(client);
    await clock.until(() => seen.includes('got pingresp'), { wallLimitMs: 10_000, what: 'a ping answered' });
    expect(seen).toEqual(['sent pingreq', 'got pingresp']);
    // mqtt.js counts two half-keepalive intervals of silence before it pings.
    expect(clock.now()).toBe(60_000);
    expect(client.connected).toBe(true);
  });

  it('reconnects reconnectPeriod clock ms after the connection drops', async () => {
    const { broker, clock } = await setUp();
    const client = await connectMqtt(broker.url, { clientId: 'r1', reconnectPeriod: 1000, clock });
    cleanup.push(() => client.endAsync(true));
    const dropped = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.stream.destroy();
    await dropped;
    expect(client.connected).toBe(false);
    const reconnects: number[] = [];
    client.on('reconnect', () => reconnects.push(clock.now()));
    await clock.until(() => client.connected, { wallLimitMs: 10_000, what: 'the reconnect' });
    expect(reconnects).toEqual([1000]);
  });

  it('does not reconnect after end()', async () => {
    const { broker, clock } = await setUp();
    const client = await connectMqtt(broker.url, { clientId: 'e1', reconnectPeriod: 1000, keepalive: 0, clock });
    const reconnects: number[] = [];
    client.on('reconnect', () => reconnects.push(clock.now()));
    await client.endAsync();
    await expect(clock.until(() => false, { wallLimitMs: 10_000, what: 'nothing' })).rejects.toThrow(/nothing left to happen/);
    expect(reconnects).toEqual([]);
  });

  it('gives up on a CONNACK after connectTimeout clock ms', async () => {
    const { clock } = await setUp();
    // A server that reads the CONNECT and never answers.
    const silent = net.createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => silent.close(resolve)));
    cleanup.push(() => {
      for (const c of connections) c.destroy();
    });
    const connections: net.Socket[] = [];
    silent.on('connection', (c) => connections.push(c));
    const { port } = silent.address() as net.AddressInfo;
    let failed: { error: Error; atMs: number } | undefined;
    connectMqtt(`mqtt://127.0.0.1:${port}`, { clientId: 't1', connectTimeout: 10_000, reconnectPeriod: 0, clock }).then(
      (client) => client.end(true),
      (error: Error) => (failed = { error, atMs: clock.now() }),
    );
    await clock.until(() => failed !== undefined, { wallLimitMs: 10_000, what: 'the CONNACK timeout' });
    expect(failed?.error.message).toBe('connack timeout');
    expect(failed?.atMs).toBe(10_000);
  });
});
