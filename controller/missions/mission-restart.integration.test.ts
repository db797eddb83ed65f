import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt } from '../../common/index.js';
import { droneCommandSchema, droneTelemetrySchema, droneTopic, type DroneAlert, type DroneCommand, type DroneTelemetry } from '../../protocol/index.js';
import { padsFromZones, SimDroneWorld, startSimDroneFleet } from '../../sim/drone/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SqliteStore, type Store } from '../storage/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';
import { MissionManager } from './index.js';
import { yard } from './yard-zones.test-support.js';

const yardZones = yard({ lat: 22.73, lon: 114.25 }).zones;

type MissionStore = NonNullable<ConstructorParameters<typeof MissionManager>[0]['store']>;

/** A store that stops writing at `crash()`: what a killed process leaves on disk. */
function crashableStore(store: Store): MissionStore & { crash(): void } {
  let alive = true;
  return {
    createMission: (...args) => (alive ? store.createMission(...args) : undefined),
    saveMissionProgress: (...args) => (alive ? store.saveMissionProgress(...args) : undefined),
    saveCoverage: (...args) => (alive ? store.saveCoverage(...args) : undefined),
    missions: () => store.missions(),
    crash: () => (alive = false),
  };
}

describe('a spray mission across a controller crash', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  /**
   * A broker, two simulated drones on the yard, a spy on their traffic, and a first manager
   * flying a mission whose store stops writing at `crash()` (what a killed process leaves).
   */
  async function missionBeforeACrash() {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const prefix = `${uniqueManufacturer('restart')}-`;
    // x100: at x200 a loaded machine let the drones finish the whole mission, or miss the link-lost window, while the test looked away.
    const clock = new ScaledClock(100);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-missions-')), 'isofleet.db');
    const log = { info: () => {}, warn: () => {} };

    const telemetry: DroneTelemetry[] = [];
    const commands: DroneCommand[] = [];
    const spy = await connectMqtt(broker.url, { clientId: `${prefix}spy` });
    cleanup.push(() => spy.endAsync());
    spy.on('message', (topic, payload) => {
      const message = JSON.parse(payload.toString()) as unknown;
      if (topic.endsWith('/telemetry')) telemetry.push(droneTelemetrySchema.parse(message));
      else commands.push(droneCommandSchema.parse(message));
    });
    await spy.subscribeAsync([droneTopic('+', 'telemetry'), droneTopic('+', 'command')]);

    const world = new SimDroneWorld({ clock, pads: padsFromZones(yardZones), seed: 3, wind: { speedMps: 2, gustMps: 1 } });
    const fleet = await startSimDroneFleet({ mqttUrl: broker.url, world, count: 2, idPrefix: prefix, reconnectPeriodMs: 50 });
    cleanup.push(() => fleet.stop());

    const startManager = async (store: MissionStore, options: { notReturnedTimeoutS?: number } = {}) => {
      const mqtt: MqttClient = await connectMqtt(broker.url, { clientId: `${prefix}controller-${Math.random().toString(16).slice(2, 6)}` });
      const manager = new MissionManager({ mqtt, clock, log, droneIdPrefix: prefix, store, coverageSnapshotMs: 50, ...options });
      await manager.start();
      return { manager, mqtt };
    };
    /** The controller started again on the same file. */
    const restart = async (options: { notReturnedTimeoutS?: number } = {}) => {
      const store = new SqliteStore(file);
      cleanup.push(() => store.close());
      const after = await startManager(store, options);
      cleanup.push(() => after.mqtt.endAsync());
      cleanup.push(() => after.manager.close());
      return { ...after, store };
    };

    const first = new SqliteStore(file);
    const firstStore = crashableStore(first);
    const before = await startManager(firstStore);
    await waitFor(() => before.manager.drones.views().filter((d) => d.mode === 'landed').length === 2, 5000, 'two drones on the pad');
    const created = await before.manager.create({ zones: yardZones, drones: 2, tankL: 5 });
    if (!created.ok) throw new Error(created.message);
    before.manager.clear(created.id);
    before.manager.launch(created.id);
    const crash = async () => {
      firstStore.crash();
      before.manager.close();
      before.mqtt.stream.destroy();
      await before.mqtt.endAsync(true);
      first.close();
    };
    /** A drone halfway down a spraying pass. */
    const sprayingNow = () => fleet.drones.find((d) => d.agent.pilot.mode === 'mission' && d.driver.status().pumpOn && (d.agent.pilot.waypoint ?? 0) >= 3);
    return { clock, log, telemetry, commands, fleet, created, crash, restart, sprayingNow, prefix };
  }

  it('is restored from the store and finished: no sortie flown twice, the dose sprayed meanwhile placed on the map', async () => {
    const { clock, log, telemetry, commands, fleet, created, crash, restart, sprayingNow, prefix } = await missionBeforeACrash();
    // Crash once a sortie is done and a drone is halfway down a spraying pass.
    await waitFor(() => fleet.drones.some((d) => d.agent.pilot.lastCompletedSortie >= 0) && sprayingNow() !== undefined, 20_000, 'mid-mission');
    // The drone spraying as the controller goes down (taken before the crash, which takes a while on a busy machine).
    const spraying = sprayingNow()!;
    const completedAtCrash = spraying.agent.pilot.lastCompletedSortie;
    await crash();
    const crashedAt = { telemetry: telemetry.length, commands: commands.length };
    // The drones fly on meanwhile: the sortie in flight ends and they land, but nobody starts a new one.
    await waitFor(() => spraying.agent.pilot.lastCompletedSortie > completedAtCrash && fleet.drones.every((d) => d.driver.landed), 20_000, 'landed while the controller is down');
    await new Promise((r) => setTimeout(r, 100));
    expect(commands.length).toBe(crashedAt.commands);
    expect(telemetry.slice(crashedAt.telemetry).some((t) => t.sprayedL > 0)).toBe(true);

    const after = await restart();
    expect(after.manager.get(created.id)?.status).toBe('running');
    // A screen opened after the restart gets the zones and the plan it was launched with.
    expect(after.manager.planOf(created.id)).toEqual({ id: created.id, zones: yardZones, plan: created.plan, assigned: created.assigned });
    await waitFor(() => after.manager.get(created.id)!.status === 'done', 30_000, 'mission done after the restart');

    const done = after.manager.get(created.id)!;
    expect(done.coveragePct).toBeGreaterThanOrEqual(97);
    expect(done.oversprayPct).toBeLessThan(3);
    expect(done.log.some((l) => l.message.includes('in touch again after a controller restart'))).toBe(true);
    expect(done.log.some((l) => l.message.includes('placed along the planned legs'))).toBe(true);

    // Every litre the flow meters counted is on the map once: neither lost in the gap nor counted twice.
    const raster = after.manager.coverage(created.id)!;
    const mappedL = (raster.doseLPerHa.reduce((sum, d) => sum + d, 0) * raster.cellM ** 2) / 10_000;
    const sprayedL = fleet.drones.reduce((sum, d) => sum + d.driver.sprayedL, 0);
    expect(mappedL / sprayedL).toBeGreaterThan(0.95);
    expect(mappedL / sprayedL).toBeLessThan(1.05);

    // Every sortie started from its beginning exactly once (a second plain start would fly it again);
    // continuing a cut-short sortie from its point (`from`) is allowed.
    const plainStarts = commands.filter((c) => c.command === 'start' && !c.from).map((c) => `${c.droneId}#${c.command === 'start' ? c.sortie : ''}`);
    expect(new Set(plainStarts).size).toBe(plainStarts.length);
    const sorties = done.drones.reduce((sum, d) => sum + d.sorties, 0);
    expect(plainStarts).toHaveLength(sorties);
    // Command ids are not reused across the restart.
    const ids = commands.map((c) => c.commandId);
    expect(new Set(ids).size).toBe(ids.length);

    // A third controller finds the finished mission and its coverage as they were.
    const third = new MissionManager({ mqtt: after.mqtt, clock, log, droneIdPrefix: prefix, store: after.store });
    await third.start();
    cleanup.push(() => third.close());
    expect(third.get(created.id)).toMatchObject({ status: 'done', coveragePct: done.coveragePct, sorties: done.sorties });
    expect(third.coverage(created.id)!.doseLPerHa).toEqual(after.manager.coverage(created.id)!.doseLPerHa);
  }, 60_000);

  it('hands the sorties of a drone that went down with the controller to the other one', async () => {
    const { fleet, created, crash, restart, sprayingNow } = await missionBeforeACrash();
    await waitFor(() => fleet.drones.some((d) => d.agent.pilot.lastCompletedSortie >= 0) && sprayingNow() !== undefined, 20_000, 'mid-mission');
    const gone = sprayingNow()!;
    await crash();
    // This drone's bridge dies too (the site lost power there): it never reports again.
    await gone.agent.crash();

    const alerts: DroneAlert[] = [];
    const after = await restart({ notReturnedTimeoutS: 120 });
    after.manager.on('alert', (a) => alerts.push(a));
    await waitFor(() => after.manager.get(created.id)!.status === 'done', 30_000, 'mission done by the other drone');
    expect(alerts.map((a) => [a.kind, a.drone])).toEqual(
      expect.arrayContaining([
        ['droneLinkLost', gone.id],
        ['droneNotReturned', gone.id],
      ]),
    );
    const done = after.manager.get(created.id)!;
    expect(done.drones.find((d) => d.id === gone.id)!.state).toBe('lost');
    expect(done.coveragePct).toBeGreaterThanOrEqual(97);
  }, 60_000);
});
