import type { FastifyInstance } from 'fastify';
import { buildApp } from '../controller/app.js';
import { loadSite } from '../controller/site/index.js';
import { startEmbeddedBroker } from '../controller/transport/embedded-broker.js';
import type { CreateTripBody, TripView } from '../protocol/index.js';
import { AutoMedic, roomList } from './auto-medic.js';
import { seededRandom, shuffle } from '../protocol/index.js';
import { startSimRobotFleet } from './robot-fleet.js';
import { ScaledClock } from './scaled-clock.js';
import { SimWorld } from './world.js';

export interface RobotScenarioOptions {
  site: string;
  robots: number;
  rooms: number;
  /** Time scale: simulated seconds per real second. */
  speed: number;
  seed: number;
  /** Use this broker instead of an embedded one. */
  mqttUrl?: string;
  /** `round`: the controller plans the round (POST /api/rounds); `by-floor`: a medic fills each robot with the next rooms. Default round. */
  dispatch?: 'round' | 'by-floor';
  /** Gives up after this much real time. Default 10 min. */
  wallLimitMs?: number;
  onProgress?: (progress: { done: number; total: number; delivered: number; notCollected: number; failed: number; simS: number }) => void;
}

/** What a lunch round came to; times in simulated seconds. */
export interface RobotScenarioResult {
  site: string;
  robots: number;
  rooms: number;
  dispatch: 'round' | 'by-floor';
  trips: number;
  delivered: number;
  notCollected: number;
  failed: number;
  /** From the first trip sent to the last robot back at the station. */
  makespanS: number;
  /** Real ms from `POST /api/rounds` until the first order was acknowledged by the broker (planned rounds). */
  firstOrderMs?: number;
  /** Mean time from the start of the round to a tray's collection. */
  meanDeliveryS: number;
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
  const chosen = shuffle(allRooms, random)
    .slice(0, options.rooms)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

  const clock = new ScaledClock(options.speed);
  const broker = options.mqttUrl ? undefined : await startEmbeddedBroker();
  const mqttUrl = options.mqttUrl ?? broker!.url;
  // A manufacturer of its own keeps runs on a shared broker apart (retained messages included).
  const manufacturer = `scenario-${options.seed}-${Math.random().toString(36).slice(2, 8)}`;
  const app = await buildApp({ site, mqttUrl, manufacturer, clock });
  const world = new SimWorld({ site, clock, seed: options.seed });
  const fleet = await startSimRobotFleet({
    mqttUrl,
    world,
    count: options.robots,
    manufacturer,
    visualizationIntervalMs: Math.max(1000, options.speed * 200),
  });

  try {
    await waitFor(() => app.fleet.list().filter((r) => r.online && r.state === 'idle').length === options.robots, 10_000, 'robots online');
    const startMs = clock.now();
    const dispatcher = options.dispatch === 'by-floor' ? byFloorMedic(app, chosen) : await plannedRound(app, chosen);
    await new Promise<void>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error(`scenario did not finish within ${options.wallLimitMs ?? 600_000} ms`)), options.wallLimitMs ?? 600_000);
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
        if (dispatcher.finished()) {
          clearTimeout(limit);
          resolve();
        } else dispatcher.nudge();
      };
      app.fleet.on('robot', check);
      app.trips.on('trip', check);
      check();
    });
    const trips = dispatcher.trips();
    const trays = trips.flatMap((t) => t.trays);
    const ends = trips.map((t) => Date.parse(t.finishedAt ?? t.createdAt));
    const deliveries = trays.flatMap((t) => (t.deliveredAt ? [(Date.parse(t.deliveredAt) - startMs) / 1000] : []));
    return {
      site: site.name,
      robots: options.robots,
      rooms: chosen.length,
      dispatch: options.dispatch ?? 'round',
      ...(dispatcher.firstOrderMs?.() !== undefined ? { firstOrderMs: round(dispatcher.firstOrderMs()!) } : {}),
      trips: trips.length,
      delivered: trays.filter((t) => t.status === 'delivered').length,
      notCollected: trays.filter((t) => t.status === 'notCollected').length,
      failed: trays.filter((t) => t.status === 'failed' || t.status === 'returned').length,
      makespanS: round((Math.max(...ends) - startMs) / 1000),
      meanDeliveryS: round(deliveries.reduce((a, b) => a + b, 0) / Math.max(1, deliveries.length)),
      wallMs: Math.round(performance.now() - wallStart),
    };
  } finally {
    await fleet.stop();
    await app.close();
    await broker?.close();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Who decides what goes on each robot during a scenario. */
interface ScenarioDispatcher {
  trips(): TripView[];
  finished(): boolean;
  /** Called on every fleet or trip change. */
  nudge(): void;
  firstOrderMs?: () => number | undefined;
}

/** The medic by hand: each idle robot gets the next four rooms of the sorted list. */
function byFloorMedic(app: FastifyInstance, rooms: string[]): ScenarioDispatcher {
  const queue = roomList(rooms);
  const trips: TripView[] = [];
  const medic = new AutoMedic({
    robots: () => app.fleet.list(),
    busy: (robot) => app.trips.activeTripOf(robot) !== undefined,
    rooms: queue,
    trays: 4,
    createTrip: async (body: CreateTripBody) => {
      const reply = await app.inject({ method: 'POST', url: '/api/trips', payload: body });
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

/** The planner: one `POST /api/rounds`; the controller sends trips as robots come back. */
async function plannedRound(app: FastifyInstance, rooms: string[]): Promise<ScenarioDispatcher> {
  const t0 = performance.now();
  let firstOrderMs: number | undefined;
  // A trip is announced once its order was published with QoS 1 and acknowledged.
  app.trips.once('trip', () => (firstOrderMs = performance.now() - t0));
  const reply = await app.inject({ method: 'POST', url: '/api/rounds', payload: { rooms: rooms.map((room) => ({ room })) } });
  if (reply.statusCode !== 201) throw new Error(`round refused: ${reply.body}`);
  const id = reply.json<{ id: string }>().id;
  const round = () => app.rounds.get(id)!;
  return {
    trips: () => round().plan.flatMap((p) => p.trips.flatMap((t) => (t.tripId ? [app.trips.get(t.tripId)!] : []))),
    finished: () => round().status === 'done',
    nudge: () => {},
    firstOrderMs: () => firstOrderMs,
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
