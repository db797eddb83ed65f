import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fieldsRefusal, refusal } from '../refusal.js';
import { sendRefusal } from './refusal-reply.js';

/**
 * A bad body or parameter answers 400 with each field's path
 * (`{"error":"Bad Request","message":"body.trays.0.tray: …","issues":[{"path","message"}]}`);
 * a body that is not JSON at all answers the same shape with the path `body`. Fastify's own
 * refusals keep that shape too (`error` is the status's name): a path no route serves is a 404
 * naming the method and path, a body over the limit a 413 naming the limit, a content type no
 * route reads a 415 naming it.
 */
export function replyWithFieldPaths(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      request.log.warn({ url: request.url, issues }, 'bad request');
      return sendRefusal(reply, fieldsRefusal('invalid', issues));
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const message = fastifyRefusalMessage(error as { code?: string; message: string }, request);
    // Other 400s are about the body as a whole (not JSON, wrong content type, too large).
    if (status === 400) return sendRefusal(reply, refusal('invalid', message, 'body'));
    if (status < 500) request.log.warn({ url: request.url, status, message }, 'refused');
    return reply.code(status).send({ error: STATUS_CODES[status] ?? 'Error', message });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    request.log.info({ method: request.method, path }, 'no such route');
    return sendRefusal(reply, refusal('notFound', `no route ${request.method} ${path}`));
  });
}

/** Fastify's words for its own refusals, with what the sender needs to fix them. */
function fastifyRefusalMessage(error: { code?: string; message: string }, request: FastifyRequest): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return `the body is larger than the ${request.routeOptions.bodyLimit} bytes this route accepts`;
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return `Content-Type ${request.headers['content-type'] || 'none'} is not read here: send application/json`;
  }
  return error.message;
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing, which `setErrorHandler` does
 * not see. A path that is not valid percent-encoding (`/api/rounds/%ZZ`) answers 400 in the
 * refusal shape, the field `url`, instead of Fastify's own `{code, statusCode}` body.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, request, reply) => {
  const path = request.url.split('?')[0];
  const why = error.code === 'FST_ERR_BAD_URL' ? `${path} is not a valid URL (a % not followed by two hex digits of UTF-8)` : error.message;
  request.log.warn({ url: request.url, code: error.code }, 'refused');
  return sendRefusal(reply, refusal('invalid', why, 'url'));
};
