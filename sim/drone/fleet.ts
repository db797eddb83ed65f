import { DroneAgent } from '../../firmware-bridge/drone/index.js';
import type { LinkGate } from '../../common/index.js';
import type { Logger, MqttCredentials } from '../../common/index.js';
import { sleep } from '../../protocol/index.js';
import { SimDroneDriver, type SimDroneProfile } from './sim-drone-driver.js';
import type { SimDroneWorld } from './world.js';

/** A fault to inject, `atS` simulated seconds after the fleet starts (applied once the drone is airborne, except link loss). */
export type SimDroneFault =
  | { kind: 'batterySag'; drone: string; atS: number /** Points lost and capacity cut, %. Default 15. */; pct?: number }
  | { kind: 'pumpFailure'; drone: string; atS: number }
  | { kind: 'linkLoss'; drone: string; atS: number /** How long the radio stays down, s. Default 60. */; durationS?: number }
  | { kind: 'noReturn'; drone: string; atS: number };

/** Options of {@link startSimDroneFleet}. */
export interface SimDroneFleetOptions {
  mqttUrl: string;
  world: SimDroneWorld;
  count: number;
  /** Drone ids are `${idPrefix}1` … Default `drone-`. */
  idPrefix?: string;
  profile?: Partial<SimDroneProfile>;
  /** Clock ms between periodic telemetry messages. Default 1000. */
  telemetryIntervalMs?: number;
  /** Clock ms between MQTT reconnect attempts. Default 1000. */
  reconnectPeriodMs?: number;
  faults?: SimDroneFault[];
  /** Each drone carries a loudspeaker and a QR display (a broadcast drone). Default false. */
  broadcast?: boolean;
  logger?: Logger;
  /** Each drone's broker login by drone id, when the broker asks. */
  credentials?: (droneId: string) => MqttCredentials;
  /** The site on a broker shared by several (its topics' interface names, see `siteIdSchema`). */
  site?: string;
}

/** One simulated drone: the sim aircraft and the real bridge above it. */
export interface SimDrone {
  id: string;
  driver: SimDroneDriver;
  agent: DroneAgent;
  link: { up: boolean };
}

/** A running simulated fleet. */
export interface SimDroneFleet {
  drones: SimDrone[];
  /** Cuts a drone's radio for `durationS` simulated seconds. */
  linkLoss(droneId: string, durationS: number): void;
  /** Injects a fault now: battery sag (15 points), pump failure, a drone that does not come back, or 60 s of link loss. */
  inject(droneId: string, kind: SimDroneFault['kind']): Promise<void>;
  stop(): Promise<void>;
}

/** The ids of a simulated fleet of `count`: `${idPrefix}1` … (default `drone-1` …). */
export function simDroneIds(count: number, idPrefix = 'drone-'): string[] {
  return Array.from({ length: count }, (_, i) => `${idPrefix}${i + 1}`);
}

/**
 * Starts `count` simulated drones on the world's pads (round robin), each its own MQTT client
 * running the real drone bridge, and the world's physics loop. Faults are scheduled on the clock.
 */
export async function startSimDroneFleet(options: SimDroneFleetOptions): Promise<SimDroneFleet> {
  const { world } = options;
  const drones = simDroneIds(options.count, options.idPrefix).map((droneId, i): SimDrone => {
    const pad = world.pads[i % world.pads.length]!;
    // Drones on one pad stand a few metres apart.
    const offset = Math.floor(i / world.pads.length) * 3;
    const start = world.frame.toGeo(world.frame.toLocal(pad.lat, pad.lon).x + offset, world.frame.toLocal(pad.lat, pad.lon).y);
    const driver = new SimDroneDriver(world, start, { profile: options.profile, broadcast: options.broadcast });
    const link = { up: true };
    const gate: LinkGate = { isUp: () => link.up };
    const agent = new DroneAgent({
      mqttUrl: options.mqttUrl,
      droneId,
      driver,
      clock: world.clock,
      telemetryIntervalMs: options.telemetryIntervalMs,
      reconnectPeriodMs: options.reconnectPeriodMs,
      link: gate,
      logger: options.logger,
      credentials: options.credentials?.(droneId),
      site: options.site,
    });
    world.add(driver);
    return { id: agent.droneId, driver, agent, link };
  });
  await Promise.all(drones.map((d) => d.agent.start()));
  world.start();

  const stopping = new AbortController();
  const byId = (id: string) => {
    const d = drones.find((x) => x.id === id);
    if (!d) throw new Error(`no simulated drone ${id}`);
    return d;
  };
  const linkLoss = (droneId: string, durationS: number) => {
    const d = byId(droneId);
    d.link.up = false;
    d.agent.dropLink();
    void sleep(world.clock, durationS * 1000, stopping.signal)
      .then(() => {
        d.link.up = true;
        // At this instant of simulated time, not at the MQTT client's next retry in real time.
        d.agent.relink();
      })
      .catch(() => {});
  };
  const whenAirborne = async (d: SimDrone) => {
    while (d.driver.landed) await sleep(world.clock, 1000, stopping.signal);
  };
  const inject = async (d: SimDrone, fault: SimDroneFault) => {
    if (fault.kind === 'linkLoss') return linkLoss(d.id, fault.durationS ?? 60);
    if (fault.kind === 'batterySag') d.driver.injectBatterySag(fault.pct ?? 15);
    else if (fault.kind === 'pumpFailure') d.driver.injectPumpFailure();
    else {
      d.driver.freeze();
      await d.agent.crash();
    }
    options.logger?.warn({ drone: d.id, fault: fault.kind }, 'fault injected');
  };
  for (const fault of options.faults ?? []) {
    const d = byId(fault.drone);
    void (async () => {
      await sleep(world.clock, fault.atS * 1000, stopping.signal);
      if (fault.kind !== 'linkLoss') await whenAirborne(d);
      await inject(d, fault);
    })().catch(() => {});
  }

  return {
    drones,
    linkLoss,
    inject: (droneId, kind) => inject(byId(droneId), { kind, drone: droneId, atS: 0 } as SimDroneFault),
    stop: async () => {
      stopping.abort(new Error('fleet stopped'));
      await world.stop();
      await Promise.all(drones.map((d) => d.agent.stop()));
    },
  };
}
