import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { robotSummarySchema } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';

/** `GET /api/robots`: every robot the controller has heard of; `id` is `robotId` (manufacturer left out for our own). */
export const robotRoutes: FastifyPluginAsyncZod<{ fleet: FleetRegistry }> = async (app, { fleet }) => {
  app.get('/api/robots', { schema: { response: { 200: z.array(robotSummarySchema) } } }, async () =>
    fleet.list().map((r) => ({
      id: r.id,
      manufacturer: r.manufacturer,
      serialNumber: r.serialNumber,
      online: r.online,
      battery: r.battery,
      level: r.level,
      node: r.node,
      state: r.state,
      position: r.position,
      loadedTrays: r.loadedTrays,
    })),
  );
};
