import type { ApiResult } from './client.js';

/** A failed call, as {@link ApiResult} gives it. */
export type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>;

/** What to show beside a form: one message per field of the body that the server named, and the rest for the form as a whole. */
export interface FormProblems<F extends string> {
  fields: Partial<Record<F, string>>;
  form?: string;
}

/**
 * Sorts a refusal onto the form's fields: a 400's issues by their path (`body.password` goes to
 * `password`), and a 409 to `conflictField` when given (on a create it means that name is taken).
 * Whatever names no field of `fields` (a 404, the network, a path the form does not have) goes
 * to the form, with its path so nothing is lost.
 */
export function formProblems<F extends string>(failure: ApiFailure, fields: readonly F[], conflictField?: F): FormProblems<F> {
  const problems: FormProblems<F> = { fields: {} };
  const formLines: string[] = [];
  if (failure.status === 400 && failure.issues?.length) {
    for (const issue of failure.issues) {
      const path = String(issue.path);
      const field = fields.find((f) => path === `body.${f}` || path.startsWith(`body.${f}.`));
      if (field) problems.fields[field] = problems.fields[field] ? `${problems.fields[field]}; ${issue.message}` : issue.message;
      else formLines.push(`${path}: ${issue.message}`);
    }
  } else if (failure.status === 409 && conflictField) {
    problems.fields[conflictField] = failure.message;
  } else {
    formLines.push(failure.message);
  }
  if (formLines.length) problems.form = formLines.join('; ');
  return problems;
}
