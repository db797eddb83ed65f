import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMqtt } from '../common/index.js';
import type { ProvisionedDevice } from '../protocol/index.js';
import { waitFor } from '../sim/scenario.js';
import { brokerAuth } from './transport/broker-auth.js';
import { startEmbeddedBroker } from './transport/embedded-broker.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs a TypeScript entry point as its own process, with `env` over ours minus the broker and device settings. */
function run(script: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { MQTT_URL: _url, ISOFLEET_DEVICE_SECRET: _secret, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function stop(running: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  if (running.child.exitCode === null) running.child.kill('SIGTERM');
  await running.exited;
}

describe('npm run controller on the command line', () => {
  it('prints its usage for --help and refuses a flag, exit 2, without starting', async () => {
    // A port that is free, so a controller that ignored its arguments would start and print its line.
    const settings = { PORT: '0', HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_HOST: '127.0.0.1', ISOFLEET_DB: ':memory:', LOG_LEVEL: 'warn' };
    // Both at once: each loads the whole controller before reading its arguments (about 10 s on a busy machine).
    const help = run('controller/cli.ts', ['--help'], settings);
    const flag = run('controller/cli.ts', ['--port', '9000'], settings);
    const exitOrRunning = (started: typeof help) => Promise.race([started.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 45_000))]);
    const [helpCode, flagCode] = await Promise.all([exitOrRunning(help), exitOrRunning(flag)]);
    await Promise.all([stop(help), stop(flag)]);
    expect(helpCode).toBe(0);
    expect(help.output()).toMatch(/^usage: npm run controller/);
    expect(help.output()).not.toMatch(/controller on port/);
    expect(flagCode).toBe(2);
    expect(flag.output()).toMatch(/^controller: Unknown option '--port'/);
  }, 60_000);
});

// `npm run controller` with its embedded broker and no ISOFLEET_DEVICE_SECRET: only provisioned devices get in.
describe('npm run controller without a device secret', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-cli-'));
  let controller: ReturnType<typeof run>;
  let url = '';
  let mqttUrl = '';
  let headers: Record<string, string> = {};
  const provision = async (kind: 'robot' | 'drone', id: string) => {
    const reply = await fetch(`${url}/api/devices`, { method: 'POST', headers, body: JSON.stringify({ kind, id }) });
    expect(reply.status).toBe(201);
    return (await reply.json()) as ProvisionedDevice;
  };

  beforeAll(async () => {
    controller = run('controller/cli.ts', [], {
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      ISOFLEET_DB: path.join(dir, 'isofleet.db'),
      ISOFLEET_ADMIN_PASSWORD: 'cli-admin-password',
      LOG_LEVEL: 'warn',
    });
    await waitFor(() => /controller on port \d+, MQTT \S+/.test(controller.output()) || controller.child.exitCode !== null, 20_000, 'the controller listening');
    const match = /controller on port (\d+), MQTT (\S+)/.exec(controller.output());
    if (!match) throw new Error(`the controller did not start:\n${controller.output()}`);
    url = `http://127.0.0.1:${match[1]}`;
    mqttUrl = match[2]!;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'cli-admin-password' }),
    });
    headers = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
  });
  afterAll(async () => controller && stop(controller));

  it('its broker refuses anonymous clients and unprovisioned devices; a provisioned device gets in under any client id', async () => {
    await expect(connectMqtt(mqttUrl, { clientId: 'anonymous', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/);
    await expect(connectMqtt(mqttUrl, { clientId: 'isofleet/robot-9', reconnectPeriod: 0, username: 'isofleet/robot-9', password: 'guess' })).rejects.toThrow(/Bad username or password/);
    const robot = await provision('robot', 'isofleet/robot-8');
    for (const clientId of ['robot-8', robot.id]) {
      const client = await connectMqtt(mqttUrl, { clientId, reconnectPeriod: 0, username: robot.id, password: robot.password });
      await client.endAsync();
    }
  });

  it('npm run sim --credentials joins with the provisioned devices’ passwords', async () => {
    const robot = await provision('robot', 'isofleet/robot-1');
    const drone = await provision('drone', 'drone-1');
    const file = path.join(dir, 'credentials.json');
    writeFileSync(file, JSON.stringify({ [robot.id]: robot.password, [drone.id]: drone.password }));
    const sim = run('sim/cli.ts', ['--broker', mqttUrl, '--robots', '1', '--drones', '1', '--credentials', file]);
    try {
      const online = async (route: string, id: string) =>
        ((await (await fetch(`${url}${route}`, { headers })).json()) as { id: string; online: boolean }[]).some((d) => d.id === id && d.online);
      const bothIn = async () => (await online('/api/robots', 'robot-1')) && (await online('/api/drones', 'drone-1'));
      await waitFor(async () => sim.child.exitCode !== null || (await bothIn()), 20_000, 'the simulated robot and drone online');
      expect(await bothIn(), sim.output()).toBe(true);
    } finally {
      await stop(sim);
    }
  });

  it('npm run sim names what is wrong with a credentials file, and the devices it lacks', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 'isofleet/robot-1': 42 }));
    const badRun = run('sim/cli.ts', ['--broker', mqttUrl, '--robots', '1', '--credentials', bad]);
    expect(await badRun.exited).toBe(1);
    expect(badRun.output()).toContain(`--credentials ${bad}: isofleet/robot-1: Invalid input: expected string, received number`);

    const short = path.join(dir, 'short.json');
    writeFileSync(short, JSON.stringify({ 'isofleet/robot-1': 'pw' }));
    const shortRun = run('sim/cli.ts', ['--broker', mqttUrl, '--robots', '2', '--credentials', short]);
    expect(await shortRun.exited).toBe(1);
    expect(shortRun.output()).toContain('no password for isofleet/robot-2');
  });
});

// A site's own broker (here an embedded one with logins, standing in for Mosquitto with its files).
describe('npm run controller on a broker of the site', () => {
  it('logs in with ISOFLEET_CONTROLLER_PASSWORD, no shared device secret needed', async () => {
    const broker = await startEmbeddedBroker({ port: 0, host: '127.0.0.1', auth: brokerAuth({ controllerPassword: 'site-controller-password' }) });
    const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-cli-'));
    const env = { PORT: '0', HOST: '127.0.0.1', MQTT_URL: broker.url, ISOFLEET_DB: path.join(dir, 'isofleet.db'), ISOFLEET_ADMIN_PASSWORD: 'cli-admin-password', LOG_LEVEL: 'warn' };
    try {
      const wrong = run('controller/cli.ts', [], { ...env, ISOFLEET_CONTROLLER_PASSWORD: 'not-the-password' });
      expect(await wrong.exited).not.toBe(0);
      const right = run('controller/cli.ts', [], { ...env, ISOFLEET_CONTROLLER_PASSWORD: 'site-controller-password' });
      await waitFor(() => /controller on port \d+/.test(right.output()) || right.child.exitCode !== null, 20_000, 'the controller listening');
      expect(right.output()).toMatch(/controller on port \d+/);
      await stop(right);
    } finally {
      await broker.close();
    }
  }, 60_000);
});
