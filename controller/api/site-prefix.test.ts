import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Server as SocketIoServer } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../dashboard/serve.js';
import { docsUnderSitePath, otherSiteRoutes, pathBaseOf, siteHttpOptions, socketIoUnderSitePath } from './site-prefix.js';
import { replyWithFieldPaths } from './validation-errors.js';

/** index.html as Vite writes it with a relative base. */
const BUILT_INDEX = '<head><script type="module" crossorigin src="./assets/index-abc.js"></script><link rel="modulepreload" crossorigin href="./assets/lit-def.js"></head>';

describe('the dashboard and routes under a site’s path', () => {
  let root: string;
  let app: FastifyInstance;
  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'isofleet-dist-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), BUILT_INDEX);
    writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'export {};');
    app = Fastify(siteHttpOptions('hotel-a'));
    replyWithFieldPaths(app);
    app.get('/api/robots', async () => [{ id: 'robot-1' }]);
    app.get('/metrics', async () => 'isofleet_devices_online 1');
    app.get('/ip', async (request) => request.ip);
    app.get('/api/docs', async () => 'docs');
    docsUnderSitePath(app, 'hotel-a');
    await app.register(otherSiteRoutes, { site: 'hotel-a' });
    await app.register(dashboardRoutes, { root, pathBase: pathBaseOf });
  });
  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const assetLinks = async (url: string) => [...(await app.inject({ url })).body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

  it('serves index.html with its asset links under the base it was asked for, at any depth', async () => {
    expect(await assetLinks('/')).toEqual(['/assets/index-abc.js', '/assets/lit-def.js']);
    expect(await assetLinks('/kiosk/robot-1')).toEqual(['/assets/index-abc.js', '/assets/lit-def.js']);
    expect(await assetLinks('/sites/hotel-a/')).toEqual(['/sites/hotel-a/assets/index-abc.js', '/sites/hotel-a/assets/lit-def.js']);
    expect(await assetLinks('/sites/hotel-a')).toEqual(['/sites/hotel-a/assets/index-abc.js', '/sites/hotel-a/assets/lit-def.js']);
    expect(await assetLinks('/sites/hotel-a/kiosk/robot-1')).toEqual(['/sites/hotel-a/assets/index-abc.js', '/sites/hotel-a/assets/lit-def.js']);
    expect((await app.inject({ url: '/sites/hotel-a/' })).headers['cache-control']).toBe('no-cache');
  });

  it('serves the hashed assets and the API under the site’s path as at the root, the assets cached for a year', async () => {
    for (const url of ['/assets/index-abc.js', '/sites/hotel-a/assets/index-abc.js']) {
      const reply = await app.inject({ url });
      expect([reply.statusCode, reply.body, reply.headers['cache-control']]).toEqual([200, 'export {};', 'public, max-age=31536000, immutable']);
    }
    expect((await app.inject({ url: '/sites/hotel-a/api/robots' })).json()).toEqual([{ id: 'robot-1' }]);
  });

  it('refuses another site’s path with a 404 naming both sites, whatever the method', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const reply = await app.inject({ method, url: '/sites/hotel-b/api/robots?x=1' });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toEqual({
        error: 'Not Found',
        message: 'this controller serves site "hotel-a" (/sites/hotel-a/), not "hotel-b": /sites/hotel-b/api/robots belongs to that site\'s controller',
      });
    }
    // Only the whole id: hotel-ab is not hotel-a.
    expect((await app.inject({ url: '/sites/hotel-ab/' })).json<{ message: string }>().message).toContain('not "hotel-ab"');
  });

  it('serves the own site’s path with its name percent-encoded, as the proxy matched it', async () => {
    const reply = await app.inject({ url: '/sites/hotel%2Da/api/robots' });
    expect([reply.statusCode, reply.json()]).toEqual([200, [{ id: 'robot-1' }]]);
    expect(await assetLinks('/sites/hotel%2Da/kiosk/robot-1')).toEqual(['/sites/hotel-a/assets/index-abc.js', '/sites/hotel-a/assets/lit-def.js']);
  });

  it('says in words that /sites/ names no site', async () => {
    for (const url of ['/sites/', '/sites//api/robots']) {
      const reply = await app.inject({ url });
      expect([url, reply.statusCode, reply.json<{ message: string }>().message]).toEqual([
        url,
        404,
        `${url} names no site: this controller serves site "hotel-a" (/sites/hotel-a/); a site's pages are under /sites/{site}/`,
      ]);
    }
  });

  it('keeps /metrics at the root only: the reverse proxy passing the site’s path on does not publish it', async () => {
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    for (const url of ['/sites/hotel-a/metrics', '/sites/hotel-a/metrics?name[]=x']) {
      const reply = await app.inject({ url });
      expect([url, reply.statusCode]).toEqual([url, 404]);
      expect(reply.json<{ message: string }>().message).toBe(
        "/sites/hotel-a/metrics is not served under the site's path: Prometheus reads /metrics on the controller's own port, on the site's network",
      );
    }
  });

  it('takes the client’s address from X-Forwarded-For only from the proxy on this machine', async () => {
    const ip = async (remoteAddress: string, forwarded?: string) =>
      (await app.inject({ url: '/sites/hotel-a/ip', remoteAddress, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} })).body;
    expect(await ip('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('::1', '10.1.2.3, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ip('127.0.0.1')).toBe('127.0.0.1');
    // A client elsewhere cannot name another address.
    expect(await ip('198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
  });

  it('sends the API documentation under the site’s path to its address with the last slash', async () => {
    for (const [url, location] of [
      ['/sites/hotel-a/api/docs', '/sites/hotel-a/api/docs/'],
      ['/sites/hotel-a/api/docs?x=1', '/sites/hotel-a/api/docs/?x=1'],
    ]) {
      const reply = await app.inject({ url });
      expect([url, reply.statusCode, reply.headers.location]).toEqual([url, 301, location]);
    }
    expect((await app.inject({ url: '/api/docs' })).body).toBe('docs');
  });

  it('answers 503 "not built" when index.html is gone at the request (a build emptying the folder)', async () => {
    rmSync(path.join(root, 'index.html'));
    const reply = await app.inject({ url: '/sites/hotel-a/' });
    expect(reply.statusCode).toBe(503);
    expect(reply.body).toContain('npm run build');
  });
});

describe('socket.io under a site’s path', () => {
  let server: HttpServer;
  let io: SocketIoServer;
  let base: string;
  beforeEach(async () => {
    server = createServer();
    io = new SocketIoServer(server);
    socketIoUnderSitePath(server, 'hotel-a');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await io.close();
  });

  /** A WebSocket upgrade to `path`: the HTTP answer instead of the upgrade, or 'upgraded', or the error that ended it. */
  const upgrade = (path: string) =>
    new Promise<{ status: number; body: string } | string>((resolve) => {
      const request = httpRequest(`${base}${path}`, {
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      request.on('upgrade', (_response, socket) => {
        socket.destroy();
        resolve('upgraded');
      });
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', (error) => resolve(error.message));
      request.end();
    });

  it('upgrades a WebSocket under the own site’s path, its name as written or percent-encoded', async () => {
    expect(await upgrade('/sites/hotel-a/socket.io/?EIO=4&transport=websocket')).toBe('upgraded');
    expect(await upgrade('/sites/hotel%2Da/socket.io/?EIO=4&transport=websocket')).toBe('upgraded');
  });

  it('refuses a WebSocket upgrade under another site’s path with a 404 naming both sites, before socket.io gives up on it', async () => {
    const started = performance.now();
    const answer = await upgrade('/sites/hotel-b/socket.io/?EIO=4&transport=websocket');
    // engine.io ends a socket it does not answer after 1 s (destroyUpgradeTimeout), without a word.
    expect(performance.now() - started).toBeLessThan(900);
    expect(answer).toEqual({
      status: 404,
      body: JSON.stringify({
        error: 'Not Found',
        message: 'this controller serves site "hotel-a" (/sites/hotel-a/), not "hotel-b": /sites/hotel-b/socket.io/ belongs to that site\'s controller',
      }),
    });
  });
});
