import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { startEmbeddedBroker } from '../controller/transport/embedded-broker.js';
import type { CreateRoundBody, CreateTripBody, RoundView, Site, TripView } from '../protocol/index.js';
import { AutoMedic, roomList } from './auto-medic.js';
import { EtaErrorRecorder, type EtaError } from './eta-error.js';
import { seededRandom, shuffle } from '../protocol/index.js';
import { startSimRobotFleet, type SimRobot, type SimRobotFleetOptions } from './robot-fleet.js';
import { startSimDoorSensors, type SimDoorSensors } from './sim-door-sensors.js';
import { scenarioClock, type ClockKind, type SimClock } from './scenario-clock.js';
import { SimWorld } from './world.js';
import { naturalOrder } from '../common/natural-order.js';

export interface RobotScenarioOptions {
  site: string;
  robots: number;
  rooms: number;
  /** Time scale on the scaled clock: simulated seconds per real second. Ignored on the virtual clock. */
  speed: number;
  /** `virtual` (default): repeatable, as fast as the CPU allows; `scaled`: wall time × `speed`. */
  clock?: ClockKind;
  seed: number;
  /** Use this broker instead of an embedded one. */
  mqttUrl?: string;
  /** `round`: the controller plans the round (POST /api/rounds); `by-floor`: a medic fills each robot with the next rooms. Default round. */
  dispatch?: 'round' | 'by-floor';
  /** Gives up after this much real time. Default 10 min. */
  wallLimitMs?: number;
  /** `false`: the controller is not told which ways are single-width (no reservations), to see what that costs. Default true. */
  reserveWays?: boolean;
  /** A line for the person running it (the clock falls back to scaled with a broker in another process). */
  onNote?: (note: string) => void;
  onProgress?: (progress: { done: number; total: number; delivered: number; notCollected: number; failed: number; simS: number }) => void;
}

/** What a lunch round came to; times in simulated seconds. */
export interface RobotScenarioResult {
  site: string;
  robots: number;
  rooms: number;
  dispatch: 'round' | 'by-floor';
  /** The clock it ran on: only a `virtual` run gives the same figures twice. */
  clock: ClockKind;
  seed: number;
  trips: number;
  delivered: number;
  notCollected: number;
  failed: number;
  /** Delivered trays whose room's door sensor saw the door open while the tray waited (pickup confirmed by the sensor). */
  doorConfirmed: number;
  /** Door opens the rooms' simulated sensors published (a resident who came after the robot left included). */
  doorOpens: number;
  /** Times a robot had a door on its way (`site.doors`) opened for it. */
  doorsOnTheWay: number;
  /** From the first trip sent to the last robot back at the station. */
  makespanS: number;
  /** Seconds from the first robot back from its last trip to the last one (how evenly the round ended). */
  lastBackSpreadS: number;
  /** Real ms from `POST /api/rounds` until the first order was acknowledged by the broker (planned rounds). */
  firstOrderMs?: number;
  /** Mean time from the start of the round to a tray's collection. */
  meanDeliveryS: number;
  /**
   * Planned rounds: |predicted − actual| delivery time of the delivered rooms, as the round's
   * view predicted it at the round's start (after its first plan) and when each tray was loaded.
   */
  etaError?: EtaError;
  /** Disinfections the robots finished (the simulator's count, from what the robots did). */
  disinfections: number;
  /**
   * Each time a robot entered green from red with no finished disinfection since (the
   * simulator's isolation check; see `sim/isolation-check.ts`): 0 unless a planner is wrong.
   */
  isolationBreaches: number;
  /** The breaches themselves: robot, the green node, the red node before, simulated seconds into the round. */
  breaches: { robot: string; node: string; fromRed: string; atS: number }[];
  /**
   * Times two robots met head-on on a single-width way (the simulator's count, `world.narrow`;
   * see `sim/sim-narrow-ways.ts`): 0 unless a reservation is missing.
   */
  headOn: number;
  /** The meetings themselves: the way, the two robots, simulated seconds into the round. */
  headOnMeetings: { way: string; robots: [string, string]; atS: number }[];
  /** Robots that stood behind another on a single-width way longer than the world's limit (120 s). */
  longWaits: { robot: string; way: string; node: string; waitedS: number; atS: number }[];
  /** The controller's queues for single-width ways: grants, and seconds waited in all and at most by one robot. */
  wayQueues: { grants: number; waitedS: number; maxWaitS: number };
  wallMs: number;
}

/**
 * A headless lunch round: broker, controller, the real bridges on simulated robots, with the
 * rooms dispatched by the controller's round planner or, for comparison, by a simulated medic
 * who fills each idle robot with the next four rooms (sorted, so by floor, as done by hand).
 * Ends when every trip has ended.
 */
export async function runRobotScenario(options: RobotScenarioOptions): Promise<RobotScenarioResult> {
  const wallStart = performance.now();
  const site = await loadSite(options.site);
  const random = seededRandom(options.seed);
  const allRooms = site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
  if (options.rooms > allRooms.length) throw new Error(`${options.site} has ${allRooms.length} rooms, asked for ${options.rooms}`);
  const chosen = shuffle(allRooms, random).slice(0, options.rooms).sort(naturalOrder);

  const rig = await startRobotRig({
    site,
    robots: options.robots,
    rooms: chosen,
    speed: options.speed,
    clock: options.clock,
    seed: options.seed,
    mqttUrl: options.mqttUrl,
    onNote: options.onNote,
    ...(options.reserveWays === false ? { reserveWays: false } : {}),
  });
  const { app, world, doors, clock, kind } = rig;
  const startMs = clock.now();
  const etas = new EtaErrorRecorder(app);
  try {
    const dispatcher =
      options.dispatch === 'by-floor'
        ? byFloorMedic(app, clock, chosen)
        : await plannedRound(
            app,
            chosen.map((room) => ({ room })),
            etas,
          );
    const wallLimitMs = options.wallLimitMs ?? 600_000;
    {
      const check = () => {
        const trays = dispatcher.trips().flatMap((t) => t.trays);
        options.onProgress?.({
          done: trays.filter((t) => t.status !== 'loaded').length,
          total: chosen.length,
          delivered: trays.filter((t) => t.status === 'delivered').length,
          notCollected: trays.filter((t) => t.status === 'notCollected').length,
          failed: trays.filter((t) => t.status === 'failed' || t.status === 'returned').length,
          simS: (clock.now() - startMs) / 1000,
        });
        if (!dispatcher.finished()) dispatcher.nudge();
      };
      app.fleet.on('robot', check);
      app.trips.on('trip', check);
      check();
      await clock.until(() => dispatcher.finished(), { wallLimitMs, what: `the round to end (scenario did not finish within ${wallLimitMs} ms)` });
    }
    const trips = dispatcher.trips();
    const trays = trips.flatMap((t) => t.trays);
    const ends = trips.map((t) => Date.parse(t.finishedAt ?? t.createdAt));
    const lastBack = new Map<string, number>();
    trips.forEach((t, i) => lastBack.set(t.robot, Math.max(lastBack.get(t.robot) ?? -Infinity, ends[i]!)));
    const deliveries = trays.flatMap((t) => (t.deliveredAt ? [(Date.parse(t.deliveredAt) - startMs) / 1000] : []));
    return {
      site: site.name,
      robots: options.robots,
      rooms: chosen.length,
      dispatch: options.dispatch ?? 'round',
      clock: kind,
      seed: options.seed,
      ...(dispatcher.firstOrderMs?.() !== undefined ? { firstOrderMs: round(dispatcher.firstOrderMs()!) } : {}),
      ...(dispatcher.round ? { etaError: etas.summary([dispatcher.round()]) } : {}),
      trips: trips.length,
      delivered: trays.filter((t) => t.status === 'delivered').length,
      notCollected: trays.filter((t) => t.status === 'notCollected').length,
      failed: trays.filter((t) => t.status === 'failed' || t.status === 'returned').length,
      doorConfirmed: trays.filter((t) => t.status === 'delivered' && t.doorOpenedAt !== undefined).length,
      doorOpens: doors.opens,
      doorsOnTheWay: world.doors.opened,
      makespanS: round((Math.max(...ends) - startMs) / 1000),
      lastBackSpreadS: round((Math.max(...lastBack.values()) - Math.min(...lastBack.values())) / 1000),
      meanDeliveryS: round(deliveries.reduce((a, b) => a + b, 0) / Math.max(1, deliveries.length)),
      disinfections: world.isolation.disinfections.length,
      isolationBreaches: world.isolation.breaches.length,
      breaches: world.isolation.breaches.map((b) => ({ robot: b.robot, node: b.node, fromRed: b.fromRed, atS: round((b.atMs - startMs) / 1000) })),
      headOn: world.narrow.headOn.length,
      headOnMeetings: world.narrow.headOn.map((m) => ({ way: m.way, robots: m.robots, atS: round((m.atMs - startMs) / 1000) })),
      longWaits: world.narrow.longWaits.map((w) => ({ ...w, waitedS: round(w.waitedS), atS: round((w.atMs - startMs) / 1000) })),
      wayQueues: {
        grants: app.trips.narrowWays.waits.length,
        waitedS: round(app.trips.narrowWays.waits.reduce((a, w) => a + w.waitedS, 0)),
        maxWaitS: round(Math.max(0, ...app.trips.narrowWays.waits.map((w) => w.waitedS))),
      },
      wallMs: Math.round(performance.now() - wallStart),
    };
  } finally {
    etas.stop();
    await rig.stop();
  }
}

export interface RobotRigOptions {
  site: Site;
  robots: number;
  /** The rooms fitted with a simulated door sensor. */
  rooms: readonly string[];
  /** See {@link RobotScenarioOptions}. */
  speed: number;
  clock?: ClockKind;
  seed: number;
  mqttUrl?: string;
  onNote?: (note: string) => void;
  /** Robot by robot: its start charge, node and battery (see `SimRobotFleetOptions.robots`). */
  fleet?: SimRobotFleetOptions['robots'];
  /** The controller's battery model and charging policy over their defaults. */
  battery?: AppOptions['battery'];
  /** `false`: the controller is not told which ways are single-width (the world still is). */
  reserveWays?: boolean;
}

/** A controller with its simulated world, robots and door sensors, every robot online and idle. */
export interface RobotRig {
  app: FastifyInstance;
  world: SimWorld;
  fleet: { robots: SimRobot[] };
  doors: SimDoorSensors;
  clock: SimClock;
  kind: ClockKind;
  stop(): Promise<void>;
}

/**
 * What a robot scenario runs on: a broker (embedded unless `mqttUrl`), the controller, the
 * simulated world, the real bridges on simulated robots and a door sensor on each room of
 * `rooms`; resolves once every robot is online and idle. `stop` tears it down.
 */
export async function startRobotRig(options: RobotRigOptions): Promise<RobotRig> {
  const { site } = options;
  const { clock, kind, note } = scenarioClock(options.clock ?? 'virtual', options.speed, options.mqttUrl);
  if (note) options.onNote?.(note);
  const broker = options.mqttUrl ? undefined : await startEmbeddedBroker();
  const mqttUrl = options.mqttUrl ?? broker!.url;
  // A manufacturer of its own keeps runs on a shared broker apart (retained messages included).
  const manufacturer = `scenario-${options.seed}-${Math.random().toString(36).slice(2, 8)}`;
  // On the virtual clock the round improvement runs on a budget of work: one in real time gives another plan on a busier machine.
  // Without reservations the controller does not know the ways are single-width; the world does.
  const controllerSite = options.reserveWays === false ? { ...site, lanes: site.lanes.map(({ way: _, ...lane }) => lane) } : site;
  const app = await buildApp({
    site: controllerSite,
    mqttUrl,
    manufacturer,
    clock,
    roundBudget: kind === 'virtual' ? 'work' : 'wall',
    ...(options.battery ? { battery: options.battery } : {}),
  });
  const world = new SimWorld({
    site,
    clock,
    seed: options.seed,
    onIsolationBreach: (b) => options.onNote?.(`isolation breach: ${b.robot} entered green ${b.node} from red ${b.fromRed} undisinfected`),
  });
  const fleet = await startSimRobotFleet({
    mqttUrl,
    world,
    count: options.robots,
    manufacturer,
    // Position reports only cost time here: every 20 s of simulated time on the virtual clock.
    visualizationIntervalMs: kind === 'virtual' ? 20_000 : Math.max(1000, options.speed * 200),
    ...(options.fleet ? { robots: options.fleet } : {}),
  });
  // A contact sensor on every door of the round: the resident opens it to take the tray.
  const doors = await startSimDoorSensors({ mqttUrl, world, rooms: options.rooms });
  const stop = async () => {
    await doors.stop();
    await fleet.stop();
    await app.close();
    await broker?.close();
    clock.close();
  };
  try {
    await clock.until(() => app.fleet.list().filter((r) => r.online && r.state === 'idle').length === options.robots, { wallLimitMs: 10_000, what: 'robots online' });
  } catch (error) {
    await stop();
    throw error;
  }
  return { app, world, fleet, doors, clock, kind, stop };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Who decides what goes on each robot during a scenario. */
export interface ScenarioDispatcher {
  trips(): TripView[];
  finished(): boolean;
  /** Called on every fleet or trip change. */
  nudge(): void;
  firstOrderMs?: () => number | undefined;
  /** The planned round's view. */
  round?: () => RoundView;
}

/** The medic by hand: each idle robot gets the next four rooms of the sorted list. */
function byFloorMedic(app: FastifyInstance, clock: SimClock, rooms: string[]): ScenarioDispatcher {
  const queue = roomList(rooms);
  const trips: TripView[] = [];
  const medic = new AutoMedic({
    robots: () => app.fleet.list(),
    busy: (robot) => app.trips.activeTripOf(robot) !== undefined,
    rooms: queue,
    trays: 4,
    createTrip: async (body: CreateTripBody) => {
      // Time stands still while the medic's request is under way.
      const reply = await clock.hold(app.inject({ method: 'POST', url: '/api/trips', payload: body }));
      if (reply.statusCode === 201) trips.push(app.trips.get(reply.json<{ id: string }>().id)!);
      return reply.statusCode === 201;
    },
  });
  return {
    trips: () => trips,
    finished: () => queue.left === 0 && trips.every((t) => t.status === 'done' || t.status === 'failed'),
    nudge: () => void medic.dispatch(),
  };
}

/** The planner: one `POST /api/rounds` of `rooms`; the controller sends trips as robots come back. */
export async function plannedRound(app: FastifyInstance, rooms: CreateRoundBody['rooms'], etas?: EtaErrorRecorder): Promise<ScenarioDispatcher & { id: string }> {
  const t0 = performance.now();
  let firstOrderMs: number | undefined;
  // A trip is announced once its order was published with QoS 1 and acknowledged.
  app.trips.once('trip', () => (firstOrderMs = performance.now() - t0));
  const reply = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms } });
  if (reply.statusCode !== 201) throw new Error(`round refused: ${reply.body}`);
  const id = reply.json<{ id: string }>().id;
  const round = () => app.rounds.get(id)!;
  // The round has started: its first plan is made and its first trips sent.
  etas?.roundSeen(round());
  return {
    id,
    trips: () => round().plan.flatMap((p) => p.trips.flatMap((t) => (t.tripId ? [app.trips.get(t.tripId)!] : []))),
    finished: () => round().status === 'done',
    nudge: () => {},
    firstOrderMs: () => firstOrderMs,
    round,
  };
}

/** Polls `condition` in real time until it holds. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
