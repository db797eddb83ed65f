import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server as SocketServer } from 'socket.io';
import { io as socketClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../protocol/index.js';
import { replyWithFieldPaths } from '../api/validation-errors.js';
import { openDatabase } from '../storage/database.js';
import { installAuth, socketAuthMiddleware, watchSocketSessions } from './auth-plugin.js';
import { authRoutes } from './auth-routes.js';
import { SqliteDeviceStore } from './device-store.js';
import { LoginRateLimiter } from './login-rate-limit.js';
import { SqliteSessionStore } from './session-store.js';
import { ensureFirstAdmin, SqliteUserStore } from './user-store.js';

const CHEAP = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => ({ id: 0 }),
    clearTimeout: () => {},
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('sign-in, users and devices over HTTP', () => {
  const clock = manualClock();
  const db = openDatabase(':memory:');
  const users = new SqliteUserStore(db, CHEAP);
  const sessions = new SqliteSessionStore(db, { clock, ttlMs: 3600_000 });
  const devices = new SqliteDeviceStore(db);
  const logLines: string[] = [];
  const secrets: string[] = [];
  let app: FastifyInstance;
  let adminToken: string;

  const login = async (username: string, password: string, ip = '10.0.0.1') => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const logStream = new Writable({
      write: (chunk, _enc, done) => {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = Fastify({ logger: { level: 'trace', stream: logStream } }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    replyWithFieldPaths(app);
    installAuth(app, { sessions });
    await app.register(authRoutes, { users, sessions, devices, limiter: new LoginRateLimiter({ clock }) });
    app.get('/api/robots', async () => []);
    const first = await ensureFirstAdmin(users, {});
    if (!first.created || !first.generatedPassword) throw new Error('no first admin');
    secrets.push(first.generatedPassword);
    const reply = await login('admin', first.generatedPassword);
    expect(reply.statusCode).toBe(200);
    adminToken = reply.json().token;
    secrets.push(adminToken);
  });
  afterAll(async () => app.close());

  it('logs in, answers who I am, and logs out for good', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: as(adminToken), payload: { username: 'nurse1', password: 'nurse password 1', role: 'medic' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ username: 'nurse1', role: 'medic', createdAt: expect.any(String) });
    secrets.push('nurse password 1');
    const reply = await login('nurse1', 'nurse password 1');
    expect(reply.statusCode).toBe(200);
    const { token, role, expiresAt } = reply.json();
    secrets.push(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(role).toBe('medic');
    expect(Date.parse(expiresAt)).toBe(clock.now() + 3600_000);
    expect((await app.inject({ url: '/api/auth/me', headers: as(token) })).json()).toMatchObject({ username: 'nurse1', role: 'medic' });
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(token) })).statusCode).toBe(204);
    const after = await app.inject({ url: '/api/robots', headers: as(token) });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await login('admin', 'not the password', '10.0.0.9');
    const unknown = await login('nobody', 'not the password', '10.0.0.9');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('limits failed logins: the 6th in a minute is 429 with Retry-After, even with the right password', async () => {
    await users.create({ username: 'op1', password: 'operator password', role: 'operator' });
    secrets.push('operator password');
    for (let i = 0; i < 5; i++) expect((await login('op1', `guess ${i}`, '10.0.0.2')).statusCode).toBe(401);
    const blocked = await login('op1', 'operator password', '10.0.0.2');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address, or the same one a minute later, may try again.
    expect((await login('op1', 'operator password', '10.0.0.3')).statusCode).toBe(200);
    clock.advance(60_001);
    expect((await login('op1', 'operator password', '10.0.0.2')).statusCode).toBe(200);
  });

  it('ends sessions when they expire', async () => {
    const { token } = (await login('op1', 'operator password', '10.0.0.4')).json();
    secrets.push(token);
    expect((await app.inject({ url: '/api/robots', headers: as(token) })).statusCode).toBe(200);
    clock.advance(3600_000 - 1);
    expect((await app.inject({ url: '/api/robots', headers: as(token) })).statusCode).toBe(200);
    clock.advance(1);
    expect((await app.inject({ url: '/api/robots', headers: as(token) })).statusCode).toBe(401);
    adminToken = (await login('admin', secrets[0]!)).json().token;
    secrets.push(adminToken);
  });

  it('a password change ends the user’s other sessions; deleting a user ends all of them', async () => {
    await users.create({ username: 'viewer1', password: 'viewer password', role: 'viewer' });
    const a = (await login('viewer1', 'viewer password')).json().token;
    const b = (await login('viewer1', 'viewer password')).json().token;
    secrets.push(a, b, 'viewer password', 'viewer password 2');
    const change = await app.inject({ method: 'PUT', url: '/api/auth/password', headers: as(a), payload: { currentPassword: 'viewer password', newPassword: 'viewer password 2' } });
    expect(change.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/robots', headers: as(a) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/robots', headers: as(b) })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/api/users/viewer1', headers: as(adminToken) })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/robots', headers: as(a) })).statusCode).toBe(401);
  });

  it('keeps the last admin, refuses duplicates and names the bad field', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/api/users/admin', headers: as(adminToken) })).statusCode).toBe(409);
    const dup = await app.inject({ method: 'POST', url: '/api/users', headers: as(adminToken), payload: { username: 'op1', password: 'some password 1', role: 'viewer' } });
    expect(dup.statusCode).toBe(409);
    const bad = await app.inject({ method: 'POST', url: '/api/users', headers: as(adminToken), payload: { username: 'Bad Name', password: 'short', role: 'king' } });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['body.password', 'body.role', 'body.username']);
    expect(bad.json().message).not.toContain('short');
    expect((await app.inject({ url: '/api/users', headers: as(adminToken) })).json().map((u: { username: string }) => u.username)).toEqual(['admin', 'nurse1', 'op1']);
  });

  it('provisions a device once, lists it without its password, and removes it by its encoded id', async () => {
    const reply = await app.inject({ method: 'POST', url: '/api/devices', headers: as(adminToken), payload: { kind: 'robot', id: 'acme/r1' } });
    expect(reply.statusCode).toBe(201);
    const device = reply.json();
    secrets.push(device.password);
    expect(device).toMatchObject({ kind: 'robot', id: 'acme/r1', username: 'acme/r1' });
    expect(devices.verify('acme/r1', device.password)).toBeDefined();
    expect((await app.inject({ method: 'POST', url: '/api/devices', headers: as(adminToken), payload: { kind: 'robot', id: 'acme/r1' } })).statusCode).toBe(409);
    const list = await app.inject({ url: '/api/devices', headers: as(adminToken) });
    expect(list.body).not.toContain(device.password);
    const wrongKind = await app.inject({ method: 'POST', url: '/api/devices', headers: as(adminToken), payload: { kind: 'drone', id: 'acme/r2' } });
    expect(wrongKind.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/devices', headers: as(adminToken), payload: { kind: 'drone', id: 'controller' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'DELETE', url: '/api/devices/acme%2Fr1', headers: as(adminToken) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/devices/acme%2Fr1', headers: as(adminToken) })).statusCode).toBe(404);
  });

  it('socket.io: connects with a live token (auth or header), refuses others', async () => {
    const server = createServer();
    const io = new SocketServer(server);
    io.use(socketAuthMiddleware(sessions));
    io.on('connection', (socket) => socket.emit('hello', socket.data.auth.username));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const attempt = (options: Parameters<typeof socketClient>[1]) =>
      new Promise<string>((resolve) => {
        const socket = socketClient(url, { transports: ['websocket'], reconnection: false, ...options });
        socket.on('hello', (name: string) => {
          socket.close();
          resolve(`hello ${name}`);
        });
        socket.on('connect_error', (error) => {
          socket.close();
          resolve(`refused ${error.message}`);
        });
      });
    try {
      expect(await attempt({ auth: { token: adminToken } })).toBe('hello admin');
      expect(await attempt({ extraHeaders: { authorization: `Bearer ${adminToken}` } })).toBe('hello admin');
      expect(await attempt({})).toBe('refused unauthorized');
      expect(await attempt({ auth: { token: 'y'.repeat(43) } })).toBe('refused unauthorized');
      // A live socket is dropped once its session ends.
      const { token } = sessions.issue('nurse1');
      const stopWatching = watchSocketSessions(io, sessions, 20);
      const live = socketClient(url, { transports: ['websocket'], reconnection: false, auth: { token } });
      await new Promise<void>((resolve) => live.on('connect', () => resolve()));
      const dropped = new Promise<string>((resolve) => live.on('disconnect', (reason) => resolve(reason)));
      sessions.revoke(token);
      expect(await dropped).toBe('io server disconnect');
      stopWatching();
    } finally {
      await new Promise<void>((resolve) => io.close(() => resolve()));
    }
  });

  it('never logs a password or a token, but does log who signed in', () => {
    const log = logLines.join('');
    expect(log).toContain('"msg":"login"');
    expect(log).toContain('"msg":"login failed"');
    for (const secret of secrets) expect(log.includes(secret), `a secret of ${secret.length} characters is in the log`).toBe(false);
    // An unknown username may be a password typed into the wrong field: not logged either.
    expect(log).not.toContain('nobody');
  });
});

describe('the first admin', () => {
  it('comes from ISOFLEET_ADMIN_PASSWORD, or is generated and returned once', async () => {
    const configured = new SqliteUserStore(openDatabase(':memory:'), CHEAP);
    expect(await ensureFirstAdmin(configured, { ISOFLEET_ADMIN_PASSWORD: 'configured admin pw' })).toEqual({ created: true, username: 'admin' });
    expect(await configured.verify('admin', 'configured admin pw')).toMatchObject({ role: 'admin' });
    expect(await ensureFirstAdmin(configured, {})).toEqual({ created: false });

    const generated = new SqliteUserStore(openDatabase(':memory:'), CHEAP);
    const result = await ensureFirstAdmin(generated, { ISOFLEET_ADMIN_USER: 'chief' });
    if (!result.created || !result.generatedPassword) throw new Error('not generated');
    expect(result.username).toBe('chief');
    expect(result.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await generated.verify('chief', result.generatedPassword)).toBeDefined();

    await expect(ensureFirstAdmin(new SqliteUserStore(openDatabase(':memory:'), CHEAP), { ISOFLEET_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/at least 10/);
  });
});
