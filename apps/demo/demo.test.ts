import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { vdaTopic } from '../../protocol/index.js';
import { waitFor } from '../../sim/scenario.js';
import { derivedCredentials } from '../../controller/auth/index.js';
import { startDemo, type Demo } from './demo.js';

// The demo always runs its own embedded broker with device logins (not MQTT_URL).
describe('the demo (npm start)', () => {
  const secret = 'demo-test-device-secret';
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo({ port: 0, mqttPort: 0, host: '127.0.0.1', robots: 2, drones: 2, autoTrips: false, adminPassword: 'demo-admin-password', deviceSecret: secret });
  });
  afterAll(async () => demo?.stop());

  it('signs every device in to the broker and keeps everyone else out', async () => {
    // The simulated robots and drones got in with their derived passwords.
    await waitFor(() => demo.app.fleet.list().filter((r) => r.online).length === 2, 10_000, 'robots online');
    await waitFor(() => demo.app.missions.drones.views().filter((d) => d.online).length === 2, 10_000, 'drones online');

    await expect(connectMqtt(demo.mqttUrl, { clientId: 'anonymous', reconnectPeriod: 0 })).rejects.toThrow();
    await expect(connectMqtt(demo.mqttUrl, { clientId: 'liar', reconnectPeriod: 0, username: 'isofleet/robot-1', password: 'guess' })).rejects.toThrow();

    // A device may present a client id of its own choosing (its session is bound to its login);
    // the controller's login may not present a device's.
    const chosen = await connectMqtt(demo.mqttUrl, { clientId: 'robot-3-chosen-id', reconnectPeriod: 0, ...derivedCredentials(secret)('isofleet/robot-3') });
    await chosen.endAsync(true);
    await expect(connectMqtt(demo.mqttUrl, { clientId: 'isofleet/robot-1', reconnectPeriod: 0, ...derivedCredentials(secret)('controller') })).rejects.toThrow(/Identifier rejected/);

    // robot-3 (no simulated robot, so theirs stay undisturbed) may speak for itself only: a state it forges for robot-2 never reaches the controller.
    const robot3 = await connectMqtt(demo.mqttUrl, { clientId: 'isofleet/robot-3', reconnectPeriod: 0, ...derivedCredentials(secret)('isofleet/robot-3') });
    const before = demo.app.fleet.lastState('robot-2');
    // QoS 0: aedes answers a forbidden publish by dropping the connection, so no PUBACK would come.
    // A valid state, so only the broker's refusal keeps it from the controller.
    const forged = { ...before!, headerId: 999_999, batteryState: { batteryCharge: 1, charging: false } };
    robot3.publish(vdaTopic({ manufacturer: 'isofleet', serialNumber: 'robot-2' }, 'state'), JSON.stringify(forged), { qos: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(demo.app.fleet.lastState('robot-2')?.batteryState.batteryCharge).not.toBe(1);
    await robot3.endAsync(true);
  });

  it('guards the API: 401 without a token, in with the admin password', async () => {
    expect((await fetch(new URL('/api/robots', demo.url))).status).toBe(401);
    const login = await fetch(new URL('/api/auth/login', demo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-admin-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(new URL('/api/robots', demo.url), { headers })).status).toBe(200);

    // The audit log names the signed-in user for what they did.
    const sent = await fetch(new URL('/api/trips', demo.url), { method: 'POST', headers, body: JSON.stringify({ robot: 'robot-1', trays: [{ tray: 1, room: '101' }] }) });
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    const audit = (await (await fetch(new URL(`/api/audit?subject=${encodeURIComponent(`trip ${id}`)}`, demo.url), { headers })).json()) as { actor: string; action: string }[];
    expect(audit).toEqual([expect.objectContaining({ actor: 'admin', action: 'tripSent' })]);
  });

  it('lets a device the admin provisions in with the password it was given', async () => {
    const login = await fetch(new URL('/api/auth/login', demo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-admin-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const provisioned = await fetch(new URL('/api/devices', demo.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'robot', id: 'isofleet/robot-8' }),
    });
    expect(provisioned.status).toBe(201);
    const { username, password } = (await provisioned.json()) as { username: string; password: string };
    const robot8 = await connectMqtt(demo.mqttUrl, { clientId: 'robot-8-own-id', reconnectPeriod: 0, username, password });
    await robot8.endAsync(true);
    await expect(connectMqtt(demo.mqttUrl, { clientId: 'robot-8-own-id', reconnectPeriod: 0, username, password: `${password}x` })).rejects.toThrow();
  });
});

describe('a second demo on a port in use', () => {
  it('stops before it opens the database the first one writes', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const databaseFile = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-demo-')), 'demo.db');
    try {
      await expect(startDemo({ port, mqttPort: 0, host: '127.0.0.1', robots: 1, drones: 1, autoTrips: false, databaseFile })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
      expect(existsSync(databaseFile)).toBe(false);
    } finally {
      busy.close();
    }
  });
});
