import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS, toolPresent } from '../../test-support/tools.js';
import { openDatabase } from '../storage/database.js';
import { brokerAclContract, connectAs, CONTRACT_DEVICES, CONTRACT_SECRET, type ContractBroker } from './broker-acl-contract.test-support.js';
import { SqliteDeviceStore } from './device-store.js';
import { CONTRACT_SITES, siteAclContract } from './site-acl-contract.test-support.js';
import { buildMosquittoUsers, mosquittoConfLines, writeMosquittoFiles } from './mosquitto-files.js';

const MOSQUITTO = TOOLS.mosquitto.path;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited ${child.exitCode}: ${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`mosquitto not listening on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A real Mosquitto with the files we write, on a free port: of one site alone, or (`sites`) of
 * several sites sharing the broker, each site's users written as `npm run mosquitto-files -- --site`
 * writes them and put together.
 */
async function startMosquitto(devices?: SqliteDeviceStore, sites: readonly (string | undefined)[] = [undefined]): Promise<ContractBroker> {
  const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-mosquitto-'));
  const users = sites.flatMap((site) => {
    const built = buildMosquittoUsers({ env: { ISOFLEET_DEVICE_SECRET: CONTRACT_SECRET }, devices, ...CONTRACT_DEVICES, ...(site ? { site } : {}) });
    if (!built.ok) throw new Error(built.errors.join('; '));
    return built.users;
  });
  const files = writeMosquittoFiles(dir, users);
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      // What `npm run mosquitto-files` tells a site to put in its mosquitto.conf.
      ...mosquittoConfLines(files),
      'persistence false',
      // As root, mosquitto would switch to the user 'mosquitto', who cannot read a 0600 file of ours.
      `user ${userInfo().username}`,
      'log_dest stderr',
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await untilListening(port, child, () => log);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe.skipIf(!toolPresent('mosquitto'))('Mosquitto with the files isofleet writes', () => {
  brokerAclContract('mosquitto + mosquitto-files', () => startMosquitto());
  siteAclContract('mosquitto + mosquitto-files', () => startMosquitto(undefined, CONTRACT_SITES));

  describe('provisioned devices', () => {
    const devices = new SqliteDeviceStore(openDatabase(':memory:'));
    const provisioned = devices.provision({ kind: 'robot', id: 'acme/r9' });
    let broker: ContractBroker;
    beforeAll(async () => {
      broker = await startMosquitto(devices);
    });
    afterAll(async () => broker.close());

    it('a device provisioned through the store signs in with the password it was given', async () => {
      if (!provisioned.ok) throw new Error('not provisioned');
      const client = await connectAs(broker.url, 'acme/r9', provisioned.password);
      await client.publishAsync('uagv/v2/acme/r9/state', '{}', { qos: 1 });
      await client.endAsync();
      await expect(connectAs(broker.url, 'acme/r9', 'wrong')).rejects.toThrow();
    });
  });
});
