import net from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerAclContract, connectAs, CONTRACT_SECRET, type ContractBroker } from '../auth/broker-acl-contract.test-support.js';
import { derivedDevicePassword } from '../auth/device-credentials.js';
import { SqliteDeviceStore } from '../auth/device-store.js';
import { CONTROLLER_USERNAME, siteUsername } from '../../protocol/index.js';
import { siteAclContract } from '../auth/site-acl-contract.test-support.js';
import { openDatabase } from '../storage/database.js';
import { brokerAuth, type BrokerAuthOptions } from './broker-auth.js';

/** aedes with {@link brokerAuth} on a free port, the way the embedded broker would run it. */
async function startAedes(options: BrokerAuthOptions): Promise<ContractBroker> {
  const broker = await Aedes.createBroker({ ...brokerAuth(options) });
  const server = net.createServer({ noDelay: true }, broker.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

brokerAclContract('aedes + brokerAuth', () => startAedes({ secret: CONTRACT_SECRET }));
siteAclContract('aedes + brokerAuth', () => startAedes({ secret: CONTRACT_SECRET }));

describe('aedes + brokerAuth with provisioned devices and no secret', () => {
  const devices = new SqliteDeviceStore(openDatabase(':memory:'));
  let broker: ContractBroker;
  beforeAll(async () => {
    broker = await startAedes({ devices, controllerPassword: 'controller-password-1' });
  });
  afterAll(async () => broker.close());

  it('a provisioned device signs in with the password it was given, and not after it is removed', async () => {
    const provisioned = devices.provision({ kind: 'robot', id: 'acme/r7' });
    if (!provisioned.ok) throw new Error('not provisioned');
    const client = await connectAs(broker.url, 'acme/r7', provisioned.password);
    await client.endAsync();
    await expect(connectAs(broker.url, 'acme/r7', 'wrong')).rejects.toThrow(/Bad username or password/i);
    devices.delete('acme/r7');
    await expect(connectAs(broker.url, 'acme/r7', provisioned.password)).rejects.toThrow();
    const controller = await connectAs(broker.url, 'controller', 'controller-password-1');
    await controller.endAsync();
  });

  it('refuses a device that is not provisioned', async () => {
    await expect(connectAs(broker.url, 'acme/r8', 'any-password')).rejects.toThrow(/Bad username or password/i);
  });

  it('lets a device present any client id, its session bound to its login; the controller only controller or controller:…', async () => {
    const provisioned = devices.provision({ kind: 'robot', id: 'acme/r6' });
    if (!provisioned.ok) throw new Error('not provisioned');
    for (const clientId of ['acme/r6', 'acme/r6:bridge', '5d1f0c3a9b2e4f6a8c7d1e2', 'acme/r5', 'controller']) {
      const client = await connectAs(broker.url, 'acme/r6', provisioned.password, { clientId });
      await client.endAsync();
    }
    await expect(connectAs(broker.url, 'controller', 'controller-password-1', { clientId: 'acme/r6' })).rejects.toThrow(/Identifier rejected/i);
    await expect(connectAs(broker.url, 'controller', 'controller-password-1', { clientId: 'anything' })).rejects.toThrow(/Identifier rejected/i);
    // A wrong password is told as such, whatever the client id.
    await expect(connectAs(broker.url, 'acme/r6', 'wrong', { clientId: 'acme/r5' })).rejects.toThrow(/Bad username or password/i);
    const controller = await connectAs(broker.url, 'controller', 'controller-password-1', { clientId: 'controller:tests' });
    await controller.endAsync();
  });

  it('answers a refused subscription with SUBACK 0x80 and keeps the connection; drops it on a refused publish', async () => {
    const provisioned = devices.provision({ kind: 'drone', id: 'd9' });
    if (!provisioned.ok) throw new Error('not provisioned');
    const client = await connectAs(broker.url, 'd9', provisioned.password);
    expect((await client.subscribeAsync('isofleet/v1/drones/d9/mission', { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    // mqtt.js rejects a SUBACK with 0x80 in it, carrying the packet.
    const refused = await client.subscribeAsync('isofleet/v1/drones/+/mission', { qos: 1 }).catch((error: { packet?: { granted?: unknown[] } }) => error.packet?.granted);
    expect(refused).toEqual([128]);
    expect(client.connected).toBe(true);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('isofleet/v1/drones/d8/telemetry', 'x', { qos: 0 });
    await closed;
    client.end(true);
  });

  it('needs a controller password', () => {
    expect(() => brokerAuth({ devices })).toThrow(/controllerPassword or secret/);
  });
});

describe('aedes + brokerAuth of a site’s controller', () => {
  it('knows the site’s controller login and refuses the plain one, which would reach every site’s topics', async () => {
    const broker = await startAedes({ secret: CONTRACT_SECRET, site: 'site-a' });
    try {
      await expect(connectAs(broker.url, CONTROLLER_USERNAME, derivedDevicePassword(CONTRACT_SECRET, CONTROLLER_USERNAME))).rejects.toThrow(/Bad username or password/i);
      const controller = await connectAs(broker.url, siteUsername(CONTROLLER_USERNAME, 'site-a'), derivedDevicePassword(CONTRACT_SECRET, siteUsername(CONTROLLER_USERNAME, 'site-a')), {
        clientId: `${CONTROLLER_USERNAME}:site-a`,
      });
      // Its site's topics only: everything and another site's get SUBACK 0x80.
      await controller.subscribeAsync('uagv-site-a/#', { qos: 1 });
      for (const filter of ['#', 'uagv-site-b/#']) await expect(controller.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
      await controller.endAsync();
    } finally {
      await broker.close();
    }
  });
});

describe('aedes + brokerAuth with a device store still opening', () => {
  it('lets the controller in at once and keeps a device waiting until the store is there', async () => {
    let opened!: (devices: SqliteDeviceStore) => void;
    const broker = await startAedes({ devices: new Promise((resolve) => (opened = resolve)), controllerPassword: 'controller-password-2' });
    try {
      const controller = await connectAs(broker.url, 'controller', 'controller-password-2');
      const devices = new SqliteDeviceStore(openDatabase(':memory:'));
      const provisioned = devices.provision({ kind: 'drone', id: 'd5' });
      if (!provisioned.ok) throw new Error('not provisioned');
      let connected = false;
      const device = connectAs(broker.url, 'd5', provisioned.password).then((client) => {
        connected = true;
        return client;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(connected).toBe(false);
      opened(devices);
      await (await device).endAsync();
      await controller.endAsync();
    } finally {
      await broker.close();
    }
  });

  it('answers CONNACK 3 when the store fails', async () => {
    const broker = await startAedes({
      devices: {
        verify: () => {
          throw new Error('disk I/O error');
        },
      },
      controllerPassword: 'controller-password-3',
    });
    try {
      await expect(connectAs(broker.url, 'd5', 'any')).rejects.toThrow(/Server unavailable/i);
    } finally {
      await broker.close();
    }
  });
});
