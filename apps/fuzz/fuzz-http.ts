import type { FastifyInstance } from 'fastify';
import { malformedPayloads } from './malformed.js';

/** What one HTTP fuzz run came to. */
export interface HttpFuzzResult {
  cases: number;
  /** Refused with a 4xx and a message naming the reason. */
  rejected: number;
  /** Accepted (a generated body that happens to be valid). */
  accepted: number;
  /** 5xx answers, or 4xx without a reason: each one a bug. */
  failures: { method: string; url: string; status: number; body: string }[];
}

const SAMPLE_BODY = {
  robot: 'robot-1',
  trays: [{ tray: 1, room: '101', item: 'lunch' }],
  rooms: [{ room: '101', priority: 'meal' }],
  room: '101',
  language: 'zh',
  speed: 10,
  mode: 'auto',
  target: 'robot-1',
  fault: 'stuck',
};

/** Options of {@link fuzzHttp}. */
export interface HttpFuzzOptions {
  /**
   * A valid body per route path (`/api/missions`): its requests break one field of it at a time,
   * so most pass the schema's shape and reach the route's own logic (the planner, the round
   * manager), where an unexpected throw would be a 500. Other routes get the shared sample.
   */
  samples?: Record<string, object>;
  /** Sent with every request: `authorization: Bearer …` to fuzz with sign-in on. */
  headers?: Record<string, string>;
}

/**
 * Sends every API route the OpenAPI document lists `perRoute` malformed requests (bodies, path
 * parameters) through `app.inject`. Nothing may answer 5xx; every refusal must say why.
 */
export async function fuzzHttp(app: FastifyInstance, perRoute: number, seed: number, options: HttpFuzzOptions = {}): Promise<HttpFuzzResult> {
  const doc = (await app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
  const result: HttpFuzzResult = { cases: 0, rejected: 0, accepted: 0, failures: [] };
  const shared = malformedPayloads(SAMPLE_BODY, perRoute, seed);
  const own = new Map(Object.entries(options.samples ?? {}).map(([path, sample]) => [path, malformedPayloads(sample, perRoute, seed)]));
  const params = malformedPayloads({ id: 'x' }, perRoute, seed + 1).map((p) => encodeURIComponent(p.slice(0, 40)) || 'x');
  // The API, not the dashboard's files (answered 503 until it is built) nor the docs page; and
  // not sign-out when the run signs its requests: any body ends the session, and every route
  // after it would only answer 401.
  const signedIn = !!options.headers?.authorization;
  const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/') && !path.startsWith('/api/docs') && !(signedIn && path === '/api/auth/logout'));
  for (const [path, methods] of routes) {
    for (const method of Object.keys(methods)) {
      for (let i = 0; i < perRoute; i++) {
        const url = path.replace(/\{[^}]+\}/g, () => params[i]!);
        const bodies = own.get(path) ?? shared;
        const reply = await app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          headers: { ...options.headers, ...(method === 'get' || method === 'delete' ? {} : { 'content-type': 'application/json' }) },
          ...(method === 'get' || method === 'delete' ? {} : { payload: bodies[i]! }),
        });
        result.cases++;
        const reason = (() => {
          try {
            return (reply.json() as { message?: string }).message;
          } catch {
            return undefined;
          }
        })();
        if (reply.statusCode >= 500 || (reply.statusCode >= 400 && !reason)) {
          result.failures.push({ method, url, status: reply.statusCode, body: reply.body.slice(0, 200) });
        } else if (reply.statusCode >= 400) result.rejected++;
        else result.accepted++;
      }
    }
  }
  return result;
}
