/**
 * The flags of every command-line tool (`npm run scenario`, `vrp`, `traffic`, `plan-*`,
 * `bench:*`), parsed by Node's `util.parseArgs` in strict mode, so that all of them answer
 * `--help` and a bad flag the same way.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit code of a usage error (a bad flag or value), as getopt tools and `npm run scenario` use. */
export const USAGE_EXIT = 2;

/**
 * Prints `NAME: message` as one line on stderr and exits with `code` (default {@link USAGE_EXIT}).
 * For a flag's value the tool checks itself, after {@link parseCliArgs}.
 */
export function cliFail(name: string, message: string, code = USAGE_EXIT): never {
  process.stderr.write(`${name}: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

/** A negative number as a flag's value: `-3`, `-0.5`, `-.5`, `-1e3`. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * `--flag -3` as `--flag=-3` for a flag that takes a value: parseArgs reads a value starting with
 * a dash as another option and refused `--robots -3` with "argument is ambiguous", so a person
 * never saw the tool's own message ("--robots must be a positive number, got -3"). Only numbers
 * are joined: `--flag -x` stays the error it is. Arguments after `--` are left as they are.
 */
function negativeValuesJoined(args: readonly string[], options: ParseArgsConfig['options'] & object): string[] {
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (option.short) takesValue.add(`-${option.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return [...out, ...args.slice(i)];
    const next = args[i + 1];
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * Parses `config.args` (default `process.argv.slice(2)`) with `util.parseArgs`, `--help`/`-h`
 * added to `config.options`:
 * - `--help`: prints `usage` on stdout and exits 0, before the tool does anything;
 * - an unknown flag, a flag without its value or a stray argument: one line `NAME: …` naming it
 *   (parseArgs's own message, e.g. "Unknown option '--seed'") on stderr, exit {@link USAGE_EXIT};
 * - a negative number after a flag that takes a value is that flag's value (`--robots -3`), for
 *   the tool to check and refuse in its own words.
 * @param name the tool as people run it (`bench:day`), the prefix of its error lines.
 * @param usage the help text, ending in a newline.
 */
export function parseCliArgs<const T extends ParseArgsConfig>(name: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    const options = { ...config.options, help: { type: 'boolean', short: 'h' } } as const;
    const args = negativeValuesJoined(config.args ?? process.argv.slice(2), config.options ?? {});
    parsed = parseArgs({ ...config, args, options }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    return cliFail(name, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return parsed;
}
