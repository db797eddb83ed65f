/**
 * The sites' part of the broker contract: two sites on one broker, each with a controller
 * (`controller@{site}`) and devices of the same ids (`acme/r1@{site}`, `d1@{site}`), passwords
 * derived from {@link CONTRACT_SECRET} for their usernames. Run against the embedded aedes with
 * `brokerAuth` and against Mosquitto with the two sites' files `mosquitto-files-cli` writes,
 * concatenated. As in `brokerAclContract`, it asserts what is delivered and what is not.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER_USERNAME, droneTopic, siteTopicFilters, siteUsername, vdaTopic } from '../../protocol/index.js';
import { connectAs, CONTRACT_SECRET, eventually, inbox, silence, tryPublish, type ContractBroker } from './broker-acl-contract.test-support.js';
import { derivedDevicePassword } from './device-credentials.js';

/** The two sites the contract's brokers know, each with the devices of `CONTRACT_DEVICES`. */
export const CONTRACT_SITES = ['site-a', 'site-b'] as const;

const r1 = { manufacturer: 'acme', serialNumber: 'r1' };

/** The contract suite; `start` gives a fresh broker set up with both sites' controllers and devices. */
export function siteAclContract(name: string, start: () => Promise<ContractBroker>): void {
  describe(`${name}: two sites on one broker`, () => {
    let broker: ContractBroker;
    const clients: MqttClient[] = [];
    const as = async (id: string, site: string, password = derivedDevicePassword(CONTRACT_SECRET, siteUsername(id, site))) => {
      const client = await connectAs(broker.url, siteUsername(id, site), password, id === CONTROLLER_USERNAME ? { clientId: `${CONTROLLER_USERNAME}:${site}` } : {});
      clients.push(client);
      return client;
    };
    /** The controller of `site`, subscribed to everything of its site, and what it hears. */
    const controllerOf = async (site: string) => {
      const client = await as(CONTROLLER_USERNAME, site);
      const heard = inbox(client);
      await client.subscribeAsync(siteTopicFilters(site), { qos: 1 });
      return { client, heard };
    };
    const [a, b] = CONTRACT_SITES;

    beforeAll(async () => {
      broker = await start();
    });
    afterAll(async () => broker?.close());
    afterEach(async () => {
      for (const c of clients.splice(0)) c.end(true);
    });

    it('a device signs in only with its own site’s login', async () => {
      await expect(connectAs(broker.url, siteUsername('acme/r1', a), derivedDevicePassword(CONTRACT_SECRET, siteUsername('acme/r1', b)))).rejects.toThrow();
      await expect(connectAs(broker.url, siteUsername(CONTROLLER_USERNAME, a), derivedDevicePassword(CONTRACT_SECRET, siteUsername(CONTROLLER_USERNAME, b)))).rejects.toThrow();
      await (await as('acme/r1', a)).endAsync();
    });

    it('each site’s controller hears its own robot of the same serial number, not the other site’s', async () => {
      const [controllerA, controllerB] = [await controllerOf(a), await controllerOf(b)];
      await (await as('acme/r1', a)).publishAsync(vdaTopic(r1, 'state', a), 'from-a', { qos: 1 });
      await (await as('acme/r1', b)).publishAsync(vdaTopic(r1, 'state', b), 'from-b', { qos: 1 });
      await eventually(() => controllerA.heard.includes(`${vdaTopic(r1, 'state', a)} from-a`) && controllerB.heard.includes(`${vdaTopic(r1, 'state', b)} from-b`));
      await silence();
      expect(controllerA.heard.filter((m) => m.includes('from-b'))).toEqual([]);
      expect(controllerB.heard.filter((m) => m.includes('from-a'))).toEqual([]);
    });

    it('a device of site A cannot publish to site B, robot or drone', async () => {
      const controllerB = await controllerOf(b);
      await tryPublish(await as('acme/r1', a), vdaTopic(r1, 'state', b), 'forged-state', { qos: 1 });
      await tryPublish(await as('d1', a), droneTopic('d1', 'telemetry', b), 'forged-telemetry', { qos: 1 });
      // Nor does it hear site B's orders, whatever it subscribes to.
      const robotA = await as('acme/r1', a);
      const robotAHeard = inbox(robotA);
      for (const filter of [vdaTopic(r1, 'order', b), 'uagv-site-b/#', '#']) await robotA.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
      await controllerB.client.publishAsync(vdaTopic(r1, 'order', b), 'order-for-b', { qos: 1 });
      await silence();
      expect(controllerB.heard.filter((m) => m.includes('forged'))).toEqual([]);
      expect(robotAHeard).toEqual([]);
    });

    it('a site’s controller reaches only its own site: its robot gets its order, the other site’s robot does not', async () => {
      const controllerA = await controllerOf(a);
      const robotA = await as('acme/r1', a);
      const robotB = await as('acme/r1', b);
      const [heardA, heardB] = [inbox(robotA), inbox(robotB)];
      await robotA.subscribeAsync(vdaTopic(r1, 'order', a), { qos: 1 });
      await robotB.subscribeAsync(vdaTopic(r1, 'order', b), { qos: 1 });
      // Controller A subscribing to site B's topics or to everything hears nothing of site B.
      for (const filter of ['uagv-site-b/#', '#', '+/v2/acme/r1/state']) await controllerA.client.subscribeAsync(filter, { qos: 1 }).catch(() => undefined);
      await robotB.publishAsync(vdaTopic(r1, 'state', b), 'state-b', { qos: 1 });
      await controllerA.client.publishAsync(vdaTopic(r1, 'order', a), 'order-a', { qos: 1 });
      await eventually(() => heardA.includes(`${vdaTopic(r1, 'order', a)} order-a`));
      await silence();
      expect(controllerA.heard.filter((m) => m.includes('state-b'))).toEqual([]);
      // Last: aedes drops a client that publishes where it may not.
      await tryPublish(controllerA.client, vdaTopic(r1, 'order', b), 'order-a-to-b', { qos: 1 });
      await silence();
      expect(heardB).toEqual([]);
    });
  });
}
