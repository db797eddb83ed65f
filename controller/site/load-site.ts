import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeProblems, parseJsonWith, siteSchema, type Site } from '../../protocol/index.js';
import { SiteGraph } from './site-graph.js';

/** Folder of the site files shipped with isofleet. */
export const SITES_DIR = fileURLToPath(new URL('../../sites/', import.meta.url));

/**
 * Reads a site by name (`hotel` → `sites/hotel.json`) or by path and validates it: its fields,
 * and the isolation rule (every room and charger reaches the loading station and back, and back
 * from red only through a disinfection station; see {@link SiteGraph}). Throws an error naming
 * the file and each problem (an unknown name: the shipped sites' names): a broken site file is
 * fatal at start.
 */
export async function loadSite(nameOrPath: string): Promise<Site> {
  const byName = !/[/\\.]/.test(nameOrPath);
  const file = byName ? path.join(SITES_DIR, `${nameOrPath}.json`) : nameOrPath;
  const text = await readFile(file, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    if (!byName) throw new Error(`no site file ${file}`);
    const names = (await readdir(SITES_DIR)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    throw new Error(`no site "${nameOrPath}": the sites here are ${names.join(', ')} (sites/NAME.json), or give the path of a site file`);
  });
  const parsed = parseJsonWith(siteSchema, text);
  if (!parsed.ok) throw new Error(`${file}: ${describeProblems(parsed.problems)}`);
  const unsafe = new SiteGraph(parsed.value).isolationProblems();
  if (unsafe.length > 0) throw new Error(`${file}: ${unsafe.join('; ')}`);
  return parsed.value;
}
