import type { z } from 'zod';

/** A problem found in an inbound message or file, with the path of the field it concerns. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `nodes.2.sequenceId`; empty for the whole message. */
  path: string;
  message: string;
}

/** Either the parsed value or the list of problems; expected failures are values, not throws. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Parses `input` with `schema` and names each failing field by its path. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

const NOT_JSON = 'not JSON';

/** Why {@link parseJsonWith} refused a text: `notJson` (it does not parse), or `invalid` (the schema refuses it). */
export function refusalReason(problems: FieldProblem[]): 'notJson' | 'invalid' {
  return problems.length === 1 && problems[0]!.path === '' && problems[0]!.message.startsWith(`${NOT_JSON}:`) ? 'notJson' : 'invalid';
}

/** Parses a JSON text (an MQTT payload, a file) and then validates it. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string): Parsed<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `${NOT_JSON}: ${(error as Error).message}` }] };
  }
  return parseWith(schema, json);
}

/** One line for logs and error replies: `nodes.2.sequenceId: expected number; …`. */
export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
