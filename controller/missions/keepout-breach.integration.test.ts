import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { distanceM, droneTelemetrySchema, droneTopic, localFrame, type DroneAlert, type DroneMission, type DroneTelemetry } from '../../protocol/index.js';
import { padsFromZones, SimDroneWorld, startSimDroneFleet, type SimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { containsPoint } from '../spray/geometry/polygon.js';
import type { MultiPolygon } from '../spray/geometry/types.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { MissionManager } from './index.js';
import { yard } from './yard-zones.test-support.js';

const origin = { lat: 22.74, lon: 114.27 };
const frame = localFrame(origin.lat, origin.lon);
const base = yard(origin);
/** A building in the yard, between its east end and the pad in the west: no spray, no flight. */
const building: [number, number][] = [
  [30, 15],
  [60, 15],
  [60, 45],
  [30, 45],
  [30, 15],
];
const zones = {
  ...base.zones,
  features: [
    ...base.zones.features,
    {
      type: 'Feature' as const,
      properties: { role: 'keepout', name: 'building' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          building.map(([x, y]) => {
            const g = frame.toGeo(x, y);
            return [g.lon, g.lat];
          }),
        ],
      },
    },
  ],
};
const keepout: MultiPolygon = [[building]];
const inKeepout = (t: { lat: number; lon: number }) => {
  const p = frame.toLocal(t.lat, t.lon);
  return containsPoint(keepout, [p.x, p.y]);
};

describe('keepouts held in flight (simulated drones, real broker)', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let manager: MissionManager;
  let fleet: SimDroneFleet;
  let world: SimDroneWorld;
  let spy: MqttClient;
  let mqtt: MqttClient;
  const alerts: DroneAlert[] = [];
  const telemetry: DroneTelemetry[] = [];
  let uploaded: DroneMission | undefined;

  beforeEach(async () => {
    broker = await brokerForTests();
    const prefix = `${uniqueManufacturer('k')}-`;
    alerts.length = 0;
    telemetry.length = 0;
    // ×20: at higher speeds a busy machine lets the drone fly seconds between two telemetries.
    const clock = new ScaledClock(20);
    spy = await connectMqtt(broker.url, { clientId: `${prefix}spy` });
    spy.on('message', (topic, payload) => {
      if (topic.endsWith('/mission')) uploaded = JSON.parse(payload.toString()) as DroneMission;
      else telemetry.push(droneTelemetrySchema.parse(JSON.parse(payload.toString())));
    });
    await spy.subscribeAsync([droneTopic('+', 'telemetry'), droneTopic('+', 'mission')]);
    mqtt = await connectMqtt(broker.url, { clientId: `${prefix}controller` });
    manager = new MissionManager({ mqtt, clock, log: { info: () => {}, warn: () => {} }, droneIdPrefix: prefix, finishedKept: 1 });
    manager.on('alert', (a) => alerts.push(a));
    await manager.start();
    world = new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: 3 });
    fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 1, idPrefix: prefix, reconnectPeriodMs: 50 });
    await waitFor(() => manager.drones.views().some((d) => d.mode === 'landed'), 5000, 'drone on the pad');
    const created = await manager.create({ zones, drones: 1, tankL: 20 });
    if (!created.ok) throw new Error(JSON.stringify(created));
    manager.clear(created.id);
    manager.launch(created.id);
  });
  afterEach(async () => {
    await fleet.stop();
    manager.close();
    await mqtt.endAsync();
    await spy.endAsync();
    await broker.close();
  });

  /** Waits until the drone sprays east of the building, then moves it (a gust, a GNSS jump) to `x`, `y`. */
  async function pushTo(x: number, y: number) {
    await waitFor(() => telemetry.at(-1)?.pumpOn === true && telemetry.at(-1)?.mode === 'mission', 20_000, 'spraying');
    const drone = fleet.drones[0]!;
    const p = world.frame.toLocal(frame.toGeo(x, y).lat, frame.toGeo(x, y).lon);
    drone.driver.x = p.x;
    drone.driver.y = p.y;
    return telemetry.length;
  }

  it('sends the geofence and keepouts with the mission, for an autopilot that holds a fence', async () => {
    await waitFor(() => uploaded !== undefined, 5000, 'mission uploaded');
    expect(uploaded!.geofence).toHaveLength(4);
    expect(uploaded!.keepouts).toHaveLength(1);
    expect(uploaded!.keepouts![0]!.every((p) => Math.abs(frame.toLocal(p.lat, p.lon).x - 45) <= 15.1)).toBe(true);
  });

  it('a drone spraying inside a keepout: alert, pump off, out by a clear way and home around the building, held', async () => {
    const mark = await pushTo(45, 30);
    await waitFor(() => alerts.some((a) => a.kind === 'keepoutBreach'), 5000, 'keepout alert');
    await waitFor(() => telemetry.at(-1)?.mode === 'landed', 30_000, 'home');
    const after = telemetry.slice(mark);
    const returning = after.findIndex((t) => t.mode === 'returning');
    expect(returning).toBeGreaterThanOrEqual(0);
    // Pump off from the moment it turned home.
    expect(after.slice(returning).every((t) => !t.pumpOn)).toBe(true);
    // Once out, never in again: it left by a side and went around.
    const out = after.findIndex((t, i) => i >= returning && !inKeepout(t));
    expect(after.slice(out).some(inKeepout)).toBe(false);
    expect(distanceM(telemetry.at(-1)!, base.pad)).toBeLessThan(2);
    expect(alerts.filter((a) => a.kind === 'keepoutBreach')).toHaveLength(1);
    // Held: no new sortie starts until the operator resumes.
    await new Promise((r) => setTimeout(r, 300));
    expect(telemetry.at(-1)?.mode).toBe('landed');
  }, 60_000);

  it('a drone outside the geofence beyond the building: re-enters first, then goes around the building, never through it', async () => {
    const mark = await pushTo(140, 30);
    await waitFor(() => alerts.some((a) => a.kind === 'geofenceBreach'), 5000, 'geofence alert');
    await waitFor(() => telemetry.at(-1)?.mode === 'landed', 30_000, 'home');
    const after = telemetry.slice(mark);
    expect(after.some(inKeepout)).toBe(false);
    expect(distanceM(telemetry.at(-1)!, base.pad)).toBeLessThan(2);
  }, 60_000);
});
