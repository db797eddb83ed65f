/**
 * `npm run bench:round`: a 150-room lunch round on the `hotel` site (5 robots × 4 trays, 8
 * floors, 2 lifts) for each of `--seeds` (default 1, 2, 3). Compares (a) the round planner,
 * (b) by-floor grouping as a medic does by hand, and (c) a lower bound, first in the planner's
 * time model and then simulated end to end (broker, controller, real bridges on simulated
 * robots, lift queues, residents), with the planned rounds' ETA error (|predicted − actual|
 * delivery of each delivered room, as predicted at the round's start and when its tray was
 * loaded). Progress on stderr, tables on stdout.
 * `--clock virtual` (default): the simulation steps on the virtual clock and the planners search
 * on a budget of work (`workClock`), so two runs print the same figures; only real-time columns
 * (plan ms, wall s, the first order's latency) vary. `--clock scaled --speed N`: wall time × N
 * and planners limited in real time, as before.
 */
import { cliFail, parseCliArgs } from '../common/cli-args.js';
import { MAKESPAN_THEN_DELIVERY, planRound, planRoundByFloor, timeSchedule, workClock, type RoundInput, type RoundPlan } from '../controller/dispatch/index.js';
import { remainingProblem } from '../controller/rounds/index.js';
import { loadSite, SiteGraph } from '../controller/site/index.js';
import { seededRandom, shuffle } from '../protocol/index.js';
import { runRobotScenario, type RobotScenarioResult } from '../sim/scenario.js';
import { naturalOrder } from '../common/natural-order.js';

const USAGE = [
  'usage: npm run bench:round -- [--seeds 1,2,3] [--rooms 150] [--robots 5] [--clock virtual|scaled] [--speed 100]',
  'A lunch round on the hotel for each seed: the round planner, by-floor grouping and a lower bound, planned and then simulated end to end',
  '(broker, controller, bridges, lifts), with the ETA error. --clock virtual (default) repeats its figures; scaled runs at wall time × --speed.',
  '',
].join('\n');
const { values } = parseCliArgs('bench:round', USAGE, {
  options: {
    rooms: { type: 'string', default: '150' },
    robots: { type: 'string', default: '5' },
    speed: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '1,2,3' },
    clock: { type: 'string', default: 'virtual' },
  },
});
if (values.clock !== 'virtual' && values.clock !== 'scaled') cliFail('bench:round', `--clock must be virtual or scaled, got ${values.clock}`);
const clockKind = values.clock;
/** The planners' clock: a budget of work on the virtual clock (repeatable), real time on the scaled one. */
const planClock = () => (clockKind === 'virtual' ? workClock() : () => performance.now());
const budgetLabel = clockKind === 'virtual' ? 'planner, 1 s of work' : 'planner, 1 s';
const roomCount = Number(values.rooms);
const robotCount = Number(values.robots);
const seeds = values.seeds.split(',').map(Number);
if (seeds.some((x) => !Number.isInteger(x))) cliFail('bench:round', `--seeds must be integers separated by commas, got ${values.seeds}`);

const site = await loadSite('hotel');
const graph = new SiteGraph(site);
const times = { doorServiceS: 45, loadSPerTray: 10 };

/** The rooms the scenario runner picks for a seed, as the planner's input (with the lift cars, as the round manager plans). */
function roundOf(seed: number): { input: RoundInput; rooms: string[] } {
  const all = site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
  const rooms = shuffle(all, seededRandom(seed)).slice(0, roomCount).sort(naturalOrder);
  const requests = rooms.map((room) => ({ room, priority: 'meal' as const }));
  const robots = Array.from({ length: robotCount }, (_, i) => ({ id: `robot-${i + 1}`, trays: 4, availableInS: 0 }));
  const problem = remainingProblem(
    graph,
    requests,
    requests.map((_, i) => i),
    robots,
    times,
    0,
  );
  return { input: problem.input, rooms };
}

/**
 * A lower bound on the makespan, the largest of three:
 * - work: the robots share every tray's loading and door time, the trips' driving, and the
 *   waits for the medic at the start. A trip drives at least the round trip to its farthest
 *   door, so the trips drive at least the sum of every fourth of the doors' round trips sorted
 *   longest first (any other grouping has a larger farthest door in some group; more trips add
 *   at least the shortest round trip each). Doors are at the end of a stub off the corridor, so
 *   each further stop of a trip adds the stub in and out. The medic loads one robot at a time,
 *   so at the start the j-th robot loaded waits for j loads of at least one tray;
 * - the medic: one person loads every tray, one robot at a time;
 * - the lifts: each trip to a guest floor rides up and down, each ride holds a car for at
 *   least doors twice, entering, leaving and one floor.
 */
function lowerBound(problem: RoundInput, rooms: readonly string[]): { workS: number; medicS: number; liftS: number } {
  const n = problem.requests.length;
  const trays = 4;
  const trips = Math.ceil(n / trays);
  const T = problem.travelS;
  const roundTrips = problem.requests.map((r) => T[0]![r.room]! + T[r.room]![0]!).sort((a, b) => b - a);
  let farthestS = 0;
  for (let i = 0; i < n; i += trays) farthestS += roundTrips[i]!;
  const station = graph.loadingStation.id;
  const stubS = Math.min(...rooms.map((room) => graph.route(graph.roomNodes.get(room)!.id, station)!.hops[0]!.timeS));
  const doorsS = 2 * stubS * (n - trips);
  const startWaitsS = (times.loadSPerTray * robotCount * (robotCount - 1)) / 2;
  const workS = (n * (times.loadSPerTray + times.doorServiceS) + farthestS + doorsS + startWaitsS) / robotCount;
  const medicS = n * times.loadSPerTray;
  const lift = site.lifts[0]!;
  const liftS = (trips * 2 * (2 * lift.doorS + 2 * lift.enterS + lift.perFloorS)) / site.lifts.length;
  return { workS, medicS, liftS };
}

const timed = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
};
const liftWaitS = (plan: RoundPlan) => plan.robots.reduce((a, r) => a + r.trips.reduce((b, t) => b + t.rides.reduce((c, x) => c + x.startS - x.callS, 0), 0), 0);
const rides = (plan: RoundPlan) => plan.robots.reduce((a, r) => a + r.trips.reduce((b, t) => b + t.rides.length, 0), 0);
const modelRow = (label: string, plan: RoundPlan, ms: number, base: RoundPlan) =>
  `| ${label} | ${plan.metrics.makespanS.toFixed(0)} | ${(plan.metrics.makespanS / base.metrics.makespanS).toFixed(3)} | ${plan.metrics.meanDeliveryS.toFixed(0)} | ${(plan.metrics.meanDeliveryS / base.metrics.meanDeliveryS).toFixed(3)} | ${plan.robots.reduce((a, r) => a + r.trips.length, 0)} | ${rides(plan) ? `${rides(plan)} / ${liftWaitS(plan).toFixed(0)}` : ''} | ${ms.toFixed(0)} |`;
const header = ['| planner | makespan s | ÷ by-floor | mean delivery s | ÷ by-floor | trips | lift rides / s waiting | plan ms |', '|---|---:|---:|---:|---:|---:|---:|---:|'];

const out: string[] = [
  `Lunch round on hotel: ${roomCount} rooms, ${robotCount} robots × 4 trays, seeds ${seeds.join(', ')}. Door time ${times.doorServiceS} s, loading ${times.loadSPerTray} s per tray.`,
];
const simRows: string[] = [];
const ratios: { makespan: number; mean: number }[] = [];
const clockLabel = clockKind === 'virtual' ? 'virtual clock' : `x${values.speed}`;
const progress = (label: string) => {
  let shown = -1;
  return (p: { done: number; total: number }) => {
    if (p.done === shown) return;
    shown = p.done;
    process.stderr.write(`\r  ${label}: ${p.done}/${p.total} trays`);
  };
};
const sim = async (seed: number, dispatch: 'round' | 'by-floor'): Promise<RobotScenarioResult> => {
  const result = await runRobotScenario({
    site: 'hotel',
    robots: robotCount,
    rooms: roomCount,
    speed: Number(values.speed),
    clock: clockKind,
    seed,
    dispatch,
    onProgress: progress(`seed ${seed}, ${dispatch}`),
    onNote: (note) => process.stderr.write(`note: ${note}\n`),
  });
  process.stderr.write('\n');
  return result;
};
/** Per seed: POST /api/rounds to the first order acknowledged; the first is the first request the process serves. */
const firstOrderMs: number[] = [];

for (const seed of seeds) {
  const { input, rooms } = roundOf(seed);
  process.stderr.write(`seed ${seed}: planning…\n`);
  const [planned, plannedMs] = timed(() => planRound(input, { timeLimitMs: 1000, clock: planClock(), seed }));
  const [byFloor, byFloorMs] = timed(() => planRoundByFloor(input));
  // The model without lift queues (as the controller planned before), and what its plans come to once the cars are shared.
  const liftFreeInput: RoundInput = { ...input, lifts: undefined };
  const [plannedLiftFree, plannedLiftFreeMs] = timed(() => planRound(liftFreeInput, { timeLimitMs: 1000, clock: planClock(), seed }));
  const byFloorLiftFree = planRoundByFloor(liftFreeInput);
  const retimed = timeSchedule(
    input,
    plannedLiftFree.robots.map((r) => r.trips.map((t) => ({ reqs: t.stops.map((s) => s.request), notBeforeS: 0 }))),
    MAKESPAN_THEN_DELIVERY,
  );
  const bound = lowerBound(input, rooms);
  const boundS = Math.max(bound.workS, bound.medicS, bound.liftS);
  const liftFreeBound = Math.max(bound.workS, bound.medicS);
  out.push(
    '',
    `Seed ${seed}, in the planner's model (one medic loads one robot at a time; one robot per lift car, cars served in call order and travelling to the caller; the model the controller plans in):`,
    '',
    ...header,
    modelRow(budgetLabel, planned, plannedMs, byFloor),
    modelRow('by floor (medic by hand)', byFloor, byFloorMs, byFloor),
    modelRow('planner without lift queues, timed with them', retimed, 0, byFloor),
    `| lower bound (work ${bound.workS.toFixed(0)}, medic ${bound.medicS.toFixed(0)}, lifts ${bound.liftS.toFixed(0)}) | ${boundS.toFixed(0)} | ${(boundS / byFloor.metrics.makespanS).toFixed(3)} | | | | | |`,
    '',
    'The same without lift queues (rides cost their fixed time):',
    '',
    ...header,
    modelRow(budgetLabel, plannedLiftFree, plannedLiftFreeMs, byFloorLiftFree),
    modelRow('by floor (medic by hand)', byFloorLiftFree, 0, byFloorLiftFree),
    `| lower bound (work ${bound.workS.toFixed(0)}, medic ${bound.medicS.toFixed(0)}) | ${liftFreeBound.toFixed(0)} | ${(liftFreeBound / byFloorLiftFree.metrics.makespanS).toFixed(3)} | | | | | |`,
  );

  process.stderr.write(`seed ${seed}: simulating the planned round (${clockLabel})…\n`);
  const simPlanned = await sim(seed, 'round');
  if (simPlanned.firstOrderMs !== undefined) firstOrderMs.push(simPlanned.firstOrderMs);
  process.stderr.write(`seed ${seed}: simulating the by-floor round…\n`);
  const simByFloor = await sim(seed, 'by-floor');
  const eta = (f?: { meanS: number; p90S: number }) => (f ? `${f.meanS.toFixed(0)} / ${f.p90S.toFixed(0)}` : '');
  const simRow = (label: string, r: RobotScenarioResult) =>
    `| ${seed} | ${label} | ${r.makespanS.toFixed(0)} | ${(r.makespanS / simByFloor.makespanS).toFixed(3)} | ${r.meanDeliveryS.toFixed(0)} | ${(r.meanDeliveryS / simByFloor.meanDeliveryS).toFixed(3)} | ${r.lastBackSpreadS.toFixed(0)} | ${r.delivered} / ${r.notCollected} / ${r.failed} | ${eta(r.etaError?.atStart)} | ${eta(r.etaError?.atStartKept)}${r.etaError ? ` (${r.etaError.atStartKept.n} of ${r.etaError.atStart.n})` : ''} | ${eta(r.etaError?.atLoad)} | ${(r.wallMs / 1000).toFixed(1)} |`;
  simRows.push(
    simRow('planner (POST /api/rounds)', simPlanned),
    simRow('by floor (medic by hand)', simByFloor),
    `| ${seed} | lower bound (work ${bound.workS.toFixed(0)}, medic ${bound.medicS.toFixed(0)}, lifts ${bound.liftS.toFixed(0)}) | ${boundS.toFixed(0)} | ${(boundS / simByFloor.makespanS).toFixed(3)} | | | | | | | | |`,
  );
  ratios.push({ makespan: simPlanned.makespanS / simByFloor.makespanS, mean: simPlanned.meanDeliveryS / simByFloor.meanDeliveryS });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
out.push(
  '',
  `Simulated end to end (lift queues, one robot per car, residents 10–60 s, 5 % never come), ${clockLabel}:`,
  '',
  '| seed | dispatch | makespan s | ÷ by-floor | mean delivery s | ÷ by-floor | first to last robot back s | delivered / not collected / failed | ETA error at start s, mean / p90 | the same, rooms kept on the trip planned at the start | ETA error at loading s, mean / p90 | wall s |',
  '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...simRows,
  '',
  `Planner ÷ by-floor over the seeds: makespan ${mean(ratios.map((r) => r.makespan)).toFixed(3)} (worst ${Math.max(...ratios.map((r) => r.makespan)).toFixed(3)}; target ≤ 0.93), mean delivery ${mean(ratios.map((r) => r.mean)).toFixed(3)} (worst ${Math.max(...ratios.map((r) => r.mean)).toFixed(3)}; target ≤ 0.95).`,
  '',
  `POST /api/rounds to the first order acknowledged by the broker, ms of real time (target 50 ms): ${firstOrderMs[0]?.toFixed(1)} for the process's first request (cold: Fastify, zod and the site's routes run for the first time)${
    firstOrderMs.length > 1
      ? `, then ${firstOrderMs
          .slice(1)
          .map((ms) => ms.toFixed(1))
          .join(', ')}`
      : ''
  }.`,
);
process.stdout.write(`${out.join('\n')}\n`);
