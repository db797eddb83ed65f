import { describe, expect, it, vi } from 'vitest';
import { cliFail, parseCliArgs, USAGE_EXIT } from './cli-args.js';

/** Runs `run` with process.exit, stdout and stderr captured: what a tool would have printed and its exit code. */
function captured(run: () => unknown): { code?: number; stdout: string; stderr: string; value?: unknown } {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw Object.assign(new Error('exit'), { exitCode: code });
  });
  try {
    const value = run();
    return { stdout, stderr, value };
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (code === undefined) throw error;
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

const USAGE = 'usage: npm run tool -- [--seeds 1,2]\n';
const options = { seeds: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parseCliArgs', () => {
  it('gives the flags it knows', () => {
    const run = captured(() => parseCliArgs('tool', USAGE, { args: ['--seeds', '1,2', '--json'], options }).values);
    expect(run).toEqual({ stdout: '', stderr: '', value: { seeds: '1,2', json: true } });
  });

  it('prints the usage for --help or -h on stdout and exits 0, whatever else is there', () => {
    for (const args of [['--help'], ['-h'], ['--seeds', '3', '--help']]) {
      expect(captured(() => parseCliArgs('tool', USAGE, { args, options }))).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    }
  });

  it('answers an unknown flag, a flag without its value or a stray argument with one line naming it, exit 2', () => {
    const unknown = captured(() => parseCliArgs('tool', USAGE, { args: ['--seed', '1'], options }));
    expect(unknown).toEqual({ code: USAGE_EXIT, stdout: '', stderr: expect.stringMatching(/^tool: Unknown option '--seed'[^\n]*\n$/) });
    const bare = captured(() => parseCliArgs('tool', USAGE, { args: ['--seeds'], options }));
    expect(bare).toEqual({ code: USAGE_EXIT, stdout: '', stderr: expect.stringMatching(/^tool: Option '--seeds <value>' argument missing\n$/) });
    const stray = captured(() => parseCliArgs('tool', USAGE, { args: ['extra'], options }));
    expect(stray).toEqual({ code: USAGE_EXIT, stdout: '', stderr: expect.stringMatching(/^tool: Unexpected argument 'extra'[^\n]*\n$/) });
  });

  it('takes a negative number after a flag as its value, for the tool to refuse in its own words', () => {
    const negative = captured(() => parseCliArgs('tool', USAGE, { args: ['--seeds', '-3', '--json'], options }).values);
    expect(negative).toEqual({ stdout: '', stderr: '', value: { seeds: '-3', json: true } });
    const fraction = captured(() => parseCliArgs('tool', USAGE, { args: ['--seeds', '-.5'], options }).values);
    expect(fraction.value).toEqual({ seeds: '-.5' });
    // A dash and a word is still a flag without its value, and after `--` nothing is joined.
    const word = captured(() => parseCliArgs('tool', USAGE, { args: ['--seeds', '-x'], options }));
    expect(word.code).toBe(USAGE_EXIT);
    const rest = captured(() => parseCliArgs('tool', USAGE, { args: ['--json', '--', '--seeds', '-3'], options, allowPositionals: true }).positionals);
    expect(rest.value).toEqual(['--seeds', '-3']);
  });

  it('cliFail keeps the first line of a message and the exit code it is given', () => {
    expect(captured(() => cliFail('tool', 'bad --seeds\nstack trace'))).toEqual({ code: USAGE_EXIT, stdout: '', stderr: 'tool: bad --seeds\n' });
    expect(captured(() => cliFail('tool', 'no such file', 1))).toEqual({ code: 1, stdout: '', stderr: 'tool: no such file\n' });
  });
});
