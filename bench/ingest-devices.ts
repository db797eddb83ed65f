/**
 * The devices of `bench:ingest`, in a worker thread of their own so that making thousands of
 * devices talk does not delay the bench's dashboard client, whose receive times are the latency
 * samples. Plain MQTT clients, not simulators: robots send a VDA 5050 state at 1 Hz, drones
 * telemetry at 5 Hz, each on its own connection. Told `{ grow: n }`, the thread starts its share
 * of devices 0..n−1 (every `threads`-th, from `thread`); every 50 ms it posts what it sent:
 * `{ sent: [deviceId, seq, epochMs][], total }` (epochMs = performance.timeOrigin + now, the same
 * clock in every thread). `{ stop: true }` ends the clients.
 */
import { parentPort, workerData } from 'node:worker_threads';
import mqtt, { type MqttClient } from 'mqtt';
import { droneTopic, vdaTopic } from '../protocol/index.js';
import { idleRobotStateBody, landedDroneTelemetry } from '../test-support/device-messages.js';

export interface IngestDevicesData {
  mqttUrl: string;
  manufacturer: string;
  thread: number;
  threads: number;
}
export type IngestDevicesCommand = { grow: number } | { stop: true };
export interface IngestDevicesReport {
  sent: [string, number, number][];
  total: number;
}

const { mqttUrl, manufacturer, thread, threads } = workerData as IngestDevicesData;
const epochMs = () => performance.timeOrigin + performance.now();
let sent: [string, number, number][] = [];
let total = 0;
const clients: { client: MqttClient; timer?: NodeJS.Timeout }[] = [];
let started = 0;

function note(id: string, seq: number): void {
  sent.push([id, seq, epochMs()]);
  total++;
}

function robot(i: number): void {
  const vehicle = { manufacturer, serialNumber: `r${i}` };
  const client = mqtt.connect(mqttUrl, { clientId: `bench-r${i}`, reconnectPeriod: 1000 });
  const device: { client: MqttClient; timer?: NodeJS.Timeout } = { client };
  clients.push(device);
  let seq = 0;
  const header = () => ({ headerId: seq, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle });
  client.once('connect', () => {
    client.publish(vdaTopic(vehicle, 'connection'), JSON.stringify({ ...header(), connectionState: 'ONLINE' }), { qos: 1, retain: true });
    // Spread over the second, as devices that started at different times are.
    setTimeout(() => {
      device.timer = setInterval(() => {
        note(vehicle.serialNumber, ++seq);
        client.publish(
          vdaTopic(vehicle, 'state'),
          JSON.stringify({ ...header(), ...idleRobotStateBody({ agvPosition: { x: seq, y: 0, theta: 0, mapId: 'G', positionInitialized: true } }) }),
          { qos: 0 },
        );
      }, 1000);
    }, Math.random() * 1000);
  });
}

function drone(i: number): void {
  const droneId = `bench-d${i}`;
  const client = mqtt.connect(mqttUrl, { clientId: droneId, reconnectPeriod: 1000 });
  const device: { client: MqttClient; timer?: NodeJS.Timeout } = { client };
  clients.push(device);
  let count = 0;
  const header = () => ({ headerId: count, timestamp: new Date().toISOString(), droneId });
  client.once('connect', () => {
    client.publish(droneTopic(droneId, 'connection'), JSON.stringify({ ...header(), connectionState: 'ONLINE' }), { qos: 1, retain: true });
    setTimeout(() => {
      device.timer = setInterval(() => {
        // The heading carries the sequence number: tenths of a degree, 3,600 of them (12 min at 5 Hz).
        const seq = ++count % 3600;
        note(droneId, seq);
        client.publish(
          droneTopic(droneId, 'telemetry'),
          JSON.stringify(landedDroneTelemetry(droneId, { lat: 22.72 + i * 1e-5, lon: 114.25, tankL: 10 }, { ...header(), headingDeg: seq / 10, batteryPct: 90 })),
          { qos: 0 },
        );
      }, 200);
    }, Math.random() * 200);
  });
}

setInterval(() => {
  parentPort!.postMessage({ sent, total } satisfies IngestDevicesReport);
  sent = [];
}, 50);

parentPort!.on('message', async (command: IngestDevicesCommand) => {
  if ('stop' in command) {
    for (const d of clients) {
      clearInterval(d.timer);
      d.client.end(true);
    }
    process.exit(0);
  }
  // Devices alternate robot, drone; this thread takes every `threads`-th of them.
  for (let i = started; i < command.grow; i++) {
    if (i % threads !== thread) continue;
    if (i % 2 === 0) robot(i / 2);
    else drone((i - 1) / 2);
    // Connect in batches: a thousand connections at once is a thundering herd, not the steady state.
    if (clients.length % 50 === 0) await new Promise((r) => setTimeout(r, 100));
  }
  started = Math.max(started, command.grow);
});
