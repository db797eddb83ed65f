import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { VdaTopic } from './topics.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../test-data/vda5050-2.1.0/', import.meta.url));
// ajv-formats is CommonJS with a default export; Node's ESM loader hands over the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/**
 * Validators from the official VDA 5050 2.1.0 JSON schemas (draft 2020-12), for tests that
 * check what our code really sends. Returns the list of problems, empty when valid.
 */
export function officialSchemaValidator(): (topic: VdaTopic, message: unknown) => string[] {
  // strict off: the official files carry a non-standard "subtopic" keyword.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map(
    (['order', 'instantActions', 'state', 'visualization', 'connection', 'factsheet'] as const).map((topic) => [
      topic,
      ajv.compile(JSON.parse(readFileSync(`${SCHEMA_DIR}${topic}.schema`, 'utf8'))),
    ]),
  );
  return (topic, message) => {
    const validate = validators.get(topic)!;
    return validate(message) ? [] : (validate.errors ?? []).map((e) => `${topic}${e.instancePath}: ${e.message}`);
  };
}
