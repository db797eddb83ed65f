import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brokerForTests, uniqueManufacturer } from '../../controller/transport/test-broker.js';
import { distanceM, droneTelemetrySchema, droneTopic, localFrame, type DroneCommand, type DroneMission, type DroneTelemetry } from '../../protocol/index.js';
import { startSimDroneFleet, SimDroneWorld, type SimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { connectMqtt } from '../../common/mqtt/connect-mqtt.js';

const pad = { lat: 22.72, lon: 114.25 };
const frame = localFrame(pad.lat, pad.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);

/** Pad → a 200 m spraying pass east → 200 m back on a parallel line → pad. */
function mission(missionId: string, droneId: string): DroneMission {
  const wp = (x: number, y: number, altM: number, spray: boolean) => ({ ...at(x, y), altM, speedMps: spray ? 7 : 10, spray, flowLPerMin: spray ? 5.88 : 0 });
  return {
    headerId: 0,
    timestamp: new Date().toISOString(),
    droneId,
    missionId,
    pads: [pad],
    sorties: [{ index: 0, waypoints: [wp(0, 0, 0, false), wp(10, 10, 2.5, true), wp(210, 10, 2.5, false), wp(210, 17, 2.5, true), wp(10, 17, 2.5, false), wp(0, 0, 0, false)] }],
  };
}

describe('drone agent over MQTT on a simulated drone', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let controller: MqttClient;
  let fleet: SimDroneFleet;
  let droneId: string;
  const telemetry: DroneTelemetry[] = [];
  const last = () => telemetry.at(-1)!;
  let n = 0;
  const send = (command: Record<string, unknown>) =>
    controller.publishAsync(droneTopic(droneId, 'command'), JSON.stringify({ headerId: n, timestamp: new Date().toISOString(), droneId, commandId: `c${n++}`, ...command } as DroneCommand), {
      qos: 1,
    });
  const connection: string[] = [];

  beforeEach(async () => {
    broker = await brokerForTests();
    const prefix = `${uniqueManufacturer('agent')}-`;
    droneId = `${prefix}1`;
    telemetry.length = 0;
    controller = await connectMqtt(broker.url, { clientId: `${prefix}controller` });
    controller.on('message', (topic, payload) => {
      if (topic.endsWith('/telemetry')) telemetry.push(droneTelemetrySchema.parse(JSON.parse(payload.toString())));
      else connection.push((JSON.parse(payload.toString()) as { connectionState: string }).connectionState);
    });
    connection.length = 0;
    await controller.subscribeAsync([droneTopic(droneId, 'telemetry'), droneTopic(droneId, 'connection')]);
    const clock = new ScaledClock(100);
    const world = new SimDroneWorld({ clock, pads: [pad], seed: 1 });
    fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 1, idPrefix: prefix, reconnectPeriodMs: 50 });
    await controller.publishAsync(droneTopic(droneId, 'mission'), JSON.stringify(mission('m1', droneId)), { qos: 1 });
    await waitFor(() => last()?.missionId === 'm1', 5000, 'mission taken');
  });
  afterEach(async () => {
    await fleet.stop();
    await controller.endAsync();
    await broker.close();
  });

  it('flies a sortie, sprays on the spray legs only, lands and is serviced', async () => {
    await send({ command: 'start', missionId: 'm1', sortie: 0 });
    await waitFor(() => last().lastCompletedSortie === 0 && last().mode === 'landed', 10_000, 'sortie flown');
    const sprayed = last().sprayedL;
    // 400 m at 20 L/ha over 7 m = 5.6 L (less the slow-down at ends, where flow follows speed).
    expect(sprayed).toBeGreaterThan(5.0);
    expect(sprayed).toBeLessThan(5.8);
    expect(telemetry.some((t) => t.pumpOn && t.waypoint === 2)).toBe(true);
    expect(telemetry.filter((t) => t.waypoint === 3).every((t) => !t.pumpOn || t.flowLPerMin === 0)).toBe(true);
    await waitFor(() => last().tankL === 20 && last().batteryPct === 100, 10_000, 'swap and refill');
  });

  it('pauses and resumes at the exact point, continuing the same leg', async () => {
    await send({ command: 'start', missionId: 'm1', sortie: 0 });
    await waitFor(() => last().mode === 'mission' && last().waypoint === 2 && distanceM(last(), at(10, 10)) > 60, 10_000, 'halfway down the first pass');
    await send({ command: 'pause' });
    await waitFor(() => last().mode === 'paused' && last().groundSpeedMps === 0, 5000, 'hovering');
    const kept = last().resume!;
    expect(kept.waypoint).toBe(2);
    // The point kept is on the pass (y = 10 m), not where braking ended.
    const p = frame.toLocal(kept.lat, kept.lon);
    expect(Math.abs(p.y - 10)).toBeLessThan(0.5);
    const pumpOffAt = telemetry.find((t) => t.mode === 'paused')!;
    expect(pumpOffAt.pumpOn).toBe(false);
    await send({ command: 'resume' });
    // Back at the kept point before the pump comes on again.
    await waitFor(() => last().mode === 'mission', 5000, 'resumed');
    const firstOn = () => telemetry.find((t, i) => i > telemetry.indexOf(pumpOffAt) && t.pumpOn);
    await waitFor(() => firstOn() !== undefined, 5000, 'pump on again');
    expect(distanceM(firstOn()!, kept)).toBeLessThan(1);
    await waitFor(() => last().lastCompletedSortie === 0 && last().mode === 'landed', 10_000, 'sortie flown');
  });

  it('returns home on its own when the link stays down past the timeout, keeping the resume point', async () => {
    await send({ command: 'start', missionId: 'm1', sortie: 0 });
    await waitFor(() => last().mode === 'mission' && last().waypoint === 2, 10_000, 'on the first pass');
    fleet.linkLoss(droneId, 120);
    const d = fleet.drones[0]!;
    await waitFor(() => d.agent.pilot.mode === 'returning', 5000, 'failsafe return');
    expect(d.agent.pilot.alarm).toBe('linkLoss');
    expect(d.agent.pilot.resume?.waypoint).toBeGreaterThanOrEqual(2);
    await waitFor(() => d.driver.landed && last().mode === 'landed', 10_000, 'landed and reported after the link came back');
    expect(distanceM(d.driver.status(), pad)).toBeLessThan(1);
    expect(last().alarm).toBe('linkLoss');
    expect(last().resume).toBeDefined();
  });

  it('runs a command once when it comes twice (a QoS 1 redelivery), and a new command id again', async () => {
    await send({ command: 'start', missionId: 'm1', sortie: 0, commandId: 'once' });
    await waitFor(() => last().lastCompletedSortie === 0 && last().mode === 'landed', 10_000, 'sortie flown');
    const d = fleet.drones[0]!;
    expect(d.driver.takeOffs).toBe(1);
    await waitFor(() => last().tankL === 20 && last().batteryPct === 100, 10_000, 'serviced, ready to fly again');
    await send({ command: 'start', missionId: 'm1', sortie: 0, commandId: 'once' });
    await new Promise((r) => setTimeout(r, 200)); // 20 simulated seconds
    expect(d.driver.takeOffs).toBe(1);
    expect(d.driver.landed).toBe(true);
    await send({ command: 'start', missionId: 'm1', sortie: 0, commandId: 'again' });
    await waitFor(() => d.driver.takeOffs === 2, 5000, 'a new command id flies');
  });

  it('gets a command sent while its radio was down once it is back (persistent session)', async () => {
    fleet.linkLoss(droneId, 30);
    // The broker has seen it go (its last will), so the command can only reach it through its session.
    await waitFor(() => connection.at(-1) === 'CONNECTIONBROKEN', 5000, 'the broker saw the link go');
    await send({ command: 'start', missionId: 'm1', sortie: 0 });
    await waitFor(() => connection.at(-1) === 'ONLINE', 5000, 'link back');
    await waitFor(() => last().lastCompletedSortie === 0 && last().mode === 'landed', 10_000, 'sortie flown after the link came back');
  });
});
