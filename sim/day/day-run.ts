/**
 * A whole day of service, headless: the rounds of {@link daySchedule} sent to the controller at
 * their times over a simulated fleet (sim/scenario.ts's rig), 24 hours of simulated time, with
 * the robots charging between services as the controller's charging policy sends them.
 */
import { loadSite } from '../../controller/site/index.js';
import { seededRandom, type CreateRoundBody, type RoundView } from '../../protocol/index.js';
import type { ClockKind } from '../scenario-clock.js';
import { EtaErrorRecorder, type EtaError } from '../eta-error.js';
import { plannedRound, startRobotRig } from '../scenario.js';
import { DayWatch } from './day-watch.js';
import { clockTime, daySchedule, type DayScheduleOptions, type DayService } from './schedule.js';

export interface DayOptions {
  site: string;
  seed: number;
  /** Robots, each starting at 60–100 % (drawn from the seed). Default 5. */
  robots?: number;
  clock?: ClockKind;
  /** Time scale on the scaled clock; ignored on the virtual clock. */
  speed: number;
  mqttUrl?: string;
  /** The day's shape (a shortened day for tests). */
  schedule?: DayScheduleOptions;
  /** Day seconds (after midnight) the run starts at: a shortened day. Default 0. */
  fromS?: number;
  /** Day seconds the run lasts until at least (then on until the last round ended). Default 24 h. */
  untilS?: number;
  /** Gives up after this much real time. Default 30 min. */
  wallLimitMs?: number;
  /** The controller's charging policy over its defaults. */
  battery?: Parameters<typeof startRobotRig>[0]['battery'];
  onNote?: (note: string) => void;
  /** A line for the person running it: the day's time and what is under way. */
  onProgress?: (line: string) => void;
}

/** What one round of the day came to. */
export interface DayServiceResult {
  name: string;
  rooms: number;
  delivered: number;
  notCollected: number;
  failed: number;
  /** Day clock (`hh:mm`) when it was sent and when its last trip ended. */
  started: string;
  ended: string;
}

/** What the day came to; counts are trays (one per room and round), times simulated. */
export interface DayResult {
  site: string;
  seed: number;
  clock: ClockKind;
  robots: number;
  /** Start charge of each robot, %. */
  startChargePct: number[];
  occupied: number;
  trays: number;
  delivered: number;
  notCollected: number;
  /** Failed or returned trays, and rooms of requests the controller refused. */
  failed: number;
  /** Medicine trays (rounds and urgent) and those delivered after their deadline, with the minutes late summed. */
  medicine: number;
  lateMedicine: { count: number; minutes: number };
  urgent: number;
  /** Robots whose reported charge fell under their reserve (the controller's count: `EnergyManager.belowReserve`). */
  belowReserve: number;
  /** The lowest charge any robot reported, %. */
  lowestChargePct: number;
  /** Hours robots reported charging, all together. */
  chargingH: number;
  /** Robots on a trip stuck without progress outside a lift for 10 simulated minutes (see `DayWatch`). */
  deadlocks: number;
  /** Seconds robots stood in queues: at and in lifts, and held short of a way another robot holds (see `queueOf`). */
  queueWaitS: { total: number; lift: number; held: number };
  /** Head-on meetings on single-width ways: the simulator's count (`world.narrow`, sim/sim-narrow-ways.ts). */
  headOn: number;
  /** |predicted − actual| delivery time of the delivered rooms of every round, at each round's start and at each tray's loading (sim/eta-error.ts). */
  etaError: EtaError;
  services: DayServiceResult[];
  /** Simulated hours from the day's midnight to the last trip's end. */
  simH: number;
  wallMs: number;
}

const pct1 = (x: number) => Math.round(x * 10) / 10;

/** Each robot's charge at the day's start, 60–100 % (one decimal), the same for a seed. */
export function startCharges(seed: number, robots: number): number[] {
  const random = seededRandom(seed ^ 0x0c4a26e);
  return Array.from({ length: robots }, () => pct1(60 + 40 * random()));
}

/** A round of the day the controller took: its id, and the deadline of each medicine room by request index. */
interface Sent {
  name: string;
  roundId: string;
  atS: number;
  /** Request index in the round → seconds after midnight it is due. */
  due: Map<number, number>;
}

/**
 * Runs the day: each service is one `POST /api/rounds` at its time (medicine rooms with their
 * deadline as `readyBy`); urgent medicine goes into the newest running round
 * (`POST /api/rounds/:id/urgent`), else as a round of its own. Ends once the day's hours have
 * passed and every round has ended.
 */
export async function runDay(options: DayOptions): Promise<DayResult> {
  const wallStart = performance.now();
  const site = await loadSite(options.site);
  const rooms = site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
  const schedule = daySchedule(rooms, options.seed, options.schedule);
  const robots = options.robots ?? 5;
  const charges = startCharges(options.seed, robots);
  const rig = await startRobotRig({
    site,
    robots,
    rooms: schedule.occupied,
    speed: options.speed,
    clock: options.clock,
    seed: options.seed,
    mqttUrl: options.mqttUrl,
    onNote: options.onNote,
    fleet: charges.map((batteryPct) => ({ batteryPct })),
    ...(options.battery ? { battery: options.battery } : {}),
  });
  const { app, clock } = rig;
  const etas = new EtaErrorRecorder(app);
  const midnightMs = clock.now() - (options.fromS ?? 0) * 1000;
  const dayS = () => (clock.now() - midnightMs) / 1000;
  const say = (text: string) => options.onProgress?.(`${clockTime(dayS())}  ${text}`);
  const watch = new DayWatch({
    fleet: app.fleet,
    graph: app.siteGraph,
    clock,
    tripSinceMs: (robot) => {
      const trip = app.trips.activeTripOf(robot);
      return trip && Date.parse(trip.createdAt);
    },
    onStall: (s) => say(`deadlock: ${s.robot} has made no progress at ${s.node} since ${clockTime((s.sinceMs - midnightMs) / 1000)}`),
  });
  const stopWatch = watch.start();
  const sent: Sent[] = [];
  /** Rooms whose request the controller refused. */
  let refusedRooms = 0;
  // Requests answered (or refused): the day ends only after all of them.
  let answered = 0;
  const events = schedule.services.length + schedule.urgent.length;
  const at = (s: number, rooms: number, fn: () => Promise<void>) =>
    clock.setTimeout(
      () => {
        // Time stands still while the request is under way.
        void clock
          .hold(fn())
          .catch((error: Error) => {
            refusedRooms += rooms;
            say(error.message);
          })
          .finally(() => answered++);
      },
      midnightMs + s * 1000 - clock.now(),
    );
  const readyBy = (s: number) => new Date(midnightMs + s * 1000).toISOString();

  for (const service of schedule.services) {
    at(service.atS, service.rooms.length, async () => {
      const requests: CreateRoundBody['rooms'] = service.rooms.map((room) =>
        service.dueS === undefined ? { room, priority: 'meal' } : { room, priority: 'medicine', readyBy: readyBy(service.dueS) },
      );
      const round = await plannedRound(app, requests, etas);
      sent.push({ name: service.name, roundId: round.id, atS: service.atS, due: dueOf(service) });
      say(`${service.name} started: ${service.rooms.length} rooms${service.dueS !== undefined ? `, due by ${clockTime(service.dueS)}` : ''}`);
    });
  }
  for (const urgent of schedule.urgent) {
    at(urgent.atS, 1, async () => {
      const running = app.rounds
        .list()
        .filter((r) => r.status === 'running')
        .at(-1);
      if (running) {
        const reply = await app.inject({ method: 'POST', url: `/api/rounds/${running.id}/urgent`, payload: { room: urgent.room, item: 'urgent medicine' } });
        if (reply.statusCode !== 200) throw new Error(`urgent medicine for ${urgent.room} refused: ${reply.body}`);
        // Into the round under way (the last of its requests): its deadline is kept here.
        sent.find((s) => s.roundId === running.id)?.due.set(reply.json<RoundView>().rooms.length - 1, urgent.dueS);
      } else {
        const round = await plannedRound(app, [{ room: urgent.room, item: 'urgent medicine', priority: 'medicine', readyBy: readyBy(urgent.dueS) }], etas);
        sent.push({ name: `urgent ${urgent.room}`, roundId: round.id, atS: urgent.atS, due: new Map([[0, urgent.dueS]]) });
      }
      say(`urgent medicine for room ${urgent.room}${running ? ` into round ${running.id}` : ''}, due by ${clockTime(urgent.dueS)}`);
    });
  }
  let over = false;
  clock.setTimeout(() => (over = true), midnightMs + (options.untilS ?? 24 * 3600) * 1000 - clock.now());
  const hourly = () => {
    const running = sent.filter((s) => app.rounds.get(s.roundId)?.status === 'running').map((s) => s.name);
    const charge = app.fleet
      .list()
      .map((r) => {
        const b = app.fleet.lastState(r.id)?.batteryState;
        return `${r.id.replace('robot-', 'r')} ${b ? Math.round(b.batteryCharge) : '?'}%${b?.charging ? '+' : ''}`;
      })
      .join(' ');
    say(`${running.length ? `under way: ${running.join(', ')}` : 'between services'}  |  ${charge}  |  wall ${Math.round((performance.now() - wallStart) / 1000)} s`);
    if (!over) clock.setTimeout(hourly, 3_600_000);
  };
  clock.setTimeout(hourly, 3_600_000 - ((clock.now() - midnightMs) % 3_600_000));

  /** Day seconds at which each round was first seen done (checked at every quiet instant). */
  const ended = new Map<string, number>();
  const allEnded = () => {
    let all = true;
    for (const s of sent) {
      if (app.rounds.get(s.roundId)?.status !== 'done') all = false;
      else if (!ended.has(s.roundId)) {
        ended.set(s.roundId, dayS());
        say(`${s.name} done`);
      }
    }
    return all;
  };
  const wallLimitMs = options.wallLimitMs ?? 1_800_000;
  try {
    await clock.until(() => allEnded() && over && answered === events, { wallLimitMs, what: 'the day to end' });
    return tally();
  } finally {
    stopWatch();
    etas.stop();
    await rig.stop();
  }

  function tally(): DayResult {
    let delivered = 0;
    let notCollected = 0;
    let failed = refusedRooms;
    let medicine = 0;
    const late = { count: 0, minutes: 0 };
    const services: DayServiceResult[] = [];
    for (const s of sent) {
      const view = app.rounds.get(s.roundId);
      if (!view) throw new Error(`round ${s.roundId} (${s.name}) is no longer held`);
      const counts = { delivered: 0, notCollected: 0, failed: 0 };
      view.rooms.forEach((room, i) => {
        if (room.status === 'delivered') counts.delivered++;
        else if (room.status === 'notCollected') counts.notCollected++;
        else counts.failed++;
        const due = s.due.get(i);
        if (due === undefined) return;
        medicine++;
        const atS = room.deliveredAt ? (Date.parse(room.deliveredAt) - midnightMs) / 1000 : undefined;
        if (atS !== undefined && atS > due) {
          late.count++;
          late.minutes += (atS - due) / 60;
        }
      });
      delivered += counts.delivered;
      notCollected += counts.notCollected;
      failed += counts.failed;
      services.push({ name: s.name, rooms: view.rooms.length, ...counts, started: clockTime(s.atS), ended: clockTime(ended.get(s.roundId) ?? dayS()) });
    }
    const lowest = Math.min(...watch.lowestChargePct().values());
    return {
      site: site.name,
      seed: options.seed,
      clock: rig.kind,
      robots,
      startChargePct: charges,
      occupied: schedule.occupied.length,
      trays: delivered + notCollected + failed - refusedRooms,
      delivered,
      notCollected,
      failed,
      medicine,
      lateMedicine: { count: late.count, minutes: Math.round(late.minutes) },
      urgent: schedule.urgent.length,
      belowReserve: new Set(app.energy.belowReserve().map((d) => d.robot)).size,
      lowestChargePct: pct1(lowest),
      chargingH: pct1(watch.chargingH()),
      deadlocks: watch.stalls.length,
      queueWaitS: roundAll(watch.queueWaitS()),
      headOn: rig.world.narrow.headOn.length,
      etaError: etas.summary(sent.flatMap((s) => app.rounds.get(s.roundId) ?? [])),
      services,
      simH: pct1(dayS() / 3600),
      wallMs: Math.round(performance.now() - wallStart),
    };
  }
}

/** A medicine service's rooms by request index, each due at the service's deadline. */
function dueOf(service: DayService): Map<number, number> {
  return new Map(service.dueS === undefined ? [] : service.rooms.map((_, i) => [i, service.dueS!]));
}

function roundAll<T extends Record<string, number>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)])) as T;
}
