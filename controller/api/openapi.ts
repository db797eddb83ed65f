import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ACCESS_POLICY, ruleFor } from '../auth/policy.js';

/** Where the API's page is served; its OpenAPI document is at `${API_DOCS_PATH}/json` (and `/yaml`). */
export const API_DOCS_PATH = '/api/docs';

/** One tag per first path segment after `/api/`, in the order the page lists them. */
const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: 'Sign in and out, who am I, my password. Sign in here, then Authorize with the token.' },
  { name: 'users', description: 'Users and their roles (admin).' },
  { name: 'devices', description: 'Robots and drones provisioned to the broker (admin).' },
  { name: 'site', description: 'The site: levels, rooms, map.' },
  { name: 'sites', description: 'Every site of the district with its fleet’s health and its controller’s address (admin).' },
  { name: 'robots', description: 'Delivery robots as the fleet sees them.' },
  { name: 'trips', description: 'Trips: one robot, its trays, its rooms.' },
  { name: 'rounds', description: 'Rounds: many rooms planned over the fleet.' },
  { name: 'lifts', description: 'Lift cars: which robot holds each, who queues (lift sessions).' },
  { name: 'alerts', description: 'Alerts and their history.' },
  { name: 'ways', description: 'Single-width ways: staff free one a dead robot blocked, once they took it out.' },
  { name: 'doors', description: 'Room doors as their contact sensors report them; a medic mutes a room’s unexpected-open alert.' },
  { name: 'settings', description: "The site's settings (announcement language)." },
  { name: 'missions', description: 'Spray missions: plan, clear, launch, pause, coverage.' },
  { name: 'drones', description: 'Spray drones as the controller sees them.' },
  { name: 'broadcasts', description: 'Broadcast flights: a loudspeaker and a QR code flown along a queue of cars (plan, launch, what plays now).' },
  { name: 'audit', description: 'Who did what (admin).' },
  { name: 'sim', description: 'The in-process simulation (only under npm start).' },
];

/**
 * The OpenAPI description and its page at {@link API_DOCS_PATH}, from the same zod schemas that
 * validate the requests. Call before any route is registered: every `/api` route after it gets
 * the tag of its first path segment and, unless the access policy makes it public, the bearer
 * scheme (so "Try it out" sends the token once it is given to Authorize); routes outside
 * `/api` (the dashboard's pages and files) are left out of the document.
 */
export async function describeApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) {
      route.schema = { ...route.schema, hide: true };
      return;
    }
    if (route.schema?.hide) return;
    const method = Array.isArray(route.method) ? route.method[0]! : route.method;
    const open = ruleFor(ACCESS_POLICY, method, route.url)?.allow === 'public';
    route.schema = { ...route.schema, tags: route.schema?.tags ?? [route.url.split('/')[2]!], ...(open ? { security: [] } : {}) };
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'isofleet',
        version: '0.1.0',
        description: 'Fleet controller for isolation sites. Every route but sign-in needs `Authorization: Bearer <token>` from `POST /api/auth/login`.',
      },
      tags: TAGS,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: API_DOCS_PATH, uiConfig: { persistAuthorization: true } });
}
