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

/**
 * Parses `config.args` (default `process.argv.slice(2)`) with `util.parseArgs`, `--help`/`-h`
 * added to `config.options`:
 * - `--help`: prints `usage` on stdout and exits 0, before the tool does anything;
 * - an unknown flag, a flag without its value or a stray argument: one line `NAME: …` naming it
 *   (parseArgs's own message, e.g. "Unknown option '--seed'") on stderr, exit {@link USAGE_EXIT}.
 * @param name the tool as people run it (`bench:day`), the prefix of its error lines.
 * @param usage the help text, ending in a newline.
 */
export function parseCliArgs<const T extends ParseArgsConfig>(name: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs({ ...config, options: { ...config.options, help: { type: 'boolean', short: 'h' } } }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    return cliFail(name, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return parsed;
}
