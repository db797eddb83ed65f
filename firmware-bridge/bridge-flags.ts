import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** An MQTT broker URL as the bridges take it (`--broker`). */
export const brokerUrlSchema = z.string().regex(/^(mqtts?|wss?|tcp):\/\/[^\s]+$/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL');

/**
 * Parses a bridge's command line: `kind` (`robot`, `drone`) as the one positional, then the flags
 * `options` declares, checked by `schema`. The error is one line naming the flag and the rule.
 */
export function parseBridgeFlags<T>(
  argv: string[],
  kind: string,
  options: NonNullable<ParseArgsConfig['options']>,
  schema: z.ZodType<T>,
): { ok: true; flags: T } | { ok: false; error: string } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0]! };
  }
  if (parsed.positionals[0] !== kind || parsed.positionals.length !== 1)
    return { ok: false, error: `expected '${kind}' as the only argument (got ${parsed.positionals.join(' ') || 'none'})` };
  const flags = schema.safeParse(parsed.values);
  if (!flags.success) {
    const issue = flags.error.issues[0]!;
    return { ok: false, error: `--${issue.path.join('.')} ${issue.message}` };
  }
  return { ok: true, flags: flags.data };
}
