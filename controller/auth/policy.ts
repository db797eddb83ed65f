/**
 * Who may call which `/api` route: one table, read top to bottom, first match wins.
 *
 * Routes are matched by their Fastify pattern as registered (`/api/trips/:id`), not by the raw
 * URL, so encoded or odd paths cannot slip past a rule. A route no rule names falls to the
 * defaults at the bottom: reading is open to every signed-in user; changing is admin-only
 * (fail closed), so a new mutating route stays admin-only until a rule here opens it.
 */
import type { Role } from '../../protocol/index.js';

/** The HTTP methods a rule names; `HEAD` is checked as `GET`. `*` is any method. */
export type PolicyMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*';

/** Who a rule lets through: anybody (no token), any signed-in user, or the listed roles. */
export type Allow = 'public' | 'signedIn' | readonly Role[];

/** One line of the table. */
export interface AccessRule {
  method: PolicyMethod;
  /** A Fastify route pattern (`/api/trips/:id`); a trailing `*` matches every pattern with that prefix. */
  route: string;
  allow: Allow;
  /** Why, for the reader and the audit. */
  why: string;
}

const MEDIC: readonly Role[] = ['medic', 'admin'];
const OPERATOR: readonly Role[] = ['operator', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

/** The isofleet access policy. */
export const ACCESS_POLICY: readonly AccessRule[] = [
  { method: 'POST', route: '/api/auth/login', allow: 'public', why: 'signing in needs no token (rate-limited instead)' },
  { method: '*', route: '/api/auth/*', allow: 'signedIn', why: 'logout, who am I, change my own password' },
  { method: 'GET', route: '/api/docs', allow: 'public', why: 'the OpenAPI page: the API’s shape, no data; a browser cannot send a bearer token to open it' },
  { method: 'GET', route: '/api/docs/*', allow: 'public', why: 'the OpenAPI page’s JSON, YAML and assets' },

  { method: '*', route: '/api/users', allow: ADMIN, why: 'users and roles are the admin’s, listing included' },
  { method: '*', route: '/api/users/*', allow: ADMIN, why: 'users and roles are the admin’s' },
  { method: '*', route: '/api/devices', allow: ADMIN, why: 'device credentials are the admin’s, listing included' },
  { method: '*', route: '/api/devices/*', allow: ADMIN, why: 'device credentials are the admin’s' },
  { method: 'GET', route: '/api/sites', allow: ADMIN, why: 'the district’s list of sites and their fleets is the admin’s' },

  { method: 'POST', route: '/api/trips', allow: MEDIC, why: 'the medic sends robots' },
  { method: 'POST', route: '/api/trips/:id/trays/:tray/loaded', allow: MEDIC, why: 'the medic confirms each tray' },
  { method: 'POST', route: '/api/rounds', allow: MEDIC, why: 'the medic plans meal rounds' },
  { method: 'POST', route: '/api/rounds/:id/urgent', allow: MEDIC, why: 'the medic adds urgent medicine' },
  { method: 'POST', route: '/api/trips/:id/replan', allow: MEDIC, why: 'the medic sends the rooms of a robot that dropped out with other robots' },
  { method: 'PUT', route: '/api/doors/:room/mute', allow: MEDIC, why: 'the medic knows of a visit or a resident allowed out: mutes the room’s door alert' },
  { method: 'PUT', route: '/api/settings', allow: ADMIN, why: 'the announcement language is the site’s, one for every robot: not a tablet’s screen language' },
  {
    method: 'POST',
    route: '/api/ways/:way/robot-removed',
    allow: MEDIC,
    why: 'staff on the floor carried a dead robot out of a single-width way: the medic on duty (or the admin) frees the way for the robots waiting',
  },
  { method: 'POST', route: '/api/alerts/:id/ack', allow: ['medic', 'operator', 'admin'], why: 'whoever is on duty acknowledges' },

  { method: 'POST', route: '/api/missions', allow: OPERATOR, why: 'the operator plans drone missions; a medic cannot' },
  { method: 'POST', route: '/api/missions/:id/*', allow: OPERATOR, why: 'clear, launch, pause, resume, return-home, abort: the operator’s' },
  { method: 'POST', route: '/api/broadcasts', allow: OPERATOR, why: 'the operator plans broadcast flights along a queue of cars' },
  { method: 'POST', route: '/api/broadcasts/:id/*', allow: OPERATOR, why: 'launch, abort: the operator’s' },
  { method: 'POST', route: '/api/broadcasts/audio', allow: OPERATOR, why: 'the operator uploads the recording a broadcast plays' },
  {
    method: 'GET',
    route: '/api/broadcasts/audio/:id',
    allow: 'public',
    why: 'the drone’s payload fetches the recording without a token; the id is the file’s SHA-256, unguessable without the file',
  },

  { method: '*', route: '/api/sim/*', allow: ADMIN, why: 'simulator control changes the world (`GET /api/sim` is a read, below)' },

  // Defaults. Reading: every signed-in user, viewer included. Anything else: admin only.
  { method: 'GET', route: '/api/*', allow: 'signedIn', why: 'every role may look' },
  { method: '*', route: '/api/*', allow: ADMIN, why: 'fail closed: a change no rule names is admin-only' },
];

function routeMatches(pattern: string, route: string): boolean {
  return pattern.endsWith('*') ? route.startsWith(pattern.slice(0, -1)) : pattern === route;
}

/**
 * The first rule that matches `method` on `route` (a Fastify pattern, or the bare path when no
 * route matched); `undefined` for paths outside `/api`, which the table does not govern.
 */
export function ruleFor(policy: readonly AccessRule[], method: string, route: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method.toUpperCase();
  return policy.find((rule) => (rule.method === '*' || rule.method === m) && routeMatches(rule.route, route));
}

/** What the policy answers for a request: let it through, 401 (who are you?) or 403 (not you). */
export type Decision = { ok: true } | { ok: false; status: 401 | 403 };

/** Decides one request given the signed-in user's role, if any. */
export function decide(policy: readonly AccessRule[], method: string, route: string, role: Role | undefined): Decision {
  // Outside the table's reach (not /api): a path the table cannot place is admin-only.
  const allow = ruleFor(policy, method, route)?.allow ?? ADMIN;
  if (allow === 'public') return { ok: true };
  if (role === undefined) return { ok: false, status: 401 };
  if (allow === 'signedIn' || allow.includes(role)) return { ok: true };
  return { ok: false, status: 403 };
}
