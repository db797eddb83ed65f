import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MissionManager } from '../../../controller/missions/index.js';
import { yard } from '../../../controller/missions/yard-zones.test-support.js';
import { brokerForTests, uniqueManufacturer } from '../../../controller/transport/test-broker.js';
import type { DroneAlert } from '../../../protocol/index.js';
import { ScaledClock } from '../../../sim/scaled-clock.js';
import { waitFor } from '../../../sim/scenario.js';
import { connectMqtt } from '../../../common/mqtt/connect-mqtt.js';
import { DroneAgent } from '../drone-agent.js';
import { TcpLink } from './link.js';
import { MavlinkDroneDriver } from './mavlink-drone-driver.js';
import { ScriptedAutopilot } from './scripted-autopilot.test-support.js';

const origin = { lat: 22.76, lon: 114.29 };
const { zones, pad } = yard(origin);

describe('the drone bridge on a MAVLink autopilot, under the controller', () => {
  let broker: Awaited<ReturnType<typeof brokerForTests>>;
  let ap: ScriptedAutopilot;
  let driver: MavlinkDroneDriver;
  let agent: DroneAgent;
  let manager: MissionManager;
  let mqtt: Awaited<ReturnType<typeof connectMqtt>>;
  const alerts: DroneAlert[] = [];
  const clock = new ScaledClock(20);

  beforeEach(async () => {
    broker = await brokerForTests();
    const prefix = `${uniqueManufacturer('mav')}-`;
    alerts.length = 0;
    ap = await ScriptedAutopilot.start({ clock, home: pad, ekfReadyAfterMs: 0 });
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', ap.port, 20), clock });
    await waitFor(() => driver.status().lat !== 0, 2000, 'first position');
    agent = new DroneAgent({ mqttUrl: broker.url, droneId: `${prefix}1`, driver, clock, reconnectPeriodMs: 50 });
    await agent.start();
    mqtt = await connectMqtt(broker.url, { clientId: `${prefix}controller` });
    manager = new MissionManager({ mqtt, clock, log: { info: () => {}, warn: () => {} }, droneIdPrefix: prefix, finishedKept: 1 });
    manager.on('alert', (a) => alerts.push(a));
    await manager.start();
    await waitFor(() => manager.drones.views().some((d) => d.mode === 'landed'), 5000, 'drone known');
  });
  afterEach(async () => {
    manager.close();
    await agent.stop();
    await driver.close();
    await ap.close();
    await mqtt.endAsync();
    await broker.close();
  });

  it('flies the mission as AUTO missions with the fence set; a pilot takeover is an alert, and only the operator hands control back', async () => {
    const created = await manager.create({ zones, drones: 1 });
    if (!created.ok) throw new Error(JSON.stringify(created));
    manager.clear(created.id);
    manager.launch(created.id);
    await waitFor(() => ap.running && ap.sprayer && !ap.landed, 20_000, 'spraying in AUTO');
    // The mission brought the fence: the autopilot holds the geofence with its breach action set.
    expect(ap.stored.get(1 /* FENCE */)?.length).toBe(4);
    expect(ap.params.get('FENCE_ENABLE')).toBe(1);
    ap.pilotTakeover('LOITER');
    await waitFor(() => alerts.some((a) => a.kind === 'externalControl'), 5000, 'takeover alert');
    expect(alerts.find((a) => a.kind === 'externalControl')!.message).toContain('LOITER');
    // The controller's own commands are refused by the bridge meanwhile.
    expect(manager.pause(created.id).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(ap.modeName).toBe('LOITER');
    expect(manager.takeControl(created.id).ok).toBe(true);
    await waitFor(() => driver.status().externalControl === undefined, 5000, 'control back');
    await waitFor(() => manager.get(created.id)!.log.some((e) => e.message.includes('back under the bridge')), 5000, 'logged');
  });
});
