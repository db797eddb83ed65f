import { RobotAgent } from '../../firmware-bridge/index.js';
import {
  connectionSchema,
  droneCommandSchema,
  droneConnectionSchema,
  droneMissionSchema,
  droneTelemetrySchema,
  droneTopic,
  factsheetSchema,
  instantActionsSchema,
  messageVersion,
  orderSchema,
  parseJsonWith,
  parseWith,
  readInstantActionsKey,
  stateSchema,
  vdaTopic,
  visualizationSchema,
  type DroneMission,
  type DroneTelemetry,
  type VdaTopic,
} from '../../protocol/index.js';
import { SimDroneWorld, startSimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { SimRobotDriver } from '../../sim/sim-robot-driver.js';
import { SimWorld } from '../../sim/world.js';
import type { MqttClient } from 'mqtt';
import type { z } from 'zod';
import { connectMqtt } from '../../common/index.js';
import { buildApp } from '../../controller/app.js';
import { loadSite, SiteGraph } from '../../controller/site/index.js';
import { buildTripOrder } from '../../controller/trips/order-builder.js';
import { fuzzHttp, type HttpFuzzResult } from './fuzz-http.js';
import { yard } from '../../controller/missions/yard-zones.test-support.js';
import { fuzzMqtt, type MqttFuzzRow } from './fuzz-mqtt.js';
import { idleRobotStateBody } from '../../test-support/device-messages.js';

export interface FuzzReport {
  http: HttpFuzzResult;
  mqtt: MqttFuzzRow[];
  /** After all of it: the controller still answers, the robot and the drone still answer a request. */
  alive: { controller: boolean; robot: boolean; drone: boolean };
}

/**
 * Malformed input for every HTTP route and every MQTT topic, against a real controller, a real
 * robot bridge and a real drone bridge on one broker: `httpPerRoute` requests per route,
 * `mqttPerTopic` messages per topic. The controller's drone topics are fuzzed for a drone id no
 * real drone has, so the drone's own reports do not mix in.
 */
export async function runFuzz(options: {
  mqttUrl: string;
  manufacturer: string;
  httpPerRoute: number;
  mqttPerTopic: number;
  seed: number;
  /** Sign-in on: the HTTP requests carry an admin's token, so they reach the routes instead of a 401. Default off. */
  signIn?: boolean;
}): Promise<FuzzReport> {
  const { mqttUrl, manufacturer } = options;
  const dropped = new Map<string, number>();
  const countDrop = (topic: string) => dropped.set(topic, (dropped.get(topic) ?? 0) + 1);
  const site = await loadSite('hotel');
  const clock = new ScaledClock(100);
  const adminPassword = 'fuzz-admin-password';
  const app = await buildApp({
    site,
    mqttUrl,
    manufacturer,
    clock,
    ...(options.signIn ? { auth: { adminPassword } } : {}),
    logger: {
      level: 'warn',
      stream: {
        write: (line: string) => {
          const entry = JSON.parse(line) as { msg?: string; topic?: string; drone?: string; problems?: string };
          if (!entry.problems) return;
          if (entry.msg === 'invalid message dropped') countDrop(entry.topic!);
          if (entry.msg === 'invalid telemetry dropped') countDrop(droneTopic(entry.drone!, 'telemetry'));
          if (entry.msg === 'invalid connection dropped') countDrop(droneTopic(entry.drone!, 'connection'));
        },
      },
    },
  });
  const vehicle = { manufacturer, serialNumber: 'fuzz-robot' };
  const driver = new SimRobotDriver(new SimWorld({ site, clock, seed: 1 }), 'G-loading');
  const agent = new RobotAgent({
    mqttUrl,
    vehicle,
    driver,
    clock,
    startNodeId: 'G-loading',
    logger: { info: () => {}, warn: (o, message) => message === 'invalid message dropped' && countDrop((o as { topic: string }).topic) },
  });
  await agent.start();
  const pad = { lat: 22.72, lon: 114.25 };
  const drones = await startSimDroneFleet({
    mqttUrl,
    world: new SimDroneWorld({ clock, pads: [pad], seed: 1 }),
    count: 1,
    idPrefix: `${manufacturer}-drone-`,
    logger: {
      info: () => {},
      warn: (o, message) => {
        const { drone, problems } = o as { drone: string; problems?: string };
        if (!problems) return;
        if (message === 'invalid mission dropped') countDrop(droneTopic(drone, 'mission'));
        if (message === 'invalid command refused') countDrop(droneTopic(drone, 'command'));
      },
    },
  });
  const droneId = drones.drones[0]!.id;
  const ghost = `${manufacturer}-ghost`;
  const client = await connectMqtt(mqttUrl, { clientId: `${manufacturer}-fuzzer` });
  try {
    const topic = (t: VdaTopic) => vdaTopic(vehicle, t);
    const header = { headerId: 1, timestamp: new Date(clock.now()).toISOString(), version: '2.1.0', ...vehicle };
    const order = buildTripOrder({
      graph: new SiteGraph(site),
      orderId: 'fuzz',
      ...vehicle,
      headerId: 1,
      timestamp: header.timestamp,
      startNodeId: 'G-loading',
      stops: [{ tray: 1, room: '101' }],
      pickupTimeoutS: 60,
    });
    const state = {
      ...header,
      ...idleRobotStateBody({ actionStates: [{ actionId: 'a', actionStatus: 'FINISHED' }], agvPosition: { x: 1, y: 2, theta: 0, mapId: 'G', positionInitialized: true } }),
    };
    const bySchema = (schema: z.ZodType) => (payload: string) => parseJsonWith(schema, payload).ok;
    const target = (name: VdaTopic, sample: object, accepts: (payload: string) => boolean) => ({ name, topic: topic(name), sample, accepts, dropped: () => dropped.get(topic(name)) ?? 0 });
    const droneTarget = (name: string, to: string, kind: Parameters<typeof droneTopic>[1], sample: object, schema: z.ZodType) => {
      const at = droneTopic(to, kind);
      return { name, topic: at, sample, accepts: bySchema(schema), dropped: () => dropped.get(at) ?? 0 };
    };
    const droneHeader = { headerId: 1, timestamp: header.timestamp, droneId };
    // A real report of the drone, under the ghost's id, is the telemetry sample to break.
    const telemetry = await nextTelemetry(client, droneId);
    const mission: DroneMission = {
      ...droneHeader,
      missionId: 'fuzz',
      pads: [pad],
      sorties: [
        {
          index: 0,
          waypoints: [
            { ...pad, altM: 0, speedMps: 5, spray: false, flowLPerMin: 0 },
            { ...pad, altM: 0, speedMps: 5, spray: false, flowLPerMin: 0 },
          ],
        },
      ],
    };
    const headers: Record<string, string> = {};
    if (options.signIn) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: adminPassword } });
      headers.authorization = `Bearer ${login.json<{ token: string }>().token}`;
    }
    // A mission on a yard around the drone's pad: valid-shaped bodies reach the planner.
    const http = await fuzzHttp(app, options.httpPerRoute, options.seed, { headers, samples: { '/api/missions': { zones: yard(pad).zones, drones: 1, tankL: 10 } } });
    const mqtt = await fuzzMqtt(
      client,
      [
        target('state', state, bySchema(stateSchema)),
        target('connection', { ...header, connectionState: 'ONLINE' }, bySchema(connectionSchema)),
        target('visualization', { ...header, agvPosition: state.agvPosition }, bySchema(visualizationSchema)),
        target('factsheet', { ...header, typeSpecification: { seriesName: 'x' } }, bySchema(factsheetSchema)),
        target('order', order, robotTakes(orderSchema)),
        target('instantActions', { ...header, actions: [{ actionType: 'startPause', actionId: 'p', blockingType: 'HARD' }] }, robotTakes(instantActionsSchema, true)),
        droneTarget('drone telemetry', ghost, 'telemetry', { ...telemetry, droneId: ghost }, droneTelemetrySchema),
        droneTarget('drone connection', ghost, 'connection', { ...droneHeader, droneId: ghost, connectionState: 'ONLINE' }, droneConnectionSchema),
        droneTarget('drone mission', droneId, 'mission', mission, droneMissionSchema),
        droneTarget('drone command', droneId, 'command', { ...droneHeader, commandId: 'c', command: 'pause' }, droneCommandSchema),
      ],
      options.mqttPerTopic,
      options.seed,
    );
    const controllerAlive = (await app.inject({ url: '/api/robots', headers })).statusCode === 200;
    const robotAlive = await new Promise<boolean>((resolve) => {
      // The robot answers a state request, so its bridge still reads and writes.
      const timer = setTimeout(() => resolve(false), 5000);
      client.on('message', (t) => {
        if (t === topic('state')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      void client
        .subscribeAsync(topic('state'))
        .then(() => client.publishAsync(topic('instantActions'), JSON.stringify({ ...header, actions: [{ actionType: 'stateRequest', actionId: 'alive', blockingType: 'NONE' }] })));
    });
    // The drone answers a command it has not seen with its id in its next report.
    await client.publishAsync(droneTopic(droneId, 'command'), JSON.stringify({ ...droneHeader, commandId: 'alive', command: 'land' }), { qos: 1 });
    const droneAlive = await nextTelemetry(client, droneId, (t) => t.lastCommand?.commandId === 'alive').then(
      () => true,
      () => false,
    );
    return { http, mqtt, alive: { controller: controllerAlive, robot: robotAlive, drone: droneAlive } };
  } finally {
    await client.endAsync();
    await drones.stop();
    await agent.stop();
    await app.close();
  }
}

/** The drone's next telemetry that passes `until`; rejects after 5 s. */
async function nextTelemetry(client: MqttClient, droneId: string, until: (t: DroneTelemetry) => boolean = () => true): Promise<DroneTelemetry> {
  const at = droneTopic(droneId, 'telemetry');
  await client.subscribeAsync(at);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no telemetry from ${droneId}`)), 5000);
    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== at) return;
      const parsed = droneTelemetrySchema.safeParse(JSON.parse(payload.toString()));
      if (parsed.success && until(parsed.data)) done(undefined, parsed.data);
    };
    const done = (error?: Error, telemetry?: DroneTelemetry) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      if (error) reject(error);
      else resolve(telemetry!);
    };
    client.on('message', onMessage);
  });
}

/**
 * What our robot bridge takes on `order` and `instantActions`: a VDA 5050 version it serves (it
 * refuses any other before the schema), then the schema; instant actions also under vda-5050-lib
 * 1.4.0's key. A payload the schema alone would pass can still be refused for its version.
 */
function robotTakes(schema: z.ZodType, instantActions = false): (payload: string) => boolean {
  return (payload) => {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return false;
    }
    return messageVersion(json).ok && parseWith(schema, instantActions ? readInstantActionsKey(json).message : json).ok;
  };
}
