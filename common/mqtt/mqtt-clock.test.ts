import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../controller/transport/embedded-broker.js';
import { VirtualClock } from '../../sim/virtual-clock.js';
import { connectMqtt } from './connect-mqtt.js';

/**
 * An MQTT client's reconnect retry runs on the clock it is given: on a virtual clock it comes
 * `reconnectPeriod` of its time after the drop, and never after `end()`. An embedded aedes (not
 * MQTT_URL): the virtual clock must see the broker.
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
    const client = await connectMqtt(broker.url, { clientId: 'e1', reconnectPeriod: 1000, clock });
    const reconnects: number[] = [];
    client.on('reconnect', () => reconnects.push(clock.now()));
    await client.endAsync();
    await expect(clock.until(() => false, { wallLimitMs: 10_000, what: 'nothing' })).rejects.toThrow(/nothing left to happen/);
    expect(reconnects).toEqual([]);
  });
});
