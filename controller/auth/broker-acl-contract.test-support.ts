/**
 * One contract for every broker isofleet runs on, with device credentials and ACL: the embedded
 * aedes with `brokerAuth`, and Mosquitto with the files `mosquitto-files-cli` writes. Each test
 * file starts its broker with the same devices (robots `acme/r1`, `acme/r2`, drones `d1`, `d2`,
 * the door sensors of rooms 305 and 306, passwords derived from {@link CONTRACT_SECRET}) and
 * calls {@link brokerAclContract}.
 *
 * Denials differ by broker (aedes drops the connection on a refused publish, Mosquitto drops the
 * message), so the contract asserts what matters: what is delivered and what is not. Both bind
 * a device's session to its username, whatever client id it presents (aedes through
 * `sessionIdFor`, Mosquitto through `use_username_as_clientid`).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTROLLER_USERNAME } from '../../protocol/index.js';
import { derivedDevicePassword } from './device-credentials.js';

/** The device secret the contract's brokers are set up with. */
export const CONTRACT_SECRET = 'contract-secret-for-tests';
/** The devices the contract's brokers know. */
export const CONTRACT_DEVICES = { robots: ['acme/r1', 'acme/r2'], drones: ['d1', 'd2'], doorSensors: ['305', '306'] };

/** A running broker set up for the contract. */
export interface ContractBroker {
  url: string;
  close(): Promise<void>;
}

/** How long to wait before concluding a message was not delivered. */
const SILENCE_MS = 300;

/** Connects, with the username as client id unless `options` give one; rejects when the broker refuses. */
export async function connectAs(url: string, username: string | undefined, password: string | undefined, options: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { username, password, ...(username === undefined ? {} : { clientId: username }), reconnectPeriod: 0, connectTimeout: 3000, protocolVersion: 4, ...options });
}

/** Every message a client receives, as `topic payload`. */
export function inbox(client: MqttClient): string[] {
  const seen: string[] = [];
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
  return seen;
}

/** Waits until `check` holds, at most `ms`. */
export async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Waits long enough to conclude a message was not delivered. */
export const silence = () => new Promise((r) => setTimeout(r, SILENCE_MS));

/**
 * Publishes and ignores a refusal: aedes ends the connection, so a QoS 1 publish may never be
 * acknowledged; give up after {@link SILENCE_MS}.
 */
export async function tryPublish(client: MqttClient, topic: string, payload: string, options: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
  const sent = client.publishAsync(topic, payload, { qos: options.qos ?? 0, retain: options.retain ?? false }).catch(() => undefined);
  await Promise.race([sent, silence()]);
}

/** The contract suite; `start` gives a fresh broker set up with the contract's devices. */
export function brokerAclContract(name: string, start: () => Promise<ContractBroker>): void {
  describe(`${name}: device credentials and ACL`, () => {
    let broker: ContractBroker;
    const clients: MqttClient[] = [];
    const as = async (username: string, options: IClientOptions = {}) => {
      const password = derivedDevicePassword(CONTRACT_SECRET, username);
      const client = await connectAs(broker.url, username, password, options);
      clients.push(client);
      return client;
    };
    /**
     * Connects with an inbox attached before the CONNACK: a resumed session's queued messages
     * may arrive in the same read as the CONNACK, before `connectAs` resolves.
     */
    const listening = async (username: string, options: IClientOptions = {}) => {
      const client = mqtt.connect(broker.url, {
        username,
        password: derivedDevicePassword(CONTRACT_SECRET, username),
        clientId: username,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        protocolVersion: 4,
        ...options,
      });
      clients.push(client);
      const heard = inbox(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        // `on`, not `once`: a later socket error with no listener would crash the test run.
        client.on('error', reject);
      });
      return { client, heard };
    };
    let controller: MqttClient;
    let heard: string[];

    beforeAll(async () => {
      broker = await start();
    });
    afterAll(async () => broker?.close());
    beforeEach(async () => {
      controller = await as(CONTROLLER_USERNAME);
      heard = inbox(controller);
      await controller.subscribeAsync(['uagv/v2/+/+/+', 'isofleet/v1/drones/+/+', 'isofleet/v1/sensors/doors/+'], { qos: 1 });
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) c.end(true);
    });

    it('refuses anonymous clients, wrong passwords and names that are no device', async () => {
      await expect(connectAs(broker.url, undefined, undefined)).rejects.toThrow();
      await expect(connectAs(broker.url, 'acme/r1', derivedDevicePassword(CONTRACT_SECRET, 'acme/r2'))).rejects.toThrow();
      await expect(connectAs(broker.url, CONTROLLER_USERNAME, 'guess')).rejects.toThrow();
      await expect(connectAs(broker.url, 'acme/r1/x', derivedDevicePassword(CONTRACT_SECRET, 'acme/r1/x'))).rejects.toThrow();
    });

    it('a robot publishes its own state but not another robot’s, nor orders', async () => {
      const r1 = await as('acme/r1');
      await r1.publishAsync('uagv/v2/acme/r1/state', 'own', { qos: 1 });
      await eventually(() => heard.includes('uagv/v2/acme/r1/state own'));
      await tryPublish(r1, 'uagv/v2/acme/r2/state', 'forged', { qos: 1 });
      // aedes may have dropped r1 for the forgery: connect again (taking over its own session).
      const r1b = await as('acme/r1');
      await tryPublish(r1b, 'uagv/v2/acme/r1/order', 'self-order', { qos: 1 });
      await silence();
      expect(heard.filter((m) => m.includes('forged') || m.includes('self-order'))).toEqual([]);
    });

    it('a robot gets its own orders, never another robot’s, whatever it subscribes to', async () => {
      const r1 = await as('acme/r1');
      const r1Heard = inbox(r1);
      await r1.subscribeAsync('uagv/v2/acme/r1/order', { qos: 1 });
      for (const filter of ['uagv/v2/acme/r2/order', 'uagv/v2/acme/+/order', 'uagv/v2/#', '#']) await r1.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
      const r2 = await as('acme/r2');
      const r2Heard = inbox(r2);
      await r2.subscribeAsync('uagv/v2/acme/r2/order', { qos: 1 });
      await controller.publishAsync('uagv/v2/acme/r2/order', 'for-r2', { qos: 1 });
      await controller.publishAsync('uagv/v2/acme/r1/order', 'for-r1', { qos: 1 });
      await eventually(() => r2Heard.includes('uagv/v2/acme/r2/order for-r2') && r1Heard.includes('uagv/v2/acme/r1/order for-r1'));
      await silence();
      expect(r1Heard.filter((m) => m.includes('r2'))).toEqual([]);
    });

    it('a robot’s will on its own connection topic is delivered, on another robot’s is not', async () => {
      const own = await as('acme/r1', { will: { topic: 'uagv/v2/acme/r1/connection', payload: Buffer.from('r1-gone'), qos: 1, retain: false } });
      own.stream.destroy();
      await eventually(() => heard.includes('uagv/v2/acme/r1/connection r1-gone'));
      // Mosquitto may refuse the connection outright; aedes accepts it and drops the will.
      const forged = await as('acme/r1', { will: { topic: 'uagv/v2/acme/r2/connection', payload: Buffer.from('forged-will'), qos: 1, retain: false } }).catch(() => undefined);
      forged?.stream.destroy();
      await silence();
      expect(heard.filter((m) => m.includes('forged-will'))).toEqual([]);
    });

    it('no device takes over another’s session with its client id, connected or queued; sessions persist', async () => {
      const r1 = await as('acme/r1', { clean: false });
      const r1Heard = inbox(r1);
      await r1.subscribeAsync('uagv/v2/acme/r1/order', { qos: 1 });
      const thief = await listening('acme/r2', { clientId: 'acme/r1', clean: false }).catch(() => undefined);
      await controller.publishAsync('uagv/v2/acme/r1/order', 'live', { qos: 1 });
      await eventually(() => r1Heard.includes('uagv/v2/acme/r1/order live'));
      expect(r1.connected).toBe(true);

      // Away, r1's orders queue in its session; r2 presenting r1's id must not collect them.
      await r1.endAsync();
      await controller.publishAsync('uagv/v2/acme/r1/order', 'queued', { qos: 1 });
      const thiefAgain = await listening('acme/r2', { clientId: 'acme/r1', clean: false }).catch(() => undefined);
      await silence();
      const back = await listening('acme/r1', { clean: false });
      await eventually(() => back.heard.includes('uagv/v2/acme/r1/order queued'));
      expect([...(thief?.heard ?? []), ...(thiefAgain?.heard ?? [])]).toEqual([]);
    });

    it('a device presenting a client id of its own choosing gets its own orders, and its session resumes under another id', async () => {
      // vda-5050-lib makes up a random client id at every start; others use `serial:bridge` and the like.
      const first = await listening('acme/r1', { clientId: '3f9a1c2e7b5d4a60b8e1c2d', clean: false });
      await first.client.subscribeAsync('uagv/v2/acme/r1/order', { qos: 1 });
      await controller.publishAsync('uagv/v2/acme/r1/order', 'chosen-live', { qos: 1 });
      await eventually(() => first.heard.includes('uagv/v2/acme/r1/order chosen-live'));
      await first.client.endAsync();
      await controller.publishAsync('uagv/v2/acme/r1/order', 'chosen-queued', { qos: 1 });
      const again = await listening('acme/r1', { clientId: 'acme/r1:restarted', clean: false });
      await eventually(() => again.heard.includes('uagv/v2/acme/r1/order chosen-queued'));
      // r2 presenting r1's last client id gets r2's own session, not r1's queue.
      await again.client.endAsync();
      await controller.publishAsync('uagv/v2/acme/r1/order', 'not-for-r2', { qos: 1 });
      const thief = await listening('acme/r2', { clientId: 'acme/r1:restarted', clean: false });
      await silence();
      expect(thief.heard).toEqual([]);
    });

    it('a drone publishes its own telemetry and gets its own commands, nothing of another drone', async () => {
      const d1 = await as('d1');
      const d1Heard = inbox(d1);
      await d1.subscribeAsync('isofleet/v1/drones/d1/command', { qos: 1 });
      await d1.subscribeAsync('isofleet/v1/drones/d2/command', { qos: 1 }).catch(() => undefined);
      await d1.publishAsync('isofleet/v1/drones/d1/telemetry', 'd1-tm', { qos: 1 });
      await eventually(() => heard.includes('isofleet/v1/drones/d1/telemetry d1-tm'));
      await controller.publishAsync('isofleet/v1/drones/d2/command', 'for-d2', { qos: 1 });
      await controller.publishAsync('isofleet/v1/drones/d1/command', 'for-d1', { qos: 1 });
      await eventually(() => d1Heard.includes('isofleet/v1/drones/d1/command for-d1'));
      await tryPublish(d1, 'isofleet/v1/drones/d2/telemetry', 'forged-tm', { qos: 1 });
      await silence();
      expect(d1Heard.filter((m) => m.includes('d2'))).toEqual([]);
      expect(heard.filter((m) => m.includes('forged-tm'))).toEqual([]);
    });

    it('a door sensor publishes its own room’s door only, and hears nothing', async () => {
      const sensor = await as('sensors/doors/305');
      const sensorHeard = inbox(sensor);
      for (const filter of ['isofleet/v1/sensors/doors/305', 'isofleet/v1/sensors/doors/+', '#']) await sensor.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
      await sensor.publishAsync('isofleet/v1/sensors/doors/305', 'own-door', { qos: 1 });
      await eventually(() => heard.includes('isofleet/v1/sensors/doors/305 own-door'));
      await tryPublish(sensor, 'isofleet/v1/sensors/doors/306', 'forged-door', { qos: 1 });
      const again = await as('sensors/doors/305');
      await tryPublish(again, 'uagv/v2/acme/r1/state', 'forged-state', { qos: 1 });
      await controller.publishAsync('isofleet/v1/sensors/doors/305', 'from-controller', { qos: 1 });
      await silence();
      expect(heard.filter((m) => m.includes('forged'))).toEqual([]);
      expect(sensorHeard).toEqual([]);
    });
  });
}
