/**
 * For tests and the benchmark until the controller serves the dashboard itself: a small
 * Fastify server with `dashboardRoutes` that forwards `/api` and `/socket.io` (WebSocket
 * upgrades included) to a running controller.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { dashboardRoutes } from '../serve.js';

export interface DashboardServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const forwarded = (url: string | undefined) => !!url && (url.startsWith('/api/') || url === '/api' || url.startsWith('/socket.io'));

/** Serves `dist` (or `root`) on a free port; `/api` and `/socket.io` go to `backend` (e.g. the demo's url), if given. */
export async function startDashboardServer(options: { backend?: string; root?: string } = {}): Promise<DashboardServer> {
  const target = options.backend ? new URL(options.backend) : undefined;
  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(
      { host: target!.hostname, port: target!.port, method: req.method, path: req.url, headers: { ...req.headers, host: target!.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`backend: ${error.message}`);
    });
    req.pipe(upstream);
  };
  const app = Fastify({
    logger: false,
    serverFactory: (handler) => {
      const server = createServer((req, res) => (target && forwarded(req.url) ? proxy(req, res) : handler(req, res)));
      server.on('upgrade', (req, socket, head) => {
        if (!target || !forwarded(req.url)) return socket.destroy();
        const upstream = connect(Number(target.port), target.hostname, () => {
          const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
          for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
          upstream.write(lines.join('\r\n') + '\r\n\r\n');
          if (head.length) upstream.write(head);
          upstream.pipe(socket).pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
      return server;
    },
  });
  await app.register(dashboardRoutes, { root: options.root });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    app,
    close: async () => {
      app.server.closeAllConnections?.();
      await app.close();
    },
  };
}
