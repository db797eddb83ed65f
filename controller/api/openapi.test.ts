/**
 * The API's OpenAPI document against the routes the demo actually registers (Fastify's own route
 * table): every `/api` route listed with a tag, its path parameters, its request body and a
 * response schema; the bearer scheme on every operation but sign-in, usable as "Try it out"
 * uses it; no page of the dashboard listed as an operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../apps/demo/demo.js';
import { API_DOCS_PATH } from './openapi.js';

interface Operation {
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApi {
  tags: { name: string }[];
  security: unknown[];
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, Operation>>;
}

/** Operations that take no body: actions named by their path. */
const NO_BODY = [
  'POST /api/auth/logout',
  'POST /api/trips/:id/trays/:tray/loaded',
  'POST /api/trips/:id/replan',
  'POST /api/alerts/:id/ack',
  ...['clear', 'launch', 'pause', 'resume', 'return-home', 'abort', 'take-control'].map((a) => `POST /api/missions/:id/${a}`),
  ...['launch', 'abort'].map((a) => `POST /api/broadcasts/:id/${a}`),
];
/** Operations whose body or answer is a file, not JSON: a broadcast's recording, up and down. */
const FILE_BODY = ['POST /api/broadcasts/audio'];
const FILE_RESPONSE = ['GET /api/broadcasts/audio/:id'];

/** `[METHOD, /path/:param]` of every route in Fastify's route tree (`printRoutes`), HEAD left out. */
function registeredRoutes(tree: string): [string, string][] {
  const out: [string, string][] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push([method, stack.join('')]);
  }
  return out;
}

describe('API docs', () => {
  let demo: Demo;
  let doc: OpenApi;
  beforeAll(async () => {
    demo = await startDemo({ port: 0, mqttPort: 0, host: '127.0.0.1', speed: 10, robots: 1, autoTrips: false, adminPassword: 'docs-admin-password' });
    // The document itself needs no token (a browser opening the page cannot send one).
    const response = await fetch(new URL(`${API_DOCS_PATH}/json`, demo.url));
    expect(response.status).toBe(200);
    doc = (await response.json()) as OpenApi;
  }, 60_000);
  afterAll(async () => demo?.stop());

  it(`serves the page at ${API_DOCS_PATH}`, async () => {
    const page = await fetch(new URL(`${API_DOCS_PATH}/`, demo.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('lists every registered /api route with its tag, path parameters, request body and response schema', () => {
    const routes = registeredRoutes(demo.app.printRoutes({ commonPrefix: false })).filter(([, path]) => path.startsWith('/api/') && !path.startsWith(API_DOCS_PATH));
    // Sign-in, users and devices (registered before the others) among them, and the simulation's own routes.
    expect(routes.map(([m, p]) => `${m} ${p}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'GET /api/users', 'POST /api/users', 'DELETE /api/devices/:id', 'GET /api/robots', 'POST /api/missions', 'PUT /api/sim/speed']),
    );
    const tags = doc.tags.map((t) => t.name);
    const problems: string[] = [];
    for (const [method, path] of routes) {
      const name = `${method} ${path}`;
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!op) {
        problems.push(`${name}: not listed`);
        continue;
      }
      if (op.tags?.length !== 1 || !tags.includes(op.tags[0]!)) problems.push(`${name}: tag ${JSON.stringify(op.tags)}`);
      for (const param of path.match(/:(\w+)/g) ?? []) if (!op.parameters?.some((p) => p.in === 'path' && p.name === param.slice(1))) problems.push(`${name}: no ${param}`);
      const takesBody = (method === 'POST' || method === 'PUT') && !NO_BODY.includes(name) && !FILE_BODY.includes(name);
      if (takesBody !== !!op.requestBody?.content['application/json']?.schema) problems.push(`${name}: request body ${op.requestBody ? 'listed' : 'missing'}`);
      const ok = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
      if (!FILE_RESPONSE.includes(name) && (!ok.length || !ok.every(([code, r]) => code === '204' || r.content?.['application/json']?.schema))) problems.push(`${name}: no response schema`);
    }
    expect(problems).toEqual([]);
  });

  it('has the bearer scheme on every operation but sign-in, and a token used as "Try it out" sends it is accepted', async () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const open = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).flatMap(([method, op]) => (op.security?.length === 0 ? [`${method.toUpperCase()} ${path}`] : [])));
    expect(open).toEqual(['POST /api/auth/login', 'GET /api/broadcasts/audio/{id}']);

    const login = await fetch(new URL('/api/auth/login', demo.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'docs-admin-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    expect((await fetch(new URL('/api/users', demo.url))).status).toBe(401);
    expect((await fetch(new URL('/api/users', demo.url), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("describes each round room's ETA in the rounds' answers", () => {
    type Schema = { properties?: Record<string, Schema>; items?: Schema; type?: string | string[]; description?: string; anyOf?: Schema[] };
    const round = doc.paths['/api/rounds/{id}']!.get!.responses['200']!.content!['application/json']!.schema as Schema;
    const eta = round.properties!.rooms!.items!.properties!.etaMs!;
    expect(eta.description).toMatch(/predicted/);
    expect(JSON.stringify(eta)).toMatch(/integer/);
  });

  it('lists no page or file of the dashboard, only /api operations', () => {
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') || p.startsWith(API_DOCS_PATH))).toEqual([]);
  });
});
