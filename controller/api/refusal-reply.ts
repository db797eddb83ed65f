import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Refusal, RefusalKind } from '../refusal.js';

/** The HTTP status of each kind of refusal. */
export const REFUSAL_STATUS: Record<RefusalKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  unprocessable: 422,
  tooMany: 429,
  unavailable: 503,
};

const REFUSAL_ERROR: Record<RefusalKind, string> = {
  invalid: 'Bad Request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  notFound: 'Not Found',
  conflict: 'Conflict',
  unprocessable: 'Unprocessable Entity',
  tooMany: 'Too Many Requests',
  unavailable: 'Service Unavailable',
};

/**
 * The body of every refusal the API answers: `error` (the status's name), `message` (why; prefixed
 * `path: ` when a field is at fault) and, when fields are at fault, `issues` (each field's dotted
 * path and reason). Every route declares its 4xx/503 answers with this schema.
 */
export const refusalBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** The HTTP body of a refusal (see {@link refusalBodySchema}). */
export function refusalBody(refusal: Refusal): z.infer<typeof refusalBodySchema> {
  const { kind, message, path } = refusal;
  const issues = refusal.issues ?? (path !== undefined ? [{ path, message }] : undefined);
  return { error: REFUSAL_ERROR[kind], message: path !== undefined ? `${path}: ${message}` : message, ...(issues ? { issues } : {}) };
}

/** Answers a refusal: its status and {@link refusalBody}; a `tooMany` with `retryAfterS` also sets `Retry-After`. */
export function sendRefusal(reply: FastifyReply, refusal: Refusal, retryAfterS?: number): FastifyReply {
  if (retryAfterS !== undefined) reply.header('Retry-After', String(retryAfterS));
  return reply.code(REFUSAL_STATUS[refusal.kind]).send(refusalBody(refusal));
}
