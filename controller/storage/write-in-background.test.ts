import { describe, expect, it } from 'vitest';
import { writeInBackground } from './write-in-background.js';

describe('writeInBackground', () => {
  it('logs a failed write, thrown at once or rejected later, instead of throwing into the caller', async () => {
    const warnings: string[] = [];
    const log = { warn: (details: object, message: string) => warnings.push(`${message}: ${(details as { err: string }).err}`) };
    expect(() =>
      writeInBackground(
        () => {
          throw new Error('disk full');
        },
        log,
        'trip t1',
      ),
    ).not.toThrow();
    writeInBackground(() => Promise.reject(new Error('connection reset')), log, 'round r1');
    writeInBackground(() => undefined, log, 'trip t2');
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual(['could not save trip t1: disk full', 'could not save round r1: connection reset']);
  });
});
