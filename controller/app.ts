import type { DoorPort } from '../firmware-bridge/index.js';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MqttClient } from 'mqtt';
import { dashboardRoutes } from '../dashboard/serve.js';
import { connectMqtt, type MqttCredentials } from '../common/index.js';
import { systemClock, type Clock, type Language, type Settings, type Site } from '../protocol/index.js';
import { alertRoutes, settingsRoutes } from './api/alert-routes.js';
import { wayRoutes } from './api/way-routes.js';
import { auditRoutes } from './api/audit-routes.js';
import { describeApi } from './api/openapi.js';
import { attachLivePush, type LiveAuth } from './api/live-push.js';
import { robotRoutes } from './api/robot-routes.js';
import { roundRoutes } from './api/round-routes.js';
import { siteRoutes } from './api/site-routes.js';
import { tripRoutes } from './api/trip-routes.js';
import { liftRoutes } from './lifts/index.js';
import { DoorSensors, doorRoutes, watchDoorsOnTheWay } from './doors/index.js';
import { frameworkErrors, replyWithFieldPaths } from './api/validation-errors.js';
import { AlertCenter, watchBatteries, watchBlockedWays, watchIsolationBreaches, watchRobots } from './alerts/index.js';
import {
  authRoutes,
  controllerClientId,
  ensureFirstAdmin,
  installAuth,
  SqliteDeviceStore,
  SqliteSessionStore,
  SqliteUserStore,
  type DeviceStore,
  type FirstAdminResult,
} from './auth/index.js';
import { EnergyManager, type BatteryProfile, type ChargingPolicy } from './energy/index.js';
import { FleetRegistry } from './fleet/fleet-registry.js';
import { trackProvisionedRobots } from './fleet/provisioned-robots.js';
import { MissionManager, missionRoutes } from './missions/index.js';
import { BroadcastManager, broadcastRoutes, threadBroadcastPlanner } from './broadcast/index.js';
import { KEEP_FINISHED_ROUNDS, RoundManager } from './rounds/index.js';
import { PlannerPool, threadRoundImprover, threadSprayPlanner } from './workers/index.js';
import { SiteGraph } from './site/index.js';
import { openStore, writeInBackground, type Audit } from './storage/index.js';
import { createMetrics } from './metrics/metrics.js';
import { observeController } from './metrics/observe.js';
import { timedStore } from './metrics/timed-store.js';
import { watchTripProgress } from './trips/progress-watch.js';
import { startSiteReports } from './sites/site-reports.js';
import { sitesRoutes } from './api/sites-routes.js';
import { docsUnderSitePath, otherSiteRoutes, pathBaseOf, siteHttpOptions, socketIoUnderSitePath } from './api/site-prefix.js';
import { KEEP_FINISHED_TRIPS, TripManager } from './trips/trip-manager.js';

export interface AppOptions {
  site: Site;
  /**
   * The site id (`siteIdSchema`) when several sites share one broker and one database: its
   * topics' interface names (`uagv-{id}`, `isofleet-{id}`), its devices' and its own broker
   * logins (`{id}@{siteId}`) and its PostgreSQL schema. None (the default): the plain topics
   * and logins, and the schema of the site's name. Either way the HTTP API, socket.io and the
   * dashboard are served under `/sites/{siteId or site name}/` as well as at the root.
   */
  siteId?: string;
  /** Where people open this controller's dashboard (`https://hotel-a.example:8081`): the link in every site's list of sites. */
  publicUrl?: string;
  /** Real ms between the site's health reports to the shared database (PostgreSQL). Default 10 000. */
  siteReportMs?: number;
  mqttUrl: string;
  /** VDA manufacturer whose robots this controller runs. Default `isofleet`. */
  manufacturer?: string;
  clock?: Clock;
  /** Fastify logger setting; false in tests. */
  logger?: FastifyServerOptions['logger'];
  pickupTimeoutS?: number;
  /**
   * Clock ms a running trip may go without progress before it is stopped (`watchTripProgress`).
   * Default 10 min on the real clock; off with an injected clock unless given, because a scaled
   * clock's minutes pass in milliseconds of wall time, where scheduling jitter reads as a stall.
   */
  tripStalledAfterMs?: number;
  /**
   * The site's door controller (an Open-RMF door adapter, the simulator's doors): with it the
   * controller opens the doors on the way of robots that cannot ask them themselves (standard
   * VDA 5050 actions only). Default none: robots' bridges open doors.
   */
  doorPort?: DoorPort;
  language?: Language;
  /** Real ms a new round keeps improving its unsent trips. Default 1000. */
  roundImproveMs?: number;
  /**
   * `work`: round improvement on a budget of search instead of real time, so the same round gives
   * the same plan at any machine load (RoundManager `budget`). Default `wall`.
   */
  roundBudget?: 'wall' | 'work';
  /**
   * Where trips, rounds, missions and the audit log are kept: a SQLite file (users and sessions
   * too), `:memory:` (the default) keeping nothing across restarts, or a `postgres://` URL.
   */
  databaseFile?: string;
  /** With a PostgreSQL store: the SQLite file of users, sessions and device logins (default `:memory:`). */
  authDatabaseFile?: string;
  /**
   * Called when the store's PostgreSQL connection is lost: nothing more is saved and the site's
   * lock is gone, so `npm run controller` exits for its service manager to start it again.
   */
  onStoreLost?: (error: Error) => void;
  /**
   * Sign-in and roles on every `/api` route and the socket.io connection (users and sessions in
   * the same database). The entry points turn it on; tests of other things leave it off. The
   * first admin's password comes from `adminPassword`, or is generated and returned once in
   * `app.firstAdmin`.
   */
  auth?: { adminPassword?: string };
  /** The controller's broker login (user `controller`), when the broker asks. */
  mqttCredentials?: MqttCredentials;
  /**
   * The robots' battery model beyond its defaults (`DEFAULT_BATTERY_PROFILE`), when they charge
   * (`DEFAULT_CHARGING_POLICY`), and how long a robot told to stop charging for a trip may take
   * to show it before the trip's order is given up (`stopChargingTimeoutMs`, default 60 s).
   */
  battery?: { profile?: Partial<BatteryProfile>; policy?: Partial<ChargingPolicy>; stopChargingTimeoutMs?: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    fleet: FleetRegistry;
    trips: TripManager;
    rounds: RoundManager;
    energy: EnergyManager;
    alerts: AlertCenter;
    missions: MissionManager;
    settings: Settings;
    /** Set when auth is on and this start created the first admin. */
    firstAdmin?: FirstAdminResult;
    /** Set when auth is on: the devices provisioned through `/api/devices`, for the broker's logins. */
    devices?: DeviceStore;
    mqtt: MqttClient;
    siteGraph: SiteGraph;
    doors: DoorSensors;
  }
}

/**
 * The controller as a Fastify app, not yet listening: MQTT client, fleet registry, trips,
 * rounds, alerts, HTTP API, live push and the dashboard. `listen` is the caller's (main, tests use inject).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // The site's key: its id, or the map's name for a site alone. Its path (`/sites/{key}/…`) serves
  // what the root serves, for a reverse proxy in front of several sites' controllers.
  const siteKey = options.siteId ?? options.site.name;
  const app = Fastify({ logger: options.logger ?? false, frameworkErrors, ...siteHttpOptions(siteKey) }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  replyWithFieldPaths(app);
  docsUnderSitePath(app, siteKey);
  // Before any route: the OpenAPI document lists the routes registered after it.
  await describeApi(app);

  const clock = options.clock ?? systemClock;
  const manufacturer = options.manufacturer ?? 'isofleet';
  // The store first: a database that refuses (unreachable, the site served elsewhere) stops the start before anything connects.
  const opened = await openStore(options.databaseFile ?? ':memory:', {
    site: siteKey,
    authFile: options.authDatabaseFile,
    log: app.log,
    ...(options.onStoreLost ? { onLost: options.onStoreLost } : {}),
  });
  const metrics = createMetrics();
  const store = timedStore(opened.store, metrics.storeWrite);
  const mqtt = await connectMqtt(options.mqttUrl, { clientId: controllerClientId(), clock, ...options.mqttCredentials }).catch(async (error: Error) => {
    await opened.close();
    throw error;
  });
  mqtt.on('error', (error) => app.log.warn({ err: error.message }, 'mqtt error'));
  const graph = new SiteGraph(options.site);
  graph.precomputeRooms();
  const fleet = new FleetRegistry(mqtt, manufacturer, clock, app.log, options.siteId);
  const settings: Settings = { language: options.language ?? 'zh' };
  // What the store holds from before a restart, read once before anything listens to devices:
  // rounds running and the newest finished, and the trips under way, the newest finished and
  // those of the rounds loaded. Older history stays in the store (the API pages it).
  const savedRounds = await store.rounds({ finished: KEEP_FINISHED_ROUNDS });
  const saved = { trips: await store.trips({ finished: KEEP_FINISHED_TRIPS, rounds: savedRounds.map((r) => r.id) }), rounds: savedRounds };
  let socketAuth: LiveAuth | undefined;
  const audit: Audit = (entry) => writeInBackground(() => store.audit({ ...entry, at: entry.at ?? new Date(clock.now()).toISOString() }), app.log, `audit ${entry.action}`);
  const trips: TripManager = new TripManager({
    client: mqtt,
    fleet,
    graph,
    clock,
    log: app.log,
    pickupTimeoutS: options.pickupTimeoutS,
    language: () => settings.language,
    store,
    audit,
    saved: saved.trips,
    // A round in memory shows its rooms from its trips. Called only once trips finish, after `rounds` exists.
    retain: (trip): boolean => rounds.holdsTrip(trip.view.id),
    ...(options.doorPort ? { doorPort: options.doorPort } : {}),
    // Called only when a trip is asked for, after `energy` exists.
    checkTrip: (robot, orders) => energy.checkTrip(robot, orders),
    untilOffCharger: (robot) => energy.untilOffCharger(robot),
  });
  const energy: EnergyManager = new EnergyManager({
    fleet,
    graph,
    master: trips.master,
    clock,
    log: app.log,
    onTrip: (robot) => trips.activeTripOf(robot) !== undefined,
    // Read only on robots' states, after `rounds` exists (the fleet starts listening last).
    demand: () => rounds.active,
    contaminated: (robot) => trips.contamination.isContaminated(robot),
    ways: trips.narrowWays,
    ...options.battery,
  });
  const alerts = new AlertCenter(clock, { audit });
  const stopWatching = watchRobots({ fleet, trips, alerts, graph, clock, pickupTimeoutS: options.pickupTimeoutS });
  const stopWatchingBatteries = watchBatteries({ fleet, alerts, graph, reservePct: (robot) => energy.profileOf(robot).reservePct });
  const blockedWays = watchBlockedWays({ fleet, trips, alerts, graph, audit, clock });
  const stopWatchingIsolation = watchIsolationBreaches({ contamination: trips.contamination, fleet, alerts, graph, audit });
  const stopWatchingDoors = watchDoorsOnTheWay({ fleet, trips, alerts, graph, audit, clock });
  const doors = new DoorSensors({ mqtt, fleet, graph, trips, alerts, clock, log: app.log, audit, store, siteId: options.siteId });
  await doors.start();
  const stalledAfterMs = options.tripStalledAfterMs ?? (options.clock ? undefined : 600_000);
  const stopWatchingTrips = stalledAfterMs ? watchTripProgress({ fleet, trips, clock, stalledAfterMs }) : () => {};
  // Spray plans and round improvement run in planner threads: the event loop keeps serving.
  // Planner threads compute in real time whatever clock the fleet runs on: their budgets too.
  const planners = new PlannerPool({ clock: systemClock });
  // Before the rounds listen to the fleet (see `EnergyManager.start`).
  const stopEnergy = energy.start();
  const rounds: RoundManager = new RoundManager({
    fleet,
    trips,
    graph,
    clock,
    log: app.log,
    improveMs: options.roundImproveMs,
    budget: options.roundBudget,
    store,
    audit,
    saved,
    improver: { improve: threadRoundImprover(planners), sliceMs: 200 },
    available: (robot) => energy.available(robot),
  });
  // A round that starts or runs out of rooms to send changes which robots charge.
  rounds.on('round', () => energy.step());
  await fleet.start();
  app.decorate('fleet', fleet);
  app.decorate('trips', trips);
  app.decorate('rounds', rounds);
  app.decorate('energy', energy);
  app.decorate('alerts', alerts);
  app.decorate('settings', settings);
  app.decorate('mqtt', mqtt);
  app.decorate('siteGraph', graph);
  app.decorate('doors', doors);
  app.addHook('onClose', async () => {
    stopWatching();
    stopWatchingIsolation();
    stopWatchingBatteries();
    blockedWays.stop();
    stopWatchingDoors();
    trips.stop();
    stopEnergy();
    doors.stop();
    stopWatchingTrips();
    missions.close();
    await planners.close();
    await mqtt.endAsync();
    await opened.close();
  });

  if (options.auth) {
    // Before any route is registered: the hook guards every /api route of the app.
    // People sign in in real time, whatever clock the fleet runs on.
    const sessionClock = systemClock;
    const sessions = new SqliteSessionStore(opened.authDb, { clock: sessionClock });
    const users = new SqliteUserStore(opened.authDb);
    installAuth(app, { sessions });
    const devices = trackProvisionedRobots(new SqliteDeviceStore(opened.authDb, options.siteId), fleet, app.log);
    app.decorate('devices', devices);
    await app.register(authRoutes, { users, sessions, devices });
    const first = await ensureFirstAdmin(users, { ...process.env, ...(options.auth.adminPassword ? { ISOFLEET_ADMIN_PASSWORD: options.auth.adminPassword } : {}) });
    if (first.created) app.decorate('firstAdmin', first);
    socketAuth = { sessions, clock: sessionClock };
  }
  // People watch in real time: the pushes to their screens are paced on the system clock whatever
  // clock the fleet runs on (a demo at ×10 would otherwise push ten times as often).
  const io = attachLivePush(app, { fleet, trips, rounds, alerts, clock: systemClock }, socketAuth);
  socketIoUnderSitePath(app.server, siteKey, app.log);
  // Spray and broadcast missions share the drones: neither takes one the other flies.
  let broadcasts: BroadcastManager | undefined;
  const missions = new MissionManager({
    mqtt,
    site: options.siteId,
    clock,
    pushClock: systemClock,
    log: app.log,
    io,
    store,
    audit,
    planner: threadSprayPlanner(planners),
    busyElsewhere: () => broadcasts?.busyDrones() ?? new Set(),
  });
  missions.on('alert', (alert) => alerts.raise({ kind: alert.kind, subject: alert.drone || 'site', message: alert.message }));
  await missions.start();
  app.decorate('missions', missions);
  broadcasts = new BroadcastManager({
    mqtt,
    clock,
    log: app.log,
    drones: missions.drones,
    audit,
    busyElsewhere: () => missions.busyDrones(),
    planner: threadBroadcastPlanner(planners),
  });
  app.addHook('onClose', async () => broadcasts?.close());
  await observeController(app, metrics, {
    mqtt,
    registries: [fleet, missions.drones],
    robots: () => fleet.list(),
    drones: () => missions.drones.views(),
    trips: () => trips.list(),
    missions: () => missions.list(),
    alerts,
    log: app.log,
    site: options.siteId,
  });
  const siteReports = startSiteReports({
    ...(opened.directory ? { directory: opened.directory } : {}),
    site: siteKey,
    map: options.site.name,
    address: options.publicUrl ?? null,
    health: () => {
      const robots = fleet.list();
      const drones = missions.drones.views();
      return {
        robots: robots.length,
        robotsOnline: robots.filter((r) => r.online).length,
        drones: drones.length,
        dronesOnline: drones.filter((d) => d.online).length,
        tripsUnderWay: trips.list().filter((t) => t.status === 'planned' || t.status === 'running').length,
        openAlerts: alerts.list({ status: 'open' }).length,
      };
    },
    log: app.log,
    ...(options.siteReportMs ? { intervalMs: options.siteReportMs } : {}),
  });
  app.addHook('onClose', async () => siteReports.stop());
  await app.register(sitesRoutes, { list: siteReports.list });
  await app.register(siteRoutes, { site: options.site });
  await app.register(robotRoutes, { fleet });
  await app.register(tripRoutes, { trips });
  await app.register(liftRoutes, { lifts: trips.lifts });
  await app.register(roundRoutes, { rounds });
  await app.register(doorRoutes, { doors });
  await app.register(alertRoutes, { alerts });
  await app.register(wayRoutes, { ways: blockedWays });
  await app.register(settingsRoutes, { settings });
  await app.register(missionRoutes, { manager: missions });
  await app.register(broadcastRoutes, { manager: broadcasts });
  await app.register(auditRoutes, { store });
  await app.register(otherSiteRoutes, { site: siteKey });
  await app.register(dashboardRoutes, { pathBase: pathBaseOf });
  return app;
}
