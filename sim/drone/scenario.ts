import { readFile } from 'node:fs/promises';
import { connectMqtt } from '../../common/index.js';
import { MissionManager } from '../../controller/missions/index.js';
import { startEmbeddedBroker } from '../../controller/transport/embedded-broker.js';
import type { CreateMissionBody } from '../../protocol/index.js';
import { scenarioClock, type ClockKind } from '../scenario-clock.js';
import { startSimDroneFleet, type SimDroneFault } from './fleet.js';
import { startSitlDroneFleet } from './sitl-fleet.js';
import { padsFromZones, SimDroneWorld, type WindModel } from './world.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Options of {@link runDroneScenario}. */
export interface DroneScenarioOptions {
  /** A zones GeoJSON file (roles spray/keepout/geofence/pad). */
  zonesFile: string;
  drones: number;
  /** Simulated seconds per real second on the scaled clock; ignored on the virtual clock. */
  speed: number;
  /** `virtual` (default): repeatable, as fast as the CPU allows; `scaled`: wall time × `speed`. */
  clock?: ClockKind;
  /** A line for the person running it (the clock falls back to scaled with a broker in another process). */
  onNote?: (note: string) => void;
  seed: number;
  wind?: Partial<WindModel>;
  /** Faults by drone number (1-based) instead of id. */
  faults?: Array<DistributiveOmit<SimDroneFault, 'drone'> & { drone: number }>;
  mqttUrl?: string;
  /** Give up after this much real time. Default 10 min. */
  wallLimitMs?: number;
  /**
   * Stop watching after this much simulated time from the launch, s, and report the mission as
   * it stands (`status` then `running`, `paused` or `returning`; `windHold` says whether the
   * wind keeps it on the pads). Default: 4 × the planned makespan, at least 1 h.
   */
  simLimitS?: number;
  /**
   * Fly ArduCopter SITL instances (this binary) instead of the simulated drones, at `speed`
   * (faithful up to about 20); `wind` becomes SITL's wind, faults are not supported.
   */
  sitl?: { binary: string };
  onProgress?: (p: { coveragePct: number; sorties: number; refills: number; simS: number; status: string }) => void;
}

/** What a spray mission came to, measured from telemetry; times in simulated seconds. */
export interface DroneScenarioResult {
  zones: string;
  drones: number;
  /** The clock it ran on: only a `virtual` run gives the same figures twice. */
  clock: ClockKind;
  seed: number;
  status: string;
  /** Held on the pads for wind when the run ended. */
  windHold: boolean;
  coveragePct: number;
  oversprayPct: number;
  makespanS: number;
  /** Flights flown (take-offs seen in telemetry). */
  sorties: number;
  refills: number;
  swaps: number;
  plannedSorties: number;
  plannedMakespanS: number;
  areaHa: number;
  alerts: number;
  wallMs: number;
  /** With SITL: per drone, first take-off to last landing and the time armed, by the autopilot's own clock, s; and the plan's time for that drone. */
  autopilots?: Array<{ drone: string; flightSpanS?: number; armedS: number; plannedS: number }>;
}

/**
 * A headless spray mission: broker, the controller's mission manager, the real drone bridges
 * on simulated drones at the zones' pads. Plans, confirms the zone clear, launches and waits
 * until the mission is done.
 */
export async function runDroneScenario(options: DroneScenarioOptions): Promise<DroneScenarioResult> {
  const wallStart = performance.now();
  const zones = JSON.parse(await readFile(options.zonesFile, 'utf8')) as CreateMissionBody['zones'];
  // SITL runs in processes of its own, out of the virtual clock's sight: it flies on the scaled clock.
  const { clock, kind, note } = scenarioClock(options.sitl ? 'scaled' : (options.clock ?? 'virtual'), options.speed, options.mqttUrl);
  if (note) options.onNote?.(note);
  const broker = options.mqttUrl ? undefined : await startEmbeddedBroker();
  const mqttUrl = options.mqttUrl ?? broker!.url;
  const prefix = `sd${options.seed}${Math.random().toString(36).slice(2, 6)}-`;
  const mqtt = await connectMqtt(mqttUrl, { clientId: `${prefix}controller`, clock });
  const manager = new MissionManager({ mqtt, clock, log: { info: () => {}, warn: () => {} }, droneIdPrefix: prefix });
  let alerts = 0;
  manager.on('alert', () => alerts++);
  await manager.start();
  const wind = { speedMps: 3, gustMps: 2, fromDeg: 60, ...options.wind };
  if (options.sitl && options.faults?.length) throw new Error('faults are injected into simulated drones only, not into SITL');
  const sitl = options.sitl
    ? await startSitlDroneFleet({
        mqttUrl,
        binary: options.sitl.binary,
        speedup: options.speed,
        clock,
        pads: padsFromZones(zones),
        count: options.drones,
        idPrefix: prefix,
        telemetryIntervalMs: 1000,
        wind,
      })
    : undefined;
  const fleet =
    sitl ??
    (await startSimDroneFleet({
      mqttUrl,
      world: new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: options.seed, wind }),
      count: options.drones,
      idPrefix: prefix,
      // Periodic reports every simulated second; waypoints and pump changes are reported as they happen.
      telemetryIntervalMs: 1000,
      faults: options.faults?.map((f) => ({ ...f, drone: `${prefix}${f.drone}` }) as SimDroneFault),
    }));
  try {
    await clock.until(() => manager.drones.views().filter((d) => d.mode === 'landed').length >= options.drones, { wallLimitMs: 10_000, what: 'the drones online' });
    // A crew launches once the autopilots have their position (ArduCopter: 40–60 s after boot).
    await sitl?.ready(300_000);
    const created = await clock.hold(manager.create({ zones, drones: options.drones }));
    if (!created.ok) throw new Error(`mission refused: ${created.message}`);
    manager.clear(created.id);
    const launched = manager.launch(created.id);
    if (!launched.ok) throw new Error(launched.message);
    const mission = manager.mission(created.id)!;
    const startMs = mission.startedAtMs!;
    const progress = setInterval(() => {
      const s = manager.get(created.id)!;
      options.onProgress?.({ coveragePct: s.coveragePct, sorties: s.sorties, refills: s.refills, simS: (clock.now() - startMs) / 1000, status: s.status });
    }, 250);
    const wallLimitMs = options.wallLimitMs ?? 600_000;
    const simEndMs = startMs + 1000 * (options.simLimitS ?? Math.max(3600, 4 * mission.setup.plan.stats.makespanS));
    await clock
      .until(() => mission.status === 'done' || mission.status === 'aborted' || clock.now() >= simEndMs, {
        wallLimitMs,
        what: `the mission to end (scenario did not finish within ${wallLimitMs} ms)`,
      })
      .finally(() => clearInterval(progress));
    const s = manager.get(created.id)!;
    return {
      zones: options.zonesFile,
      drones: options.drones,
      clock: kind,
      seed: options.seed,
      status: s.status,
      windHold: s.windHold,
      coveragePct: s.coveragePct,
      oversprayPct: s.oversprayPct,
      makespanS: Math.round(((mission.finishedAtMs ?? clock.now()) - startMs) / 100) / 10,
      sorties: s.sorties,
      refills: s.refills,
      swaps: s.swaps,
      plannedSorties: mission.setup.plan.stats.sorties,
      plannedMakespanS: Math.round(mission.setup.plan.stats.makespanS),
      areaHa: Math.round(mission.setup.plan.stats.areaM2 / 100) / 100,
      alerts,
      wallMs: Math.round(performance.now() - wallStart),
      ...(sitl
        ? {
            autopilots: sitl.drones.map((d) => {
              // Runs are made in the plan's drone order.
              const run = mission.runs.findIndex((r) => r.droneId === d.id);
              return { drone: d.id, flightSpanS: d.watch.flightSpanS(), armedS: Math.round(d.watch.armedS()), plannedS: Math.round(mission.setup.plan.drones[run]?.finishS ?? 0) };
            }),
          }
        : {}),
    };
  } finally {
    await fleet.stop();
    manager.close();
    await mqtt.endAsync();
    await broker?.close();
    clock.close();
  }
}
