import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { broadcastSummarySchema, createBroadcastBodySchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import { refusalBodySchema, sendRefusal } from '../api/refusal-reply.js';
import { refusal } from '../refusal.js';
import { AUDIO_TYPES, AudioStore, audioType, MAX_AUDIO_BYTES } from './audio-store.js';
import type { BroadcastManager } from './broadcast-manager.js';

const idParams = z.object({ id: z.string() });
const planSchema = z.looseObject({ type: z.literal('FeatureCollection') });

const audioParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex') });
const audioReply = z.object({ url: z.string(), durationS: z.number(), type: z.enum(AUDIO_TYPES), bytes: z.number().int() });

/**
 * Broadcast missions over HTTP: `POST/GET /api/broadcasts` (plan a road, message and QR, and
 * assign a speaker drone), `GET /api/broadcasts/:id`, `GET /api/broadcasts/:id/plan` (the road
 * file and the plan's stops and sorties as GeoJSON), `POST /api/broadcasts/:id/{launch,abort}`;
 * `POST /api/broadcasts/audio` (the recording as the body, `Content-Type` audio/mpeg, audio/wav or
 * audio/ogg, at most 10 MB and 600 s: 201 `{url, durationS, type, bytes}`, the message's `url`
 * and `durationS`; 415 another type, 413 too big, 400 unreadable or too long) and
 * `GET /api/broadcasts/audio/:id` (the file, for the drone's payload: no token, the id is the
 * file's SHA-256).
 */
export const broadcastRoutes: FastifyPluginAsyncZod<{ manager: BroadcastManager; audio?: AudioStore }> = async (app, { manager, audio = new AudioStore() }) => {
  await app.register(async (raw) => {
    // The recording is the body as it is, whatever its type: the route names a wrong one.
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_AUDIO_BYTES }, (_request, body, done) => done(null, body));
    raw.withTypeProvider<ZodTypeProvider>().post(
      '/api/broadcasts/audio',
      {
        bodyLimit: MAX_AUDIO_BYTES,
        schema: {
          description: `A broadcast's recording as the request body (Content-Type ${AUDIO_TYPES.join(', ')}; at most 10 MB and 600 s): answers the URL the drone's payload fetches and the length read from the file, for the message's url and durationS.`,
          response: { 201: audioReply, 400: refusalBodySchema, 415: refusalBodySchema },
        },
      },
      async (request, reply) => {
        const type = audioType(request.headers['content-type']);
        if (!type)
          return reply
            .code(415)
            .send({ error: 'Unsupported Media Type', message: `Content-Type: ${request.headers['content-type'] ?? 'none'} is not a recording the drone plays (${AUDIO_TYPES.join(', ')})` });
        const body = request.body;
        if (!Buffer.isBuffer(body)) return sendRefusal(reply, refusal('invalid', 'the recording is the request body', 'body'));
        const stored = await audio.add(body, type);
        if (!stored.ok) {
          request.log.warn({ type, bytes: body.length, reason: stored.message }, 'audio upload refused');
          return sendRefusal(reply, refusal('invalid', stored.message, 'body'));
        }
        const a = stored.audio;
        return reply.code(201).send({ url: `${request.protocol}://${request.host}/api/broadcasts/audio/${a.id}`, durationS: a.durationS, type: a.type, bytes: a.bytes.length });
      },
    );
  });
  app.get(
    '/api/broadcasts/audio/:id',
    { schema: { params: audioParams, description: 'The recording as uploaded, with its type (no token: the id is its SHA-256).' } },
    async (request, reply) => {
      const a = audio.get(request.params.id);
      if (!a) return sendRefusal(reply, refusal('notFound', `no recording ${request.params.id}`));
      return reply.type(a.type).header('Cache-Control', 'private, max-age=86400, immutable').send(a.bytes);
    },
  );
  app.post(
    '/api/broadcasts',
    {
      schema: {
        body: createBroadcastBodySchema,
        response: { 201: z.object({ summary: broadcastSummarySchema, plan: planSchema }), 400: refusalBodySchema, 409: refusalBodySchema, 503: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = await manager.create(request.body, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return reply.code(201).send({ summary: result.summary, plan: result.plan });
    },
  );
  app.get('/api/broadcasts', { schema: { response: { 200: z.array(broadcastSummarySchema) } } }, async () => manager.list());
  app.get('/api/broadcasts/:id', { schema: { params: idParams, response: { 200: broadcastSummarySchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const summary = manager.get(request.params.id);
    if (!summary) return sendRefusal(reply, refusal('notFound', `no broadcast ${request.params.id}`));
    return summary;
  });
  app.get(
    '/api/broadcasts/:id/plan',
    { schema: { params: idParams, response: { 200: z.object({ id: z.string(), road: createBroadcastBodySchema.shape.road, plan: planSchema }), 404: refusalBodySchema } } },
    async (request, reply) => {
      const plan = manager.plan(request.params.id);
      if (!plan) return sendRefusal(reply, refusal('notFound', `no broadcast ${request.params.id}`));
      return plan;
    },
  );
  for (const action of ['launch', 'abort'] as const) {
    app.post(
      `/api/broadcasts/:id/${action}`,
      { schema: { params: idParams, response: { 200: broadcastSummarySchema, 404: refusalBodySchema, 409: refusalBodySchema } } },
      async (request, reply) => {
        const result = manager[action](request.params.id, actorOf(request));
        if (!result.ok) return sendRefusal(reply, result);
        return result.summary;
      },
    );
  }
};
