import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fieldsRefusal, refusal } from '../refusal.js';
import { REFUSAL_STATUS, refusalBody, sendRefusal } from './refusal-reply.js';

describe('refusal reply', () => {
  it('names the field in the message and the issues when a path is given, and leaves issues out otherwise', () => {
    expect(refusalBody(refusal('invalid', 'unknown room 999', 'body.trays.0.room'))).toEqual({
      error: 'Bad Request',
      message: 'body.trays.0.room: unknown room 999',
      issues: [{ path: 'body.trays.0.room', message: 'unknown room 999' }],
    });
    expect(refusalBody(refusal('conflict', 'robot r1 is offline'))).toEqual({ error: 'Conflict', message: 'robot r1 is offline' });
  });

  it('keeps every field of a refusal naming several, joined in the message', () => {
    const issues = [
      { path: 'body.zones.features.0', message: 'self-intersecting' },
      { path: 'body.zones.features.2', message: 'out of reach' },
    ];
    expect(refusalBody(fieldsRefusal('unprocessable', issues))).toEqual({
      error: 'Unprocessable Entity',
      message: 'body.zones.features.0: self-intersecting; body.zones.features.2: out of reach',
      issues,
    });
  });

  it('answers each kind with its status, and Retry-After when told', async () => {
    expect(REFUSAL_STATUS).toEqual({ invalid: 400, unauthorized: 401, forbidden: 403, notFound: 404, conflict: 409, unprocessable: 422, tooMany: 429, unavailable: 503 });
    const app = Fastify();
    app.get('/nope', async (_request, reply) => sendRefusal(reply, refusal('notFound', 'no trip t9')));
    app.get('/slow', async (_request, reply) => sendRefusal(reply, refusal('tooMany', 'try again in 30 s'), 30));
    const nope = await app.inject('/nope');
    expect([nope.statusCode, nope.json()]).toEqual([404, { error: 'Not Found', message: 'no trip t9' }]);
    const slow = await app.inject('/slow');
    expect([slow.statusCode, slow.headers['retry-after']]).toEqual([429, '30']);
    await app.close();
  });
});
