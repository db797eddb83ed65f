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
import { cliFail, parseCliArgs } from '../../common/cli-args.js';
import { solveInstance } from './benchmark-run.js';
import { parseInstance } from './instance.js';

const USAGE = 'usage: npm run -s vrp -- FILE [--time-limit-ms N] [--seed S] [--vehicles N]\n';

const HELP = `${USAGE}Solves a CVRPLIB/VRPLIB .vrp (CVRP or VRPTW) or Solomon .txt file (default 2000 ms, seed 1, the file's fleet limit) and prints one JSON line: instance, cost, routes, vehicles, vehicleLimit, ms.\n`;

function main(argv: string[]): number {
  const { values, positionals } = parseCliArgs('vrp', HELP, {
    args: argv,
    allowPositionals: true,
    options: { 'time-limit-ms': { type: 'string' }, seed: { type: 'string' }, vehicles: { type: 'string' } },
  });
  const nonNegative = (flag: string, v: string | undefined, otherwise: number) => {
    const x = v === undefined ? otherwise : Number(v);
    return Number.isFinite(x) && x >= 0 ? x : cliFail('vrp', `${flag} needs a non-negative number`);
  };
  const timeLimitMs = nonNegative('--time-limit-ms', values['time-limit-ms'], 2000);
  const seed = nonNegative('--seed', values.seed, 1);
  const vehicles = values.vehicles === undefined ? undefined : Number(values.vehicles);
  if (vehicles !== undefined && !(Number.isInteger(vehicles) && vehicles >= 1)) cliFail('vrp', '--vehicles needs a positive integer');
  const [file, ...more] = positionals;
  if (!file || more.length) {
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
