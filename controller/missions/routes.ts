import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { coverageRasterSchema, createMissionBodySchema, droneViewSchema, missionSummarySchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import type { Audit } from '../storage/index.js';
import type { MissionActionResult, MissionManager } from './mission-manager.js';

const errorSchema = z.object({ error: z.string(), message: z.string() });
const badRequestSchema = errorSchema.extend({ issues: z.array(z.object({ path: z.string(), message: z.string() })) });
const idParams = z.object({ id: z.string() });

/** Options of {@link missionRoutes}: the running manager, and the audit log for every operator action. */
export type MissionRoutesOptions = { manager: MissionManager; audit?: Audit };

/**
 * Spray missions and drones over HTTP: `POST/GET /api/missions`, `GET /api/missions/:id`,
 * `POST /api/missions/:id/{clear,launch,pause,resume,return-home,abort,take-control}`,
 * `GET /api/missions/:id/plan` (its zones and plan), `GET /api/missions/:id/coverage`, `GET /api/drones`.
 */
export const missionRoutes: FastifyPluginAsyncZod<MissionRoutesOptions> = async (app, options) => {
  const { manager } = options;
  const audit = options.audit ?? (() => {});

  app.post(
    '/api/missions',
    {
      schema: {
        body: createMissionBodySchema,
        response: {
          201: z.object({ id: z.string(), plan: z.looseObject({ type: z.literal('FeatureCollection') }), assigned: z.array(z.string()) }),
          400: badRequestSchema,
          409: errorSchema,
          422: badRequestSchema,
          503: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await manager.create(request.body);
      if (!result.ok) {
        if (result.status === 400) return reply.code(400).send({ error: 'Bad Request', message: result.message, issues: result.issues });
        if (result.status === 422) return reply.code(422).send({ error: 'Unprocessable Entity', message: result.message, issues: result.issues });
        if (result.status === 503) return reply.code(503).send({ error: 'Service Unavailable', message: result.message });
        return reply.code(409).send({ error: 'Conflict', message: result.message });
      }
      audit({ actor: actorOf(request), action: 'missionCreated', subject: `mission ${result.id}`, detail: { drones: result.assigned } });
      return reply.code(201).send({ id: result.id, plan: result.plan, assigned: result.assigned });
    },
  );
  app.get('/api/missions', { schema: { response: { 200: z.array(missionSummarySchema) } } }, async () => manager.list());
  app.get('/api/missions/:id', { schema: { params: idParams, response: { 200: missionSummarySchema, 404: errorSchema } } }, async (request, reply) => {
    const summary = manager.get(request.params.id);
    if (!summary) return reply.code(404).send({ error: 'Not Found', message: `no mission ${request.params.id}` });
    return summary;
  });
  app.get(
    '/api/missions/:id/plan',
    {
      schema: {
        params: idParams,
        response: {
          200: z.object({ id: z.string(), zones: createMissionBodySchema.shape.zones, plan: z.looseObject({ type: z.literal('FeatureCollection') }), assigned: z.array(z.string()) }),
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const plan = manager.planOf(request.params.id);
      if (!plan) return reply.code(404).send({ error: 'Not Found', message: `no mission ${request.params.id}` });
      return plan;
    },
  );
  app.get('/api/missions/:id/coverage', { schema: { params: idParams, response: { 200: coverageRasterSchema, 404: errorSchema } } }, async (request, reply) => {
    const raster = manager.coverage(request.params.id);
    if (!raster) return reply.code(404).send({ error: 'Not Found', message: `no mission ${request.params.id}` });
    return raster;
  });
  const actions: Record<string, (id: string) => MissionActionResult> = {
    clear: (id) => manager.clear(id),
    launch: (id) => manager.launch(id),
    pause: (id) => manager.pause(id),
    resume: (id) => manager.resume(id),
    'return-home': (id) => manager.returnHome(id),
    abort: (id) => manager.abort(id),
    'take-control': (id) => manager.takeControl(id),
  };
  for (const [name, act] of Object.entries(actions)) {
    app.post(`/api/missions/:id/${name}`, { schema: { params: idParams, response: { 200: missionSummarySchema, 404: errorSchema, 409: errorSchema } } }, async (request, reply) => {
      const result = act(request.params.id);
      if (!result.ok) return reply.code(result.status).send({ error: result.status === 404 ? 'Not Found' : 'Conflict', message: result.message });
      // "zone clear", launch, pause … are the operator's word: the log keeps who said it.
      audit({ actor: actorOf(request), action: `mission ${name}`, subject: `mission ${request.params.id}` });
      return result.summary;
    });
  }
  app.get('/api/drones', { schema: { response: { 200: z.array(droneViewSchema) } } }, async () => manager.drones.views());
};
