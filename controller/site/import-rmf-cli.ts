/**
 * `npm run -s import-rmf -- FILE.building.yaml --loading NAME [--zones ZONES.json] [--graph N]
 * [--name NAME] [--out site.json]`: an Open-RMF traffic-editor drawing as an isofleet site (see
 * rmf-import.ts for what is read). Writes the site to `--out` (or stdout) and says on stderr what
 * it imported and what it left out; a drawing or zones file it cannot take is refused with each
 * problem and its line, exit 1, and nothing is written. `--help` prints the usage, exit 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeProblems, parseJsonWith } from '../../protocol/index.js';
import { importRmfBuilding, rmfZonesSchema } from './rmf-import.js';

const fail = (lines: string[]): never => {
  process.stderr.write(`${lines.map((l) => `import-rmf: ${l}`).join('\n')}\n`);
  process.exit(1);
};

const USAGE = 'usage: import-rmf FILE.building.yaml --loading NAME [--zones ZONES.json] [--graph N] [--name NAME] [--out site.json]';
const args = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        loading: { type: 'string' },
        zones: { type: 'string' },
        graph: { type: 'string', default: '0' },
        name: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    return fail([(error as Error).message, USAGE]);
  }
})();
const { values, positionals } = args;
// It answered --help with "Unknown option '--help'", exit 1.
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [file] = positionals;
if (!file || !values.loading) fail([USAGE]);
const graph = Number(values.graph);
if (!Number.isInteger(graph) || graph < 0) fail([`--graph ${values.graph}: a lane graph number (graph_idx), 0 or more`]);
const read = (path: string, flag: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return fail([`${flag}${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
  }
};
let zones: ReturnType<typeof rmfZonesSchema.parse> | undefined;
if (values.zones) {
  const parsed = parseJsonWith(rmfZonesSchema, read(values.zones, '--zones '));
  if (!parsed.ok) fail([`--zones ${values.zones}: ${describeProblems(parsed.problems)}`]);
  else zones = parsed.value;
}
const result = importRmfBuilding(read(file!, ''), { loading: values.loading!, graph, ...(zones ? { zones } : {}), ...(values.name ? { name: values.name } : {}) });
if (!result.ok) fail(result.problems.map((p) => (p.line ? `${file}:${p.line}: ${p.message}` : p.message)));
else {
  const { site, notes } = result;
  const count = (kind: string) => site.nodes.filter((n) => n.kind === kind).length;
  process.stderr.write(
    `${[
      `imported ${site.name}: ${site.levels.length} levels, ${count('room')} places, ${count('charger')} chargers, ${site.lifts.length} lifts (${site.lifts.map((l) => `${l.id}: ${l.levels.join('/')}`).join('; ')}), ${site.lanes.length} lanes`,
      ...notes,
    ]
      .map((l) => `import-rmf: ${l}`)
      .join('\n')}\n`,
  );
  const json = `${JSON.stringify(site, null, 1)}\n`;
  if (!values.out) process.stdout.write(json);
  else {
    try {
      writeFileSync(values.out, json);
    } catch (error) {
      fail([`--out ${values.out}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`]);
    }
  }
}
