import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { robotRemovedFromWayBodySchema, robotRemovedFromWayReplySchema } from '../../protocol/index.js';
import type { WayWatch } from '../alerts/index.js';
import { actorOf } from '../auth/index.js';
import { refusalBodySchema, sendRefusal } from './refusal-reply.js';

/**
 * `POST /api/ways/:way/robot-removed` `{robot}`: staff took a robot that died inside a
 * single-width way out of it (the `wayBlocked` alert's action): the way is freed and the robots
 * waiting go on. 404 for a way the site does not have; 409 for a robot that does not hold it, or
 * one still able to leave by itself (see `WayWatch.robotRemoved`).
 */
export const wayRoutes: FastifyPluginAsyncZod<{ ways: WayWatch }> = async (app, { ways }) => {
  app.post(
    '/api/ways/:way/robot-removed',
    {
      schema: {
        params: z.object({ way: z.string() }),
        body: robotRemovedFromWayBodySchema,
        response: { 200: robotRemovedFromWayReplySchema, 400: refusalBodySchema, 404: refusalBodySchema, 409: refusalBodySchema },
      },
    },
    async (request, reply) => {
      const result = ways.robotRemoved(request.params.way, request.body.robot, actorOf(request));
      if (!result.ok) return sendRefusal(reply, result);
      const { ok: _, ...body } = result;
      return body;
    },
  );
};
