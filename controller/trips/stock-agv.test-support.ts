/**
 * Our controller and a stock third-party AGV: vda-5050-lib 1.4.0 from the npm registry
 * (VDA 5050 2.0.0), its AgvController with the VirtualAgvAdapter as it ships, another
 * manufacturer provisioned through the admin API, through a real broker (aedes with logins
 * here, Mosquitto in CI). The AGV logs in with the password provisioning gave it and the random
 * client id the library makes up. All its side adds is a factsheet, as a site integrator
 * describes the vehicle: the adapter ships an empty one (set when it attaches), so
 * {@link DescribedVirtualAgv} sets the real one right after; the adapter's behaviour is the stock one.
 */
import type { FastifyInstance } from 'fastify';
import { AgvController, VirtualAgvAdapter, type Factsheet as LibFactsheet, type Headerless } from 'vda-5050-lib';
import { expect } from 'vitest';
import { parseVdaTopic, stateSchema, type Order, type Site, type State } from '../../protocol/index.js';
import type { DoorPort } from '../../firmware-bridge/index.js';
import { buildApp, type AppOptions } from '../app.js';
import type { DeviceStore } from '../auth/index.js';
import { loadSite } from '../site/index.js';
import { brokerAuth } from '../transport/broker-auth.js';
import { startEmbeddedBroker } from '../transport/embedded-broker.js';
import { uniqueManufacturer } from '../transport/test-broker.js';

const CONTROLLER_PASSWORD = 'stock-agv-test-controller';
const ADMIN_PASSWORD = 'stock agv admin password';

/** What the integrator writes for the virtual AGV: the standard actions its adapter runs, one load at a time. */
export const FACTSHEET: Headerless<LibFactsheet> = {
  typeSpecification: { seriesName: 'virtual carrier', agvKinematic: 'DIFF', agvClass: 'CARRIER', maxLoadMass: 20, localizationTypes: ['NATURAL'], navigationTypes: ['AUTONOMOUS'] },
  physicalParameters: { speedMin: 0, speedMax: 2, accelerationMax: 1, decelerationMax: 1, heightMin: 1, heightMax: 1, width: 0.6, length: 0.8 },
  protocolLimits: { maxStringLens: {}, maxArrayLens: {}, timing: { minOrderInterval: 0.5, minStateInterval: 0.1 } },
  protocolFeatures: {
    optionalParameters: [],
    agvActions: [
      {
        actionType: 'pick',
        actionScopes: ['NODE'],
        actionParameters: [
          { key: 'stationType', valueDataType: 'STRING' },
          { key: 'loadType', valueDataType: 'STRING' },
        ],
      },
      {
        actionType: 'drop',
        actionScopes: ['NODE'],
        actionParameters: [
          { key: 'stationType', valueDataType: 'STRING' },
          { key: 'loadType', valueDataType: 'STRING' },
        ],
      },
      { actionType: 'initPosition', actionScopes: ['INSTANT', 'NODE'] },
      { actionType: 'factsheetRequest', actionScopes: ['INSTANT'] },
      { actionType: 'cancelOrder', actionScopes: ['INSTANT'] },
    ],
  },
  agvGeometry: {},
  // The adapter only carries loads of type EPAL; here that is the meal box.
  loadSpecification: { loadSets: [{ setName: 'meal box', loadType: 'EPAL' }] },
} as unknown as Headerless<LibFactsheet>;

/** The stock VirtualAgvAdapter, with the integrator's factsheet in place of the empty one it sets on attach. */
export class DescribedVirtualAgv extends VirtualAgvAdapter {
  override attach(context: Parameters<VirtualAgvAdapter['attach']>[0]): void {
    super.attach(context);
    this.controller.updateFactsheet(FACTSHEET);
  }
}

/**
 * Seconds of the hotel's UV tunnel here (20 s on the site): the AGV, which has no `disinfect`,
 * is held there on every way back from the guest floors, in real time.
 */
export const QUICK_STATION_S = 2;

/** The hotel with its disinfection station cut to {@link QUICK_STATION_S}. */
export async function quickHotel(): Promise<Site> {
  const site = await loadSite('hotel');
  return { ...site, nodes: site.nodes.map((n) => (n.kind === 'disinfection' ? { ...n, disinfection: { method: 'uv', durationS: QUICK_STATION_S } } : n)) };
}

export interface Setup {
  app: FastifyInstance;
  agv: AgvController;
  robot: string;
  /** Every state the AGV published, as the controller read it. */
  states: State[];
  api: (method: 'GET' | 'POST', url: string, payload?: object) => Promise<Awaited<ReturnType<FastifyInstance['inject']>>>;
  close(): Promise<void>;
}

/**
 * Broker, controller with sign-in, the AGV provisioned through `POST /api/devices` and started
 * at the loading station (of the hotel, or of `options.site`). With MQTT_URL (CI's Mosquitto, anonymous) the logins are sent but not
 * checked; without, an embedded aedes checks them against the app's device store.
 */
export async function setup(
  options: {
    battery?: { initialBatteryCharge: number; lowBatteryChargeThreshold: number; batteryMaxReach: number };
    timeLapse?: number;
    tripStalledAfterMs?: number;
    /** The site (default the hotel, its UV tunnel at {@link QUICK_STATION_S}); the AGV starts at its loading station. */
    site?: Site;
    /** The site's door controller, for the controller to open doors for the AGV. */
    doorPort?: DoorPort;
    /** The controller's battery model (see `AppOptions.battery`). */
    controllerBattery?: AppOptions['battery'];
  } = {},
): Promise<Setup> {
  let devices!: (store: DeviceStore) => void;
  const broker = process.env.MQTT_URL
    ? { url: process.env.MQTT_URL, close: async () => {} }
    : await startEmbeddedBroker({ port: 0, auth: brokerAuth({ devices: new Promise<DeviceStore>((resolve) => (devices = resolve)), controllerPassword: CONTROLLER_PASSWORD }) });
  const site = options.site ?? (await quickHotel());
  const app = await buildApp({
    site,
    mqttUrl: broker.url,
    manufacturer: uniqueManufacturer('isofleet'),
    auth: { adminPassword: ADMIN_PASSWORD },
    mqttCredentials: { username: 'controller', password: CONTROLLER_PASSWORD },
    ...(options.tripStalledAfterMs ? { tripStalledAfterMs: options.tripStalledAfterMs } : {}),
    ...(options.doorPort ? { doorPort: options.doorPort } : {}),
    ...(options.controllerBattery ? { battery: options.controllerBattery } : {}),
  });
  devices?.(app.devices!);
  const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })).json().token;
  const api: Setup['api'] = (method, url, payload) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  const maker = uniqueManufacturer('coaty');
  const robot = `${maker}/agv-1`;
  const provisioned = await api('POST', '/api/devices', { kind: 'robot', id: robot });
  expect(provisioned.statusCode).toBe(201);
  const states: State[] = [];
  app.mqtt.on('message', (topic, payload) => {
    const parts = parseVdaTopic(topic);
    if (parts?.manufacturer !== maker || parts.topic !== 'state') return;
    const parsed = stateSchema.safeParse(JSON.parse(payload.toString()));
    if (parsed.success) states.push(parsed.data);
  });

  const loading = site.nodes.find((n) => n.kind === 'loading')!;
  const agv = new AgvController(
    { manufacturer: maker, serialNumber: 'agv-1' },
    { interfaceName: 'uagv', transport: { brokerUrl: broker.url, username: robot, password: provisioned.json().password }, vdaVersion: '2.0.0' },
    { agvAdapterType: DescribedVirtualAgv },
    { initialPosition: { mapId: loading.level, x: loading.x, y: loading.y, theta: 0, lastNodeId: 'home' }, timeLapse: options.timeLapse ?? 25, ...options.battery } as never,
  );
  await agv.start();
  return {
    app,
    agv,
    robot,
    states,
    api,
    close: async () => {
      // The controller first, so that no order reaches the AGV while its client stops (the
      // library then publishes on a stopped client and rejects outside the test).
      await app.close();
      await agv.stop();
      await broker.close();
    },
  };
}

/** Every state of the AGV as the controller received it, with the wall time it came (ms). */
export function statesOf(current: Setup): { state: State; atMs: number }[] {
  const seen: { state: State; atMs: number }[] = [];
  current.app.fleet.on('state', (robot, state) => robot === current.robot && seen.push({ state, atMs: performance.now() }));
  return seen;
}

/** The orders the controller publishes to the AGV, with where the AGV stood then; `rewrite` changes what goes out. */
export function ordersOf(current: Setup, rewrite?: (order: Order) => Order | undefined): { order: Order; standingAt?: string }[] {
  const { app, robot } = current;
  const orders: { order: Order; standingAt?: string }[] = [];
  const publishAsync = app.mqtt.publishAsync.bind(app.mqtt);
  app.mqtt.publishAsync = ((topic: string, payload: string, options?: object) => {
    if (!topic.endsWith('/order')) return publishAsync(topic, payload, options);
    const order = JSON.parse(payload) as Order;
    orders.push({ order, standingAt: app.fleet.lastState(robot)?.lastNodeId });
    const sent = rewrite ? rewrite(order) : order;
    return sent ? publishAsync(topic, JSON.stringify(sent), options) : Promise.resolve(undefined);
  }) as typeof app.mqtt.publishAsync;
  return orders;
}

/** Wall ms the AGV stood on `nodeId`: from the first state there to the first one driving on or past it. */
export function stoodAtMs(states: { state: State; atMs: number }[], nodeId: string): number {
  const arrived = states.findIndex((s) => s.state.lastNodeId === nodeId);
  expect(arrived, `the AGV reached ${nodeId}`).toBeGreaterThanOrEqual(0);
  const left = states.slice(arrived).find((s) => s.state.lastNodeId !== nodeId || s.state.driving);
  expect(left, `the AGV left ${nodeId}`).toBeDefined();
  return left!.atMs - states[arrived]!.atMs;
}
