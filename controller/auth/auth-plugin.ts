import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Server as SocketServer, Socket } from 'socket.io';
import { refusal } from '../refusal.js';
import { sendRefusal } from '../api/refusal-reply.js';
import { ACCESS_POLICY, decide, type AccessRule } from './policy.js';
import type { AuthUser, SessionStore } from './session-store.js';
import { systemClock, type Clock } from '../../protocol/index.js';

/** The signed-in user of a request, and the token it came with (for logout; never log it). */
export interface RequestAuth extends AuthUser {
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by {@link installAuth} when the request carries a valid bearer token. */
    auth?: RequestAuth;
  }
}

/** Options of {@link installAuth}. */
export interface InstallAuthOptions {
  sessions: SessionStore;
  /** The access table; default {@link ACCESS_POLICY}. */
  policy?: readonly AccessRule[];
}

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

/** The token of an `Authorization: Bearer TOKEN` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Guards every `/api` route on the root instance: the bearer token must name a live session
 * (else 401 with `WWW-Authenticate: Bearer`) and the policy must let the user's role through
 * (else 403). Paths outside `/api` (the dashboard, `/docs`) pass; socket.io has
 * {@link socketAuthMiddleware}. Call it on the root instance before `ready`: Fastify resolves
 * root hooks at `ready`, so the hook covers route plugins registered before and after it (checked
 * by hand; calling it first, right after creating the app, is clearest).
 *
 * The policy is applied to the matched route pattern (`/api/trips/:id`); a request that
 * matches no route is judged by its path, so an unknown `/api` path answers 401 before 404.
 */
export function installAuth(app: FastifyInstance, options: InstallAuthOptions): void {
  const policy = options.policy ?? ACCESS_POLICY;
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const pattern = request.routeOptions.url;
    // A catch-all route (`/*`) serving an /api path is still judged as /api.
    const route = pattern !== undefined && isApi(pattern) ? pattern : path;
    if (!isApi(route)) return;
    const token = bearerToken(request.headers.authorization);
    const user = token === undefined ? undefined : options.sessions.resolve(token);
    if (user && token) request.auth = { ...user, token };
    const decision = decide(policy, request.method, route, user?.role);
    if (decision.ok) return;
    if (decision.status === 401) {
      reply.header('WWW-Authenticate', 'Bearer');
      return sendRefusal(reply, refusal('unauthorized', token === undefined ? 'sign in: send Authorization: Bearer TOKEN' : 'the token is unknown or expired'));
    }
    const role = user?.role ?? 'user';
    return sendRefusal(reply, refusal('forbidden', `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} may not ${request.method} ${route}`));
  });
}

/** The signed-in user of a request the policy let through as signed-in; throws when there is none (a policy bug). */
export function signedIn(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new Error(`${request.method} ${request.routeOptions.url} needs a signed-in user; check the access policy`);
  return request.auth;
}

/** Who the audit log names for a request: the signed-in user, or `api` where sign-in is off (tests, tools). */
export function actorOf(request: FastifyRequest): string {
  return request.auth?.username ?? 'api';
}

/** What {@link socketAuthMiddleware} puts in `socket.data` (the token for {@link watchSocketSessions}; never log it). */
export interface SocketAuthData {
  auth: AuthUser;
  token: string;
}

/**
 * socket.io middleware (`io.use(socketAuthMiddleware(sessions))`): a connection needs a live
 * session's token in `socket.handshake.auth.token` (the browser client's `auth` option) or an
 * `Authorization: Bearer` header; the user goes to `socket.data.auth`. Every role may watch.
 * Refused connections get a `connect_error` whose message is `unauthorized`.
 */
export function socketAuthMiddleware(sessions: SessionStore): (socket: Socket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof fromAuth === 'string' ? fromAuth : bearerToken(socket.handshake.headers.authorization);
    const user = token === undefined ? undefined : sessions.resolve(token);
    if (!user) return next(new Error('unauthorized'));
    Object.assign(socket.data as SocketAuthData, { auth: user, token });
    next();
  };
}

/**
 * Disconnects live sockets whose session has ended (logout, expiry, password change, user
 * deleted), checking every `everyMs` of `clock` (default 30 s; give it the session store's clock);
 * the dashboard then reconnects and is asked to sign in. Returns the teardown.
 */
export function watchSocketSessions(io: SocketServer, sessions: SessionStore, everyMs = 30_000, clock: Clock = systemClock): () => void {
  const sweep = () => {
    for (const socket of io.sockets.sockets.values()) {
      const { token } = socket.data as Partial<SocketAuthData>;
      if (token === undefined || !sessions.resolve(token)) socket.disconnect(true);
    }
    timer = clock.setTimeout(sweep, everyMs);
  };
  let timer = clock.setTimeout(sweep, everyMs);
  return () => clock.clearTimeout(timer);
}
