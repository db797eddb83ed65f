import type { FieldProblem } from '../protocol/index.js';

/**
 * What kind of "no" a request got, independent of the transport; `controller/api/refusal-reply.ts`
 * maps each to its HTTP status: `invalid` 400 (the input is wrong: `path` names the field),
 * `unauthorized` 401, `forbidden` 403, `notFound` 404, `conflict` 409 (valid, but not now or not
 * with this fleet), `unprocessable` 422 (valid, but the planner cannot make it), `tooMany` 429,
 * `unavailable` 503 (the controller is stopping).
 */
export type RefusalKind = 'invalid' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'unprocessable' | 'tooMany' | 'unavailable';

/**
 * An expected refusal, returned (never thrown) by the managers, their cores and the routes:
 * `message` says why in the operator's words; `path` names the input field at fault
 * (`body.trays.0.room`, `querystring.before`); `issues` lists every field when several are wrong
 * (a zones file with three bad polygons), and then `message` joins them.
 */
export type Refusal = { ok: false; kind: RefusalKind; message: string; path?: string; issues?: FieldProblem[] };

/** A refusal of this kind; with `path`, the field at fault. */
export function refusal(kind: RefusalKind, message: string, path?: string): Refusal {
  return path === undefined ? { ok: false, kind, message } : { ok: false, kind, message, path };
}

/** A refusal naming several fields: `message` is their `path: message` lines joined by `; `. */
export function fieldsRefusal(kind: RefusalKind, issues: FieldProblem[]): Refusal {
  return { ok: false, kind, message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
}
