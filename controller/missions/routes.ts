import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { coverageRasterSchema, createMissionBodySchema, droneViewSchema, missionSummarySchema } from '../../protocol/index.js';
import { actorOf } from '../auth/index.js';
import { refusalBodySchema, sendRefusal } from '../api/refusal-reply.js';
import { refusal } from '../refusal.js';
import type { MissionActionResult, MissionManager } from './mission-manager.js';
const idParams = z.object({ id: z.string() });

/** Options of {@link missionRoutes}: the running manager (it writes the audit lines, naming the signed-in user). */
export type MissionRoutesOptions = { manager: MissionManager };

/**
 * Spray missions and drones over HTTP: `POST/GET /api/missions`, `GET /api/missions/:id`,
 * `POST /api/missions/:id/{clear,launch,pause,resume,return-home,abort,take-control}`,
 * `GET /api/missions/:id/plan` (its zones and plan), `GET /api/missions/:id/coverage`, `GET /api/drones`.
 */
export const missionRoutes: FastifyPluginAsyncZod<MissionRoutesOptions> = async (app, options) => {
  const { manager } = options;

  app.post(
    '/api/missions',
    {
      schema: {
        body: createMissionBodySchema,
        response: {
          201: z.object({ id: z.string(), plan: z.looseObject({ type: z.literal('FeatureCollection') }), assigned: z.array(z.string()) }),
          400: refusalBodySchema,
          409: refusalBodySchema,
          422: refusalBodySchema,
          503: refusalBodySchema,
        },
      },
    },
    async (request, reply) => {
      const result = await manager.create(request.body, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      return reply.code(201).send({ id: result.id, plan: result.plan, assigned: result.assigned });
    },
  );
  app.get('/api/missions', { schema: { response: { 200: z.array(missionSummarySchema) } } }, async () => manager.list());
  app.get('/api/missions/:id', { schema: { params: idParams, response: { 200: missionSummarySchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const summary = manager.get(request.params.id);
    if (!summary) return sendRefusal(reply, refusal('notFound', `no mission ${request.params.id}`));
    return summary;
  });
  app.get(
    '/api/missions/:id/plan',
    {
      schema: {
        params: idParams,
        response: {
          200: z.object({ id: z.string(), zones: createMissionBodySchema.shape.zones, plan: z.looseObject({ type: z.literal('FeatureCollection') }), assigned: z.array(z.string()) }),
          404: refusalBodySchema,
        },
      },
    },
    async (request, reply) => {
      const plan = manager.planOf(request.params.id);
      if (!plan) return sendRefusal(reply, refusal('notFound', `no mission ${request.params.id}`));
      return plan;
    },
  );
  app.get('/api/missions/:id/coverage', { schema: { params: idParams, response: { 200: coverageRasterSchema, 404: refusalBodySchema } } }, async (request, reply) => {
    const raster = manager.coverage(request.params.id);
    if (!raster) return sendRefusal(reply, refusal('notFound', `no mission ${request.params.id}`));
    return raster;
  });
  const actions: Record<string, (id: string, actor: string) => MissionActionResult> = {
    clear: (id, actor) => manager.clear(id, actor),
    launch: (id, actor) => manager.launch(id, actor),
    pause: (id, actor) => manager.pause(id, actor),
    resume: (id, actor) => manager.resume(id, actor),
    'return-home': (id, actor) => manager.returnHome(id, actor),
    abort: (id, actor) => manager.abort(id, actor),
    'take-control': (id, actor) => manager.takeControl(id, actor),
  };
  for (const [name, act] of Object.entries(actions)) {
    app.post(
      `/api/missions/:id/${name}`,
      { schema: { params: idParams, response: { 200: missionSummarySchema, 404: refusalBodySchema, 409: refusalBodySchema } } },
      async (request, reply) => {
        const result = act(request.params.id, actorOf(request));
        if (!result.ok) return sendRefusal(reply, result);
        return result.summary;
      },
    );
  }
  app.get('/api/drones', { schema: { response: { 200: z.array(droneViewSchema) } } }, async () => manager.drones.views());
};
