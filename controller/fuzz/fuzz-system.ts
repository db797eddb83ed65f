import { RobotAgent } from '../../firmware-bridge/index.js';
import {
  connectionSchema,
  factsheetSchema,
  instantActionsSchema,
  orderSchema,
  stateSchema,
  vdaTopic,
  visualizationSchema,
  type VdaTopic,
} from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { SimRobotDriver } from '../../sim/sim-robot-driver.js';
import { SimWorld } from '../../sim/world.js';
import { connectMqtt } from '../../firmware-bridge/index.js';
import { buildApp } from '../app.js';
import { loadSite, SiteGraph } from '../site/index.js';
import { buildTripOrder } from '../trips/order-builder.js';
import { fuzzHttp, type HttpFuzzResult } from './fuzz-http.js';
import { fuzzMqtt, type MqttFuzzRow } from './fuzz-mqtt.js';

export interface FuzzReport {
  http: HttpFuzzResult;
  mqtt: MqttFuzzRow[];
  /** After all of it: the controller still answers and the robot still takes a good order. */
  alive: { controller: boolean; robot: boolean };
}

/**
 * Malformed input for every HTTP route and every MQTT topic, against a real controller and a
 * real robot bridge on one broker: `httpPerRoute` requests per route, `mqttPerTopic` messages
 * per topic.
 */
export async function runFuzz(options: { mqttUrl: string; manufacturer: string; httpPerRoute: number; mqttPerTopic: number; seed: number }): Promise<FuzzReport> {
  const { mqttUrl, manufacturer } = options;
  const dropped = new Map<string, number>();
  const countDrop = (topic: string) => dropped.set(topic, (dropped.get(topic) ?? 0) + 1);
  const site = await loadSite('hotel');
  const clock = new ScaledClock(100);
  const app = await buildApp({
    site,
    mqttUrl,
    manufacturer,
    clock,
    logger: {
      level: 'warn',
      stream: {
        write: (line: string) => {
          const entry = JSON.parse(line) as { msg?: string; topic?: string; problems?: string };
          if (entry.msg === 'invalid message dropped' && entry.problems) countDrop(entry.topic!);
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
  const client = await connectMqtt(mqttUrl, { clientId: `${manufacturer}-fuzzer` });
  try {
    const topic = (t: VdaTopic) => vdaTopic(vehicle, t);
    const header = { headerId: 1, timestamp: new Date(clock.now()).toISOString(), version: '2.1.0', ...vehicle };
    const order = buildTripOrder({ graph: new SiteGraph(site), orderId: 'fuzz', ...vehicle, headerId: 1, timestamp: header.timestamp, startNodeId: 'G-loading', stops: [{ tray: 1, room: '101' }], pickupTimeoutS: 60 });
    const state = {
      ...header,
      orderId: '',
      orderUpdateId: 0,
      lastNodeId: 'G-loading',
      lastNodeSequenceId: 0,
      driving: false,
      operatingMode: 'AUTOMATIC',
      nodeStates: [],
      edgeStates: [],
      actionStates: [{ actionId: 'a', actionStatus: 'FINISHED' }],
      batteryState: { batteryCharge: 80, charging: false },
      errors: [],
      safetyState: { eStop: 'NONE', fieldViolation: false },
      agvPosition: { x: 1, y: 2, theta: 0, mapId: 'G', positionInitialized: true },
    };
    const target = (name: VdaTopic, sample: object, schema: MqttFuzzTargetSchema) => ({ name, topic: topic(name), sample, schema, dropped: () => dropped.get(topic(name)) ?? 0 });
    const http = await fuzzHttp(app, options.httpPerRoute, options.seed);
    const mqtt = await fuzzMqtt(
      client,
      [
        target('state', state, stateSchema),
        target('connection', { ...header, connectionState: 'ONLINE' }, connectionSchema),
        target('visualization', { ...header, agvPosition: state.agvPosition }, visualizationSchema),
        target('factsheet', { ...header, typeSpecification: { seriesName: 'x' } }, factsheetSchema),
        target('order', order, orderSchema),
        target('instantActions', { ...header, actions: [{ actionType: 'startPause', actionId: 'p', blockingType: 'HARD' }] }, instantActionsSchema),
      ],
      options.mqttPerTopic,
      options.seed,
    );
    const controllerAlive = (await app.inject({ url: '/api/robots' })).statusCode === 200;
    const robotAlive = await new Promise<boolean>((resolve) => {
      // The robot answers a state request, so its bridge still reads and writes.
      const timer = setTimeout(() => resolve(false), 5000);
      client.on('message', (t) => {
        if (t === topic('state')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      void client.subscribeAsync(topic('state')).then(() =>
        client.publishAsync(topic('instantActions'), JSON.stringify({ ...header, actions: [{ actionType: 'stateRequest', actionId: 'alive', blockingType: 'NONE' }] })),
      );
    });
    return { http, mqtt, alive: { controller: controllerAlive, robot: robotAlive } };
  } finally {
    await client.endAsync();
    await agent.stop();
    await app.close();
  }
}

type MqttFuzzTargetSchema = Parameters<typeof fuzzMqtt>[1][number]['schema'];
