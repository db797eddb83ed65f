/**
 * The role × route matrix: every /api route isofleet has, every role, against the real policy
 * table and installAuth, on an app whose routes are registered as encapsulated plugins the way
 * the controller's are. The expected roles are written here by hand, not read from the policy.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../protocol/index.js';
import { openDatabase } from '../storage/database.js';
import { installAuth } from './auth-plugin.js';
import { ACCESS_POLICY, ruleFor } from './policy.js';
import { SqliteSessionStore } from './session-store.js';
import { SqliteUserStore } from './user-store.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** [method, route pattern, a URL for it, who may: V viewer, M medic, O operator, A admin, * anybody]. */
const MATRIX: [Method, string, string, string][] = [
  ['POST', '/api/auth/login', '/api/auth/login', '*'],
  ['POST', '/api/auth/logout', '/api/auth/logout', 'VMOA'],
  ['GET', '/api/auth/me', '/api/auth/me', 'VMOA'],
  ['PUT', '/api/auth/password', '/api/auth/password', 'VMOA'],
  ['GET', '/api/docs', '/api/docs', '*'],
  ['GET', '/api/docs/json', '/api/docs/json', '*'],
  ['GET', '/api/docs/static/*', '/api/docs/static/index.css', '*'],
  ['POST', '/api/docs/json', '/api/docs/json', 'A'],
  ['GET', '/api/users', '/api/users', 'A'],
  ['POST', '/api/users', '/api/users', 'A'],
  ['PUT', '/api/users/:name/password', '/api/users/nurse1/password', 'A'],
  ['DELETE', '/api/users/:name', '/api/users/nurse1', 'A'],
  ['GET', '/api/devices', '/api/devices', 'A'],
  ['POST', '/api/devices', '/api/devices', 'A'],
  ['DELETE', '/api/devices/:id', '/api/devices/acme%2Fr1', 'A'],
  ['GET', '/api/sites', '/api/sites', 'A'],
  ['GET', '/api/site', '/api/site', 'VMOA'],
  ['GET', '/api/site/map', '/api/site/map', 'VMOA'],
  ['GET', '/api/robots', '/api/robots', 'VMOA'],
  ['GET', '/api/trips', '/api/trips', 'VMOA'],
  ['GET', '/api/lifts', '/api/lifts', 'VMOA'],
  ['POST', '/api/trips', '/api/trips', 'MA'],
  ['GET', '/api/trips/:id', '/api/trips/t1', 'VMOA'],
  ['POST', '/api/trips/:id/trays/:tray/loaded', '/api/trips/t1/trays/2/loaded', 'MA'],
  ['GET', '/api/rounds', '/api/rounds', 'VMOA'],
  ['POST', '/api/rounds', '/api/rounds', 'MA'],
  ['GET', '/api/rounds/:id', '/api/rounds/r1', 'VMOA'],
  ['POST', '/api/rounds/:id/urgent', '/api/rounds/r1/urgent', 'MA'],
  ['POST', '/api/trips/:id/replan', '/api/trips/t1/replan', 'MA'],
  ['GET', '/api/alerts', '/api/alerts', 'VMOA'],
  ['POST', '/api/ways/:way/robot-removed', '/api/ways/G-tunnel/robot-removed', 'MA'],
  ['POST', '/api/alerts/:id/ack', '/api/alerts/a1/ack', 'MOA'],
  ['GET', '/api/settings', '/api/settings', 'VMOA'],
  ['PUT', '/api/settings', '/api/settings', 'A'],
  ['GET', '/api/doors', '/api/doors', 'VMOA'],
  ['PUT', '/api/doors/:room/mute', '/api/doors/305/mute', 'MA'],
  ['GET', '/api/missions', '/api/missions', 'VMOA'],
  ['POST', '/api/missions', '/api/missions', 'OA'],
  ['GET', '/api/missions/:id', '/api/missions/m1', 'VMOA'],
  ['GET', '/api/missions/:id/coverage', '/api/missions/m1/coverage', 'VMOA'],
  ['GET', '/api/missions/:id/plan', '/api/missions/m1/plan', 'VMOA'],
  ...(['clear', 'launch', 'pause', 'resume', 'return-home', 'abort'] as const).map(
    (action) => ['POST', `/api/missions/:id/${action}`, `/api/missions/m1/${action}`, 'OA'] as [Method, string, string, string],
  ),
  ['POST', '/api/broadcasts', '/api/broadcasts', 'OA'],
  ['GET', '/api/broadcasts/:id', '/api/broadcasts/b1', 'VMOA'],
  ['POST', '/api/broadcasts/:id/launch', '/api/broadcasts/b1/launch', 'OA'],
  ['POST', '/api/broadcasts/:id/abort', '/api/broadcasts/b1/abort', 'OA'],
  ['POST', '/api/broadcasts/audio', '/api/broadcasts/audio', 'OA'],
  ['GET', '/api/broadcasts/audio/:id', `/api/broadcasts/audio/${'a'.repeat(64)}`, '*'],
  ['GET', '/api/drones', '/api/drones', 'VMOA'],
  ['GET', '/api/sim', '/api/sim', 'VMOA'],
  ['PUT', '/api/sim/speed', '/api/sim/speed', 'A'],
  ['PUT', '/api/sim/medic', '/api/sim/medic', 'A'],
  ['POST', '/api/sim/faults', '/api/sim/faults', 'A'],
  ['POST', '/api/sim/rounds', '/api/sim/rounds', 'A'],
  // Routes no rule names: reads are open, changes fail closed.
  ['GET', '/api/future/:id', '/api/future/1', 'VMOA'],
  ['POST', '/api/future/:id', '/api/future/1', 'A'],
  ['DELETE', '/api/trips/:id', '/api/trips/t1', 'A'],
  ['PUT', '/api/alerts/:id', '/api/alerts/a1', 'A'],
];
const LETTER: Record<Role, string> = { viewer: 'V', medic: 'M', operator: 'O', admin: 'A' };

describe('role × route matrix', () => {
  let app: FastifyInstance;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    const db = openDatabase(':memory:');
    const users = new SqliteUserStore(db, { scrypt: { N: 2 ** 10, r: 8, p: 1 } });
    const sessions = new SqliteSessionStore(db);
    for (const role of ROLES) {
      await users.create({ username: `${role}1`, password: 'a password of some length', role });
      tokens.set(role, sessions.issue(`${role}1`).token);
    }
    app = Fastify();
    installAuth(app, { sessions, policy: ACCESS_POLICY });
    // One encapsulated plugin per area, as controller/api registers them.
    const areas = new Map<string, [Method, string][]>();
    for (const [method, pattern] of MATRIX) {
      const area = pattern.split('/')[2]!;
      areas.set(area, [...(areas.get(area) ?? []), [method, pattern]]);
    }
    for (const routes of areas.values()) {
      const plugin: FastifyPluginAsync = async (scope) => {
        for (const [method, url] of routes) scope.route({ method, url, handler: async () => ({ ok: true }) });
      };
      await app.register(plugin);
    }
    app.get('/', async () => 'dashboard');
    await app.ready();
  });
  afterAll(async () => app.close());

  it.each(MATRIX)('%s %s', async (method, _pattern, url, who) => {
    const results: string[] = [];
    const expected: string[] = [];
    const call = async (token?: string) =>
      (await app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: method === 'GET' ? undefined : {} })).statusCode;
    results.push(`none ${await call()}`);
    expected.push(`none ${who === '*' ? 200 : 401}`);
    results.push(`bad token ${await call('x'.repeat(43))}`);
    expected.push(`bad token ${who === '*' ? 200 : 401}`);
    for (const role of ROLES) {
      results.push(`${role} ${await call(tokens.get(role))}`);
      expected.push(`${role} ${who === '*' || who.includes(LETTER[role]) ? 200 : 403}`);
    }
    expect(results).toEqual(expected);
  });

  it('covers every rule of the policy table', () => {
    const used = new Set(MATRIX.map(([method, pattern]) => ruleFor(ACCESS_POLICY, method, pattern)));
    expect(ACCESS_POLICY.filter((rule) => !used.has(rule)).map((r) => `${r.method} ${r.route}`)).toEqual([]);
  });

  it('HEAD counts as GET; an unknown /api path asks for a token first, then is 404', async () => {
    expect((await app.inject({ method: 'HEAD', url: '/api/robots' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'HEAD', url: '/api/robots', headers: { authorization: `Bearer ${tokens.get('viewer')}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { authorization: `Bearer ${tokens.get('viewer')}` } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/nothing-here', headers: { authorization: `Bearer ${tokens.get('medic')}` } })).statusCode).toBe(403);
  });

  it('names the role and the route it may not use, with the article English gives it', async () => {
    const refusal = async (role: Role) => (await app.inject({ method: 'PUT', url: '/api/settings', headers: { authorization: `Bearer ${tokens.get(role)}` }, payload: {} })).json();
    expect(await refusal('operator')).toEqual({ error: 'Forbidden', message: 'an operator may not PUT /api/settings' });
    expect(await refusal('medic')).toEqual({ error: 'Forbidden', message: 'a medic may not PUT /api/settings' });
  });

  it('leaves paths outside /api alone, and judges odd spellings of /api paths by their route', async () => {
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    const medic = { authorization: `Bearer ${tokens.get('medic')}` };
    expect((await app.inject({ method: 'POST', url: '/api/missions/m1/launch?x=1', headers: medic })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/missions/m%31/launch', headers: medic })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/missions/m1/launch', headers: { authorization: `bearer  ${tokens.get('operator')}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/robots', headers: { authorization: `Basic ${tokens.get('admin')}` } })).statusCode).toBe(401);
  });
});
