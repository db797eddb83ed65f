import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changePasswordBodySchema,
  createUserBodySchema,
  deviceSchema,
  loginBodySchema,
  loginReplySchema,
  provisionDeviceBodySchema,
  provisionedDeviceSchema,
  resetPasswordBodySchema,
  sessionSchema,
  userSchema,
} from '../../protocol/index.js';
import { refusalBodySchema, sendRefusal } from '../api/refusal-reply.js';
import { refusal } from '../refusal.js';
import { signedIn } from './auth-plugin.js';
import type { DeviceStore } from './device-credentials.js';
import { LoginRateLimiter } from './login-rate-limit.js';
import type { SessionStore } from './session-store.js';
import type { UserStore } from './user-store.js';

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions {
  users: UserStore;
  sessions: SessionStore;
  devices: DeviceStore;
  /** Failed-login limits; default 5 a minute per username and address, 30 per address. */
  limiter?: LoginRateLimiter;
}

/**
 * Sign-in and the admin's users and devices, as one encapsulated plugin: `POST /api/auth/login`,
 * `POST /api/auth/logout`, `GET /api/auth/me`, `PUT /api/auth/password`, `GET/POST /api/users`,
 * `PUT /api/users/:name/password`, `DELETE /api/users/:name`, `GET/POST /api/devices`,
 * `DELETE /api/devices/:id` (a robot's id has a `/`: send it as `%2F`). Who may call what is
 * {@link installAuth}'s business; these handlers assume it ran.
 *
 * Logs name users but never a password or token; a failed login with an unknown username logs
 * no username (people type passwords into the username field).
 */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, options) => {
  const { users, sessions, devices } = options;
  const limiter = options.limiter ?? new LoginRateLimiter();
  const session = (s: { username: string; role: string; expiresAtMs: number }) => ({
    username: s.username,
    role: s.role as z.infer<typeof sessionSchema>['role'],
    expiresAt: new Date(s.expiresAtMs).toISOString(),
  });
  const tooMany = (reply: FastifyReply, retryAfterS: number) => sendRefusal(reply, refusal('tooMany', `too many failed attempts; try again in ${retryAfterS} s`), retryAfterS);

  app.post('/api/auth/login', { schema: { body: loginBodySchema, response: { 200: loginReplySchema, 401: refusalBodySchema, 429: refusalBodySchema } } }, async (request, reply) => {
    const { username, password } = request.body;
    const rate = limiter.check(username, request.ip);
    if (!rate.ok) {
      request.log.warn({ ip: request.ip }, 'login refused: rate limit');
      return tooMany(reply, rate.retryAfterS);
    }
    const user = await users.verify(username, password);
    if (!user) {
      limiter.fail(username, request.ip);
      request.log.warn({ username: users.findByName(username) ? username : undefined, ip: request.ip }, 'login failed');
      return sendRefusal(reply, refusal('unauthorized', 'wrong username or password'));
    }
    limiter.succeed(username, request.ip);
    const { token, expiresAtMs } = sessions.issue(user.username);
    request.log.info({ username: user.username, role: user.role }, 'login');
    return { token, ...session({ ...user, expiresAtMs }) };
  });

  app.post('/api/auth/logout', { schema: { response: { 204: z.null() } } }, async (request, reply) => {
    const auth = signedIn(request);
    sessions.revoke(auth.token);
    request.log.info({ username: auth.username }, 'logout');
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', { schema: { response: { 200: sessionSchema } } }, async (request) => session(signedIn(request)));

  app.put(
    '/api/auth/password',
    { schema: { body: changePasswordBodySchema, response: { 204: z.null(), 400: refusalBodySchema, 401: refusalBodySchema, 429: refusalBodySchema } } },
    async (request, reply) => {
      const auth = signedIn(request);
      const rate = limiter.check(auth.username, request.ip);
      if (!rate.ok) return tooMany(reply, rate.retryAfterS);
      if (!(await users.verify(auth.username, request.body.currentPassword))) {
        limiter.fail(auth.username, request.ip);
        return sendRefusal(reply, refusal('unauthorized', 'wrong current password'));
      }
      await users.setPassword(auth.username, request.body.newPassword);
      sessions.revokeUser(auth.username, auth.token);
      request.log.info({ username: auth.username }, 'password changed; other sessions ended');
      return reply.code(204).send(null);
    },
  );

  const nameParams = z.object({ name: z.string() });
  app.get('/api/users', { schema: { response: { 200: z.array(userSchema) } } }, async () => users.list());
  app.post('/api/users', { schema: { body: createUserBodySchema, response: { 201: userSchema, 400: refusalBodySchema, 409: refusalBodySchema } } }, async (request, reply) => {
    const result = await users.create(request.body);
    if (!result.ok) return sendRefusal(reply, refusal('conflict', `user ${request.body.username} exists`));
    request.log.info({ by: signedIn(request).username, username: request.body.username, role: request.body.role }, 'user created');
    return reply.code(201).send(users.findByName(request.body.username)!);
  });
  app.put(
    '/api/users/:name/password',
    { schema: { params: nameParams, body: resetPasswordBodySchema, response: { 204: z.null(), 400: refusalBodySchema, 404: refusalBodySchema } } },
    async (request, reply) => {
      const result = await users.setPassword(request.params.name, request.body.password);
      if (!result.ok) return sendRefusal(reply, refusal('notFound', `no user ${request.params.name}`));
      sessions.revokeUser(request.params.name);
      request.log.info({ by: signedIn(request).username, username: request.params.name }, 'password reset; sessions ended');
      return reply.code(204).send(null);
    },
  );
  app.delete('/api/users/:name', { schema: { params: nameParams, response: { 204: z.null(), 404: refusalBodySchema, 409: refusalBodySchema } } }, async (request, reply) => {
    const { name } = request.params;
    const result = users.delete(name);
    if (!result.ok && result.reason === 'lastAdmin') return sendRefusal(reply, refusal('conflict', `${name} is the last admin`));
    if (!result.ok) return sendRefusal(reply, refusal('notFound', `no user ${name}`));
    sessions.revokeUser(name);
    request.log.info({ by: signedIn(request).username, username: name }, 'user deleted');
    return reply.code(204).send(null);
  });

  app.get('/api/devices', { schema: { response: { 200: z.array(deviceSchema) } } }, async () => devices.list());
  app.post(
    '/api/devices',
    { schema: { body: provisionDeviceBodySchema, response: { 201: provisionedDeviceSchema, 400: refusalBodySchema, 409: refusalBodySchema } } },
    async (request, reply) => {
      const result = devices.provision(request.body);
      if (!result.ok) return sendRefusal(reply, refusal('conflict', `device ${request.body.id} exists`));
      request.log.info({ by: signedIn(request).username, device: result.device.id, kind: result.device.kind }, 'device provisioned');
      return reply.code(201).send({ ...result.device, password: result.password });
    },
  );
  app.delete('/api/devices/:id', { schema: { params: z.object({ id: z.string() }), response: { 204: z.null(), 404: refusalBodySchema } } }, async (request, reply) => {
    if (!devices.delete(request.params.id)) return sendRefusal(reply, refusal('notFound', `no device ${request.params.id}`));
    request.log.info({ by: signedIn(request).username, device: request.params.id }, 'device removed');
    return reply.code(204).send(null);
  });
};
