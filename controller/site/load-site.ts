import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeProblems, parseJsonWith, siteSchema, type Site } from '../../protocol/index.js';

/** Folder of the site files shipped with isofleet. */
export const SITES_DIR = fileURLToPath(new URL('../../sites/', import.meta.url));

/**
 * Reads a site by name (`hotel` → `sites/hotel.json`) or by path and validates it.
 * Throws an error naming the file and each bad field: a broken site file is fatal at start.
 */
export async function loadSite(nameOrPath: string): Promise<Site> {
  const file = /[/\\.]/.test(nameOrPath) ? nameOrPath : path.join(SITES_DIR, `${nameOrPath}.json`);
  const parsed = parseJsonWith(siteSchema, await readFile(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${describeProblems(parsed.problems)}`);
  return parsed.value;
}
