/**
 * `npm run -s vrp -- FILE [--time-limit-ms N] [--seed S] [--vehicles N]`: solves a CVRPLIB/VRPLIB
 * `.vrp` (CVRP or VRPTW) or Solomon `.txt` file and prints one JSON line
 * `{"instance","cost","routes","vehicles","vehicleLimit","ms"}`. Routes use the file's node
 * numbering with the depot left out; `vehicles` is the number of routes used and `vehicleLimit`
 * the hard limit they were solved under (`--vehicles N`, else the file's, else `null`: free).
 * A bad file prints `FILE:LINE: message` and exits 1; customers left unplaced (fleet limit too
 * tight) are listed under `"unassigned"`, exit code 3.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { solveInstance } from './benchmark-run.js';
import { parseInstance } from './instance.js';

const USAGE = 'usage: npm run -s vrp -- FILE [--time-limit-ms N] [--seed S] [--vehicles N]\n';

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      `${USAGE}Solves a CVRPLIB/VRPLIB .vrp (CVRP or VRPTW) or Solomon .txt file (default 2000 ms, seed 1, the file's fleet limit) and prints one JSON line: instance, cost, routes, vehicles, vehicleLimit, ms.\n`,
    );
    return 0;
  }
  let file: string | undefined;
  let timeLimitMs = 2000;
  let seed = 1;
  let vehicles: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--time-limit-ms' || a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) {
        process.stderr.write(`${a} needs a non-negative number\n`);
        return 2;
      }
      if (a === '--seed') seed = v;
      else timeLimitMs = v;
    } else if (a === '--vehicles') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) {
        process.stderr.write(`${a} needs a positive integer\n`);
        return 2;
      }
      vehicles = v;
    } else if (a.startsWith('--')) {
      process.stderr.write(`unknown option ${a}\n`);
      return 2;
    } else file = a;
  }
  if (!file) {
    process.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const parsed = parseInstance(text);
  if (!parsed.ok) {
    process.stderr.write(`${file}:${parsed.error.line}: ${parsed.error.message}\n`);
    return 1;
  }
  const inst = vehicles === undefined ? parsed.instance : { ...parsed.instance, vehicleLimit: vehicles };
  const t0 = performance.now();
  const answer = solveInstance(inst, { seed, timeLimitMs, clock: () => performance.now() });
  const ms = Math.round(performance.now() - t0);
  const line: Record<string, unknown> = {
    instance: inst.name,
    cost: answer.cost,
    routes: answer.routes,
    vehicles: answer.routes.length,
    vehicleLimit: inst.vehicleLimit ?? null,
    ms,
  };
  if (answer.unassigned.length) {
    // Only when the fleet limit and time windows leave no room: say so rather than hide it.
    line.unassigned = answer.unassigned;
    process.stderr.write(`${file}: ${answer.unassigned.length} customers could not be placed within the fleet limit\n`);
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return answer.unassigned.length ? 3 : 0;
}

process.exitCode = main(process.argv.slice(2));
