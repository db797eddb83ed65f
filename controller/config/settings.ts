/**
 * Settings of the processes (`npm run controller`, `npm start`, `npm run sim`) from the
 * environment and flags, validated in one place with zod. A bad one stops the process with one
 * line naming the setting and the rule, exit 1, no stack trace.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

/** A TCP port: 0 (any free one) to 65535. */
export const portSetting = z.coerce
  .number({ error: 'must be a port number (0-65535)' })
  .int('must be a port number (0-65535)')
  .min(0, 'must be a port number (0-65535)')
  .max(65535, 'must be a port number (0-65535)');

/** A broker URL as `connectMqtt` takes it: mqtt:// (or tcp://) with a host (`mqtt://HOST:1883`). */
export const brokerUrlSetting = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return ['mqtt:', 'tcp:'].includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a broker URL mqtt://HOST:PORT');

/**
 * The line for an error reaching the broker at `setting` (refused, unknown host, login refused),
 * or undefined when the error is something else (a bug: it keeps its stack).
 */
export function brokerErrorLine(setting: string, error: Error & { code?: string | number }): string | undefined {
  if (typeof error.code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(error.code))
    return `${setting}: cannot reach the broker (${error.code})`;
  if (/^Connection refused/.test(error.message)) return `${setting}: the broker refused the login (${error.message})`;
  return undefined;
}

/** A whole number in [min, max]. */
export const countSetting = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

/** A positive number at most `max`. */
export const positiveSetting = (max: number) =>
  z.coerce
    .number({ error: `must be a number above 0, at most ${max}` })
    .gt(0, `must be a number above 0, at most ${max}`)
    .max(max, `must be a number above 0, at most ${max}`);

/** A file that exists. */
export const existingFileSetting = z
  .string()
  .min(1, 'must name a file')
  .refine((v) => existsSync(v), 'no such file');

/** pino's levels. */
export const logLevelSetting = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' });

/** The first admin's password: at least 10 characters (as `ensureFirstAdmin` requires). */
export const adminPasswordSetting = z.string().min(10, 'must have at least 10 characters');

/** A site: `hotel`, or a site file that exists. */
export const siteSetting = z.string().refine((v) => (/[/\\.]/.test(v) ? existsSync(v) : /^[a-z0-9-]+$/.test(v)), 'must be a site name (hotel) or an existing site file');

/** Empty environment variables count as not set (`FOO= npm start`). */
function unsetEmpty(source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '' && v !== undefined));
}

/**
 * Parses `source` (process.env, or parsed flags) with `schema`, whose keys are the settings'
 * names as the user writes them (`PORT`, `--robots`). Unset and empty values count as missing.
 * On failure: one line per bad setting, `NAME=value: rule`.
 */
export function parseSettings<S extends z.ZodObject>(schema: S, source: Record<string, unknown>): { ok: true; value: z.infer<S> } | { ok: false; lines: string[] } {
  const given = unsetEmpty(source);
  const r = schema.safeParse(given);
  if (r.success) return { ok: true, value: r.data };
  const lines = r.error.issues.map((i) => {
    const name = String(i.path[0] ?? '');
    const v = given[name];
    const shown = name.startsWith('--') ? `${name} ${String(v)}` : `${name}=${/PASSWORD|SECRET/.test(name) ? '…' : String(v)}`;
    return `${v === undefined ? name : shown}: ${i.message}`;
  });
  return { ok: false, lines };
}

/** Writes `program: line` for each line to stderr and exits 1. */
export function exitWithSettingErrors(program: string, lines: string[]): never {
  for (const line of lines) process.stderr.write(`${program}: ${line}\n`);
  process.exit(1);
}

/** {@link parseSettings}, exiting through {@link exitWithSettingErrors} on failure. */
export function settingsOrExit<S extends z.ZodObject>(program: string, schema: S, source: Record<string, unknown>): z.infer<S> {
  const r = parseSettings(schema, source);
  if (!r.ok) exitWithSettingErrors(program, r.lines);
  return r.value;
}
