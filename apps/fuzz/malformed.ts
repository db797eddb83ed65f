import fc from 'fast-check';

/** Every path to a value inside a JSON object, e.g. `['nodes', 0, 'sequenceId']`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === undefined) delete at[last];
  else at[last] = replacement;
  return copy;
}

/** Values that break a field: the wrong type, out of range, absurdly large or deep. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(100_000)),
  fc.constant(Array.from({ length: 2000 }, (_, i) => i)),
  fc.constant(JSON.parse('['.repeat(200) + ']'.repeat(200))),
);

/**
 * Payload texts that should be refused: a valid sample with one field broken (most are now
 * invalid, a few still happen to be valid), any JSON value, truncated JSON, or bytes that are
 * not JSON at all.
 */
export function malformedPayload(sample: object): fc.Arbitrary<string> {
  const samplePaths = paths(sample);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...samplePaths), badValue).map(([path, bad]) => JSON.stringify(setAt(sample, path, bad)) ?? 'undefined') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.nat({ max: 200 }).map((n) => JSON.stringify(sample).slice(0, n)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
  );
}

/** `count` payloads for `sample`, the same for the same seed. */
export function malformedPayloads(sample: object, count: number, seed: number): string[] {
  return fc.sample(malformedPayload(sample), { numRuns: count, seed });
}
