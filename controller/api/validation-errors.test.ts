import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frameworkErrors, replyWithFieldPaths } from './validation-errors.js';

async function app() {
  const app = Fastify({ bodyLimit: 64, frameworkErrors });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  replyWithFieldPaths(app);
  app.post('/api/rooms', { schema: { body: z.object({ room: z.string().min(1) }) } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('refusals answered in one shape', () => {
  it('names the field of a bad body, and the body when it is not JSON', async () => {
    const api = await app();
    const bad = await api.inject({ method: 'POST', url: '/api/rooms', payload: { room: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'Bad Request', issues: [{ path: 'body.room' }] });
    const notJson = await api.inject({ method: 'POST', url: '/api/rooms', headers: { 'content-type': 'application/json' }, payload: '{"room":' });
    expect([notJson.statusCode, notJson.json().error, notJson.json().message]).toEqual([400, 'Bad Request', expect.stringMatching(/^body: /)]);
    await api.close();
  });

  it('answers an unknown path, a body over the limit and an unread content type with the status name and why', async () => {
    const api = await app();
    const missing = await api.inject({ method: 'GET', url: '/api/nowhere?x=1' });
    expect([missing.statusCode, missing.json()]).toEqual([404, { error: 'Not Found', message: 'no route GET /api/nowhere' }]);
    const large = await api.inject({ method: 'POST', url: '/api/rooms', payload: { room: 'x'.repeat(100) } });
    expect([large.statusCode, Object.keys(large.json()).sort(), large.json().error]).toEqual([413, ['error', 'message'], 'Payload Too Large']);
    const text = await api.inject({ method: 'POST', url: '/api/rooms', headers: { 'content-type': 'text/csv' }, payload: 'room\n101' });
    expect([text.statusCode, Object.keys(text.json()).sort(), text.json().error]).toEqual([415, ['error', 'message'], 'Unsupported Media Type']);
    await api.close();
  });

  it('says how large a body may be and which content types a route reads', async () => {
    const api = await app();
    const large = await api.inject({ method: 'POST', url: '/api/rooms', payload: { room: 'x'.repeat(100) } });
    expect(large.json().message).toBe('the body is larger than the 64 bytes this route accepts');
    const text = await api.inject({ method: 'POST', url: '/api/rooms', headers: { 'content-type': 'text/csv' }, payload: 'room\n101' });
    expect(text.json().message).toBe('Content-Type text/csv is not read here: send application/json');
    const none = await api.inject({ method: 'POST', url: '/api/rooms', headers: { 'content-type': '' }, payload: 'room' });
    expect([none.statusCode, none.json().message]).toEqual([415, 'Content-Type none is not read here: send application/json']);
    await api.close();
  });

  it('answers a path that is not valid percent-encoding in the same shape', async () => {
    const api = await app();
    const bad = await api.inject({ method: 'GET', url: '/api/rounds/%ZZ?x=1' });
    expect([bad.statusCode, bad.json()]).toEqual([
      400,
      {
        error: 'Bad Request',
        message: 'url: /api/rounds/%ZZ is not a valid URL (a % not followed by two hex digits of UTF-8)',
        issues: [{ path: 'url', message: '/api/rounds/%ZZ is not a valid URL (a % not followed by two hex digits of UTF-8)' }],
      },
    ]);
    await api.close();
  });
});
