import type { FastifyInstance } from 'fastify';
import { AutoMedic, endlessRooms } from '../../sim/auto-medic.js';
import { seededRandom } from '../../protocol/index.js';
import { startSimRobotFleet, type SimRobot } from '../../sim/robot-fleet.js';
import { startSimDoorSensors } from '../../sim/sim-door-sensors.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTROLLER_USERNAME, type CreateMissionBody, type Site } from '../../protocol/index.js';
import { simControlRoutes, type FaultTarget } from '../../sim/control-routes.js';
import { padsFromZones, SimDroneWorld, SPEAKER_QUAD_SIM_PROFILE, startSimDroneFleet, type SimDroneFleet } from '../../sim/drone/index.js';
import { SimWorld, type MedicMode } from '../../sim/world.js';
import { buildApp } from '../../controller/app.js';
import { holdPort } from '../../controller/config/hold-port.js';
import { derivedCredentials, type DeviceStore, type FirstAdminResult } from '../../controller/auth/index.js';
import { brokerAuth } from '../../controller/transport/broker-auth.js';
import { loadSite, SITES_DIR } from '../../controller/site/index.js';
import { startEmbeddedBroker } from '../../controller/transport/embedded-broker.js';

export interface DemoOptions {
  /** HTTP port; 0 picks a free one. */
  port: number;
  host?: string;
  /** Broker to use; without it an embedded one starts on `mqttPort`. */
  mqttUrl?: string;
  /** Embedded broker port; 0 picks a free one. */
  mqttPort?: number;
  /** The robots' site: a name from `sites/` or a site file's path (default `hotel`), or the site itself, loaded. */
  site?: string | Site;
  robots?: number;
  /** Simulated spray drones on the `park` site's pads. Default 4. */
  drones?: number;
  /** Simulated broadcast drones (speaker and QR display, `speaker-1` …) at the checkpoint's pad (`sites/broadcast`). Default 0 (`npm start`: 1). */
  speakerDrones?: number;
  /** Simulated seconds per real second. */
  speed?: number;
  /** Keep sending lunch trips to idle robots while no round runs (the demo's endless lunch). Default true. */
  autoTrips?: boolean;
  /** Who confirms trays at the station: the simulated medic (`auto`) or a person on the dashboard. Default auto. */
  medic?: MedicMode;
  /** The first admin's password (at least 10 characters); generated and returned in `firstAdmin` when not given. */
  adminPassword?: string;
  /** SQLite file for users, sessions, trips and missions; default in memory (tests). `npm start` keeps `data/demo.db`, so sign-ins survive a restart. */
  databaseFile?: string;
  /**
   * `ISOFLEET_DEVICE_SECRET`: devices and the controller log in to the broker with passwords
   * derived from it, and each device reaches only its own topics. With the embedded broker a
   * random one is made when not given.
   */
  deviceSecret?: string;
  logger?: Parameters<typeof buildApp>[0]['logger'];
}

/** A running demo: everything `npm start` starts, in one process. */
export interface Demo {
  url: string;
  mqttUrl: string;
  app: FastifyInstance;
  clock: ScaledClock;
  world: SimWorld;
  robots: SimRobot[];
  drones: SimDroneFleet;
  /** Set when this start created the first admin (its password only when generated). */
  firstAdmin?: FirstAdminResult;
  stop(): Promise<void>;
}

/**
 * The whole system on one machine: an embedded MQTT broker (unless `mqttUrl`), the controller,
 * simulated robots on the hotel and spray drones on the park running the real bridges, and
 * optionally a simulated medic who keeps the robots busy.
 * `npm start` runs it; browser tests start it on free ports.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const speed = options.speed ?? 10;
  // Only this machine unless HOST says otherwise: the demo's admin password is printed in the log.
  const host = options.host ?? '127.0.0.1';
  // Taken before anything opens the database: a second demo on a port in use stops here.
  const httpPort = await holdPort(options.port, host);
  const site = typeof options.site === 'object' ? options.site : await loadSite(options.site ?? 'hotel');
  const deviceSecret = options.deviceSecret ?? (options.mqttUrl ? undefined : randomBytes(24).toString('base64url'));
  const credentials = deviceSecret === undefined ? undefined : derivedCredentials(deviceSecret);
  // Devices an admin provisions (the admin screen) sign in with their own passwords; buildApp opens
  // their store after the broker is up, so their logins wait for it, as under `npm run controller`.
  let deviceStoreOpened!: (devices: DeviceStore) => void;
  const devices = new Promise<DeviceStore>((resolve) => (deviceStoreOpened = resolve));
  const broker = options.mqttUrl ? undefined : await startEmbeddedBroker({ port: options.mqttPort ?? 1883, auth: brokerAuth({ devices, secret: deviceSecret! }) });
  const mqttUrl = options.mqttUrl ?? broker!.url;
  // One simulated clock for the whole demo, so the controller's times match the robots'.
  const clock = new ScaledClock(speed);
  const app = await buildApp({
    site,
    mqttUrl,
    clock,
    logger: options.logger,
    auth: { adminPassword: options.adminPassword },
    ...(options.databaseFile ? { databaseFile: options.databaseFile } : {}),
    mqttCredentials: credentials?.(CONTROLLER_USERNAME),
  });
  if (!app.devices) throw new Error('buildApp with auth has no device store');
  deviceStoreOpened(app.devices);
  const world = new SimWorld({ site, clock, seed: 1, medic: options.medic });
  const fleet = await startSimRobotFleet({
    mqttUrl,
    world,
    count: options.robots ?? 5,
    manufacturer: 'isofleet',
    visualizationIntervalMs: Math.max(1000, speed * 200),
    credentials,
  });
  // A contact sensor on every room's door, each its own device: residents open them to take their trays.
  const doorSensors = await startSimDoorSensors({ mqttUrl, world, rooms: site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : [])), credentials });

  // Drones on the park next to the hotel, sharing the clock.
  const park = JSON.parse(await readFile(path.join(SITES_DIR, 'park', 'zones.geojson'), 'utf8')) as CreateMissionBody['zones'];
  const droneWorld = new SimDroneWorld({ clock, pads: padsFromZones(park), seed: 1, wind: { speedMps: 3, gustMps: 2, fromDeg: 60 } });
  const drones = await startSimDroneFleet({ mqttUrl, world: droneWorld, count: options.drones ?? 4, credentials });
  // A broadcast drone at the road checkpoint's gate, for the operator's Broadcast tab.
  const checkpoint = JSON.parse(await readFile(path.join(SITES_DIR, 'broadcast', 'checkpoint.geojson'), 'utf8')) as CreateMissionBody['zones'];
  const speakers = await startSimDroneFleet({
    mqttUrl,
    world: new SimDroneWorld({ clock, pads: padsFromZones(checkpoint), seed: 2 }),
    count: options.speakerDrones ?? 0,
    idPrefix: 'speaker-',
    broadcast: true,
    profile: SPEAKER_QUAD_SIM_PROFILE,
    credentials,
  });
  const droneTargets = new Map<string, FaultTarget>(
    drones.drones.map((d) => [
      d.id,
      async (fault, on) => {
        if (!on || fault === 'stuck') return false;
        await drones.inject(d.id, fault);
        return true;
      },
    ]),
  );
  // A robot already waiting at the station for a person when the simulated medic takes over again
  // would wait forever (the simulated medic only loads robots that arrive after): it confirms them.
  const confirmWaiting = async (mode: 'auto' | 'manual') => {
    if (mode !== 'auto') return;
    for (const trip of app.trips.list()) {
      if (trip.status !== 'planned') continue;
      for (const tray of trip.trays) if (!trip.loading.confirmedTrays.includes(tray.tray)) await app.trips.confirmTray(trip.id, tray.tray, 'simulated medic');
    }
    void medic?.dispatch();
  };
  await app.register(simControlRoutes, { clock, world, robots: fleet.robots, rounds: app.rounds, random: seededRandom(2), extraTargets: droneTargets, onMedicMode: confirmWaiting });

  let medic: AutoMedic | undefined;
  await httpPort.release();
  await app.listen({ port: options.port, host });
  // Only once everything is registered: the medic's requests would boot the app early.
  if (options.autoTrips ?? true) {
    const rooms = site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
    medic = new AutoMedic({
      robots: () => app.fleet.list(),
      // A round someone started has the robots; the endless lunch waits for it to finish. While a
      // person does the medic's job (medic mode manual) the simulated medic sends no trips either.
      busy: (robot) => world.medicMode === 'manual' || app.rounds.active || app.trips.activeTripOf(robot) !== undefined,
      rooms: endlessRooms(rooms, seededRandom(1)),
      trays: 4,
      // In-process: the demo's medic is part of the system, not a client that signs in.
      createTrip: async (body) => (await app.trips.create(body)).ok,
    });
    app.fleet.on('robot', () => void medic?.dispatch());
  }

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
    mqttUrl,
    app,
    clock,
    world,
    robots: fleet.robots,
    drones,
    ...(app.firstAdmin ? { firstAdmin: app.firstAdmin } : {}),
    stop: async () => {
      await drones.stop();
      await speakers.stop();
      await doorSensors.stop();
      await fleet.stop();
      await app.close();
      await broker?.close();
    },
  };
}
